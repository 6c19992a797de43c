"""The rules that judge a fiche (relance/fiches/checks.py): each finds what it is about and
nothing in a good fiche; the fiche form and the review queue show what the registry finds."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from milestones.models import MilestoneState
from projects.models import ProjectStatus, ReviewState
from relance.fiches import checks
from relance.fiches.checks import Finding
from relance.fiches.snapshots import FicheView, MilestoneView, snapshot, snapshots
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.fiche_helpers import fiche_post

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2030, 6, 30)
ON_SCHEDULE = MilestoneView(1, 1, "Ontwerp", DEADLINE, status=MilestoneState.ON_SCHEDULE)
NOW = FicheView(
    project="VV001",
    reference_date=dt.date(2025, 12, 31),
    status=ProjectStatus.IN_PROGRESS,
    owner_status=ProjectStatus.IN_PROGRESS,
    narrative="Het project loopt volgens schema.",
    committed_eur=Decimal("500.00"),
    paid_eur=Decimal("100.00"),
    budget_eur=Decimal("1000.00"),
    milestones=(ON_SCHEDULE,),
)
GOOD = replace(
    NOW,
    previous=replace(
        NOW,
        reference_date=dt.date(2025, 6, 30),
        status=ProjectStatus.STARTED,
        owner_status=ProjectStatus.STARTED,
        narrative="Opgestart.",
        committed_eur=Decimal("400.00"),
    ),
)
PORTED = {
    "narrative_empty",
    "committed_missing",
    "paid_missing",
    "missing_milestone_status",
    "money_decreased",
    "realised_without_date",
    "delayed_without_forecast",
    "delayed_forecast_not_later",
}
# The quality rules (relance/quality/rules.py) join the same registry.
QUALITY = {
    "realised_with_open_milestones",
    "paid_exceeds_committed",
    "committed_exceeds_budget",
    "overdue_future_milestone",
    "realised_milestone_after_reference",
    "status_regressed",
    "unchanged_fiche",
}
# The early warnings' rules (relance/fiches/early_warnings.py; tests/relance/test_early_warnings.py)
EARLY_WARNINGS = {"suggest_attention", "suggest_action_required"}


def with_milestone(**entry):
    return replace(GOOD, milestones=(replace(ON_SCHEDULE, **entry),))


def less_than_before(**money):
    assert GOOD.previous is not None
    return replace(GOOD, previous=replace(GOOD.previous, **money))


BAD = [
    ("narrative_empty", replace(GOOD, narrative="  "), "error", "narrative", None),
    ("committed_missing", replace(GOOD, committed_eur=None), "error", "committed_eur", None),
    ("paid_missing", replace(GOOD, paid_eur=None), "error", "paid_eur", None),
    ("missing_milestone_status", with_milestone(status=""), "error", "status", 1),
    ("money_decreased", less_than_before(committed_eur=Decimal("600")), "warning", "committed_eur",
     None),
    ("money_decreased", less_than_before(paid_eur=Decimal("100.01")), "warning", "paid_eur", None),
    ("realised_without_date", with_milestone(status=MilestoneState.REALISED), "error",
     "realised_on", 1),
    (
        "delayed_without_forecast",
        with_milestone(status=MilestoneState.DELAYED, delay_reason="Beroep"),
        "error", "forecast_date", 1,
    ),
    (
        "delayed_without_forecast",
        with_milestone(status=MilestoneState.DELAYED, forecast_date=dt.date(2031, 1, 1)),
        "error", "delay_reason", 1,
    ),
    (
        "delayed_forecast_not_later",
        with_milestone(status=MilestoneState.DELAYED, forecast_date=DEADLINE, delay_reason="x"),
        "error", "forecast_date", 1,
    ),
]  # fmt: skip


def test_every_ported_rule_is_registered_once():
    assert set(checks.RULES) | set(checks.MILESTONE_RULES) == PORTED | QUALITY | EARLY_WARNINGS
    assert not set(checks.RULES) & set(checks.MILESTONE_RULES)


def test_a_second_rule_with_the_same_code_is_refused():
    with pytest.raises(ValueError, match="money_decreased"):
        checks.rule("money_decreased")(lambda fiche: [])


def test_a_good_fiche_has_no_findings():
    assert checks.run_checks(GOOD) == []


@pytest.mark.parametrize(("code", "view", "level", "field", "milestone"), BAD)
def test_each_rule_finds_what_it_is_about(code, view, level, field, milestone):
    findings = checks.run_checks(view)
    assert [(f.rule, f.level, f.field, f.milestone) for f in findings] == [
        (code, level, field, milestone)
    ]
    assert findings[0].message


@pytest.mark.parametrize(
    "view",
    [
        replace(GOOD, previous=None),  # nothing to compare with
        less_than_before(committed_eur=None, paid_eur=None),  # nothing given before
        replace(GOOD, committed_eur=Decimal("400.00")),  # the same is no decrease
        with_milestone(status=MilestoneState.REALISED, realised_on=dt.date(2025, 1, 1)),
        with_milestone(
            status=MilestoneState.DELAYED, forecast_date=dt.date(2031, 1, 1), delay_reason="x"
        ),
        with_milestone(status=MilestoneState.FUTURE),
    ],
)  # fmt: skip
def test_rules_find_nothing_in_good_variants(view):
    assert checks.run_checks(view) == []


def test_findings_on_the_fiche_come_before_those_on_its_milestones():
    view = replace(
        GOOD,
        narrative="",
        milestones=(
            replace(ON_SCHEDULE, status=MilestoneState.REALISED),
            MilestoneView(2, 2, "Gunning", DEADLINE),
        ),
    )
    findings = checks.run_checks(view)
    assert [f.rule for f in findings] == [
        "narrative_empty",
        "missing_milestone_status",
        "realised_without_date",
    ]
    # Read apart from the form, a milestone rule's message says which milestone it is about.
    assert [f.subject for f in findings] == ["", "", "Mijlpaal 1"]


# -- snapshots of stored fiches --------------------------------------------------------------


@pytest.fixture
def history(project):
    """The project's fiche in a closed round and in the open one after it, which reports
    less money than before and leaves its second milestone without a status (and pays
    enough of what it committed for the early warnings to suggest nothing)."""
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    before = FicheFactory(round=closed, project=project, narrative="Eerder")
    FinanceReportFactory(fiche=before, committed_eur=Decimal("800.00"), paid_eur=Decimal("350"))
    first = MilestoneFactory(project=project, number=1, deadline=DEADLINE)
    MilestoneFactory(project=project, number=2, description="Gunning", deadline=DEADLINE)
    MilestoneStatusFactory(round=closed, milestone=first, status=MilestoneState.ON_SCHEDULE)
    closed.close(by=None)
    current = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state="open")
    fiche = FicheFactory(round=current, project=project, narrative="Nu")
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("700.00"), paid_eur=Decimal("360"))
    MilestoneStatusFactory(round=current, milestone=first, status=MilestoneState.ON_SCHEDULE)
    return fiche


def test_a_snapshot_holds_the_fiche_and_its_previous_round(history):
    view = snapshot(history)
    assert (view.project, view.narrative, view.committed_eur) == (
        history.project.code,
        "Nu",
        Decimal("700.00"),
    )
    assert view.budget_eur == history.project.budget_eur
    assert [(m.number, m.status) for m in view.milestones] == [
        (1, MilestoneState.ON_SCHEDULE),
        (2, ""),
    ]
    assert view.previous is not None
    assert (view.previous.narrative, view.previous.committed_eur) == ("Eerder", Decimal("800.00"))
    assert view.previous.previous is None
    assert [(f.rule, f.field) for f in checks.run_checks(view)] == [
        ("missing_milestone_status", "status"),
        ("money_decreased", "committed_eur"),
    ]


def test_snapshots_take_a_fixed_number_of_queries(open_round, django_assert_num_queries):
    projects = [ProjectFactory() for _number in range(20)]
    closed = ReportingRoundFactory(reference_date=dt.date(2000, 12, 31))
    for project in projects:
        FicheFactory(round=closed, project=project)
    closed.close(by=None)
    fiches = []
    for project in projects:
        MilestoneStatusFactory(round=open_round, milestone=MilestoneFactory(project=project))
        fiches.append(FicheFactory(round=open_round, project=project))
    for size in (2, 20):
        with django_assert_num_queries(7):
            views = snapshots(fiches[:size])
        assert len(views) == size
        assert all(view.previous is not None for view in views.values())


def test_no_fiches_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert checks.check_fiches([]) == {}


# -- where the registry runs -----------------------------------------------------------------


def test_the_fiche_page_shows_what_the_registry_finds(client, editor, history):
    client.force_login(editor)
    response = client.get(reverse("fiche", args=[history.project.code]))
    expected = checks.run_checks(snapshot(history))
    assert response.context["findings"] == expected
    page = response.content.decode()
    for finding in expected:
        assert finding.message in page


def test_submitting_lists_the_registry_errors_and_keeps_a_draft(client, editor, history):
    client.force_login(editor)
    post = fiche_post(history, narrative="")
    response = client.post(
        reverse("fiche", args=[history.project.code]), {**post, "submit": "1"}, follow=True
    )
    history.refresh_from_db()
    assert history.review_state == ReviewState.DRAFT
    errors = [f for f in checks.run_checks(snapshot(history)) if f.is_error]
    assert [f.rule for f in errors] == ["narrative_empty", "missing_milestone_status"]
    warning = [str(m) for m in response.context["messages"] if "concept" in str(m)][0]
    for finding in errors:
        assert finding.message in warning


def test_a_warning_does_not_keep_a_fiche_from_being_submitted(client, editor, history):
    client.force_login(editor)
    post = fiche_post(history, milestones={2: {"status": MilestoneState.FUTURE}})
    response = client.post(
        reverse("fiche", args=[history.project.code]), {**post, "submit": "1"}, follow=True
    )
    history.refresh_from_db()
    assert history.review_state == ReviewState.SUBMITTED
    assert [f.rule for f in response.context["findings"]] == ["money_decreased"]


def test_a_milestone_row_shows_the_registry_error_on_its_field(client, editor, history):
    client.force_login(editor)
    changes = {"status": MilestoneState.DELAYED, "forecast_date": "2030-01-01", "delay_reason": "x"}
    response = client.post(
        reverse("fiche", args=[history.project.code]),
        fiche_post(history, milestones={2: changes}),
    )
    assert response.status_code == 400
    row = response.context["forms"].milestone_forms.forms[1]
    entry = MilestoneView(
        0, 2, "Gunning", DEADLINE, MilestoneState.DELAYED, None, dt.date(2030, 1, 1), "x"
    )
    [finding] = checks.check_milestone(snapshot(history), entry)
    assert row.errors["forecast_date"] == [finding.message]


def test_the_review_queue_shows_each_submitted_fiches_findings(client, coordinator, history):
    history.review_state = ReviewState.SUBMITTED
    history.save(update_fields=["review_state"])
    client.force_login(coordinator)
    response = client.get(history.round.get_absolute_url())
    [queued] = response.context["queue"]
    assert queued.findings == checks.check_fiches([history])[history.pk]
    page = response.content.decode()
    assert "2 bevindingen" in page
    for finding in queued.findings:
        assert finding.message in page


def test_the_review_queue_takes_a_fixed_number_of_queries(
    client, coordinator, open_round, django_assert_max_num_queries
):
    counts = []
    for size in (2, 20):
        for number in range(size):
            project = ProjectFactory()
            MilestoneFactory(project=project, number=1)
            fiche = FicheFactory(round=open_round, project=project, narrative="" if number else "x")
            fiche.review_state = ReviewState.SUBMITTED
            fiche.save(update_fields=["review_state"])
        client.force_login(coordinator)
        with django_assert_max_num_queries(20) as captured:
            page = client.get(open_round.get_absolute_url()).content.decode()
        assert page.count('class="finding finding-error"') >= size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_finding_is_a_plain_value():
    finding = Finding("warning", "paid_eur", "Lager.", "money_decreased")
    assert not finding.is_error
    assert finding.milestone is None
