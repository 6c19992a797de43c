"""Early warnings (relance/fiches/early_warnings.py): each reason fires when it should and
not when it should not, orange or red, none for flagged or finished projects; the review
queue and the coordinators' fiche show them; accept opens the flag form pre-filled, dismiss
records a reason that holds while the reasons do not grow, into the next round too."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from milestones.models import MilestoneState
from projects.models import (
    FlagLevel,
    ProjectStatus,
    StatusFlag,
)
from projects.models.rounds import RoundState
from relance.fiches import checks
from relance.fiches.early_warnings import (
    SUGGESTION_RULES,
    reasons,
    suggestion,
)
from relance.fiches.review import FollowUp, flag_project
from relance.fiches.snapshots import FicheView, MilestoneView, snapshot, snapshots
from tests.factories import MilestoneFactory, MilestoneStatusFactory
from tests.plans import PlanBuilder

pytestmark = pytest.mark.django_db

REFERENCE = dt.date(2024, 12, 31)
DUE = dt.date(2024, 6, 30)  # by the reference date
LATER = dt.date(2026, 6, 30)  # after it


# The thresholds these tests are written for (the settings' defaults may differ).
THRESHOLDS = {
    "delayed_share_pct": 30,
    "delayed_min_due": 2,
    "postponements": 2,
    "paid_elapsed_pct": 75,
    "paid_share_pct": 50,
    "red_reasons": 2,
    "severe": ("end_date_passed", "follow_up_overdue"),
}


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.RELANCE_EARLY_WARNING = THRESHOLDS


def milestone(number, status=MilestoneState.ON_SCHEDULE, deadline=DUE, **fields):
    return MilestoneView(number, number, f"Mijlpaal {number}", deadline, status=status, **fields)


QUIET = FicheView(
    project="VV001",
    reference_date=REFERENCE,
    status=ProjectStatus.IN_PROGRESS,
    owner_status=ProjectStatus.IN_PROGRESS,
    narrative="Volgens schema.",
    committed_eur=Decimal("1000000.00"),
    paid_eur=Decimal("600000.00"),
    budget_eur=Decimal("2000000.00"),
    milestones=(
        milestone(1, MilestoneState.REALISED, realised_on=DUE),
        milestone(2, MilestoneState.REALISED, realised_on=DUE),
        milestone(3, MilestoneState.FUTURE, deadline=LATER),
    ),
    start_date=dt.date(2021, 1, 1),
    end_date=dt.date(2025, 12, 31),
    checked_on=dt.date(2025, 2, 1),
)


def suggested(view):
    """What the registry's suggestion rules find (its other rules judge other things)."""
    return [f for f in checks.run_checks(view) if f.rule in SUGGESTION_RULES]


def with_milestones(*extra):
    return replace(QUIET, milestones=QUIET.milestones + extra)


# (reason, a view where it fires, its facts)
FIRES = [
    # 1 of 3 due milestones late: 33 % > 30 %.
    ("delayed_share", with_milestones(milestone(4, MilestoneState.DELAYED)), ("delayed_share",)),
    # Still on schedule past its deadline counts as late.
    ("delayed_share", with_milestones(milestone(4, deadline=dt.date(2024, 12, 30))),
     ("delayed_share",)),
    ("rrf_milestone_delayed",
     with_milestones(milestone(4, MilestoneState.DELAYED, deadline=LATER, rrf_reference="I-M4")),
     ("rrf_milestone_delayed:4",)),
    ("postponed", with_milestones(milestone(4, deadline=LATER, postponements=2)), ("postponed:4",)),
    ("end_date_passed", replace(QUIET, end_date=dt.date(2024, 12, 30)), ("end_date_passed",)),
    # 80 % of 2021-2025 elapsed, VEK 49,9 % of VAK.
    ("paid_behind", replace(QUIET, paid_eur=Decimal("499000")), ("paid_behind",)),
    ("follow_up_overdue", replace(QUIET, follow_up_due=dt.date(2025, 1, 31)),
     ("follow_up_overdue",)),
]  # fmt: skip

SILENT = [
    # 3 of 10 due milestones late: 30 % is not above 30 %.
    with_milestones(
        *(milestone(n, MilestoneState.REALISED, realised_on=DUE) for n in range(4, 9)),
        *(milestone(n, MilestoneState.DELAYED) for n in range(9, 12)),
    ),
    # One milestone due, late: too few to speak of a share.
    replace(QUIET, milestones=(milestone(1, MilestoneState.DELAYED),)),
    # Due on the reference date itself and on schedule: not late.
    with_milestones(milestone(4, deadline=REFERENCE)),
    # A stopped milestone or one without a status is not counted as due.
    replace(QUIET, milestones=(milestone(1, MilestoneState.STOPPED), milestone(2, ""))),
    # An RRF milestone on schedule, realised, or not yet due.
    with_milestones(milestone(4, deadline=LATER, rrf_reference="I-1.01-M4")),
    with_milestones(milestone(4, MilestoneState.REALISED, realised_on=DUE, rrf_reference="X")),
    # Postponed once; postponed twice but realised since.
    with_milestones(milestone(4, deadline=LATER, postponements=1)),
    with_milestones(milestone(4, MilestoneState.REALISED, realised_on=DUE, postponements=3)),
    # The end date on the reference date; no end date.
    replace(QUIET, end_date=REFERENCE),
    replace(QUIET, end_date=None),
    # VEK at exactly half of VAK; early in the project's life; no VAK.
    replace(QUIET, paid_eur=Decimal("500000")),
    replace(QUIET, paid_eur=Decimal("0"), start_date=dt.date(2024, 1, 1), end_date=LATER),
    replace(QUIET, committed_eur=None, paid_eur=Decimal("0")),
    # A follow-up due on the day checked, or none.
    replace(QUIET, follow_up_due=dt.date(2025, 2, 1)),
]


@pytest.mark.parametrize(("code", "view", "facts"), FIRES)
def test_each_reason_fires_when_it_should(code, view, facts):
    [reason] = reasons(view)
    assert (reason.code, reason.facts) == (code, facts)


@pytest.mark.parametrize("view", SILENT)
def test_no_reason_fires_when_it_should_not(view):
    assert reasons(view) == []
    assert suggested(view) == []


def test_one_reason_suggests_orange():
    view = replace(QUIET, paid_eur=Decimal("100000"))
    findings = suggested(view)
    assert [(f.rule, f.level, f.facts) for f in findings] == [
        ("suggest_attention", "warning", ("paid_behind",))
    ]


def test_two_reasons_suggest_red_and_only_red():
    view = replace(
        with_milestones(milestone(4, MilestoneState.DELAYED, rrf_reference="I-1.01-M4")),
        paid_eur=Decimal("100000"),
    )
    findings = suggested(view)
    assert [(f.rule, f.facts) for f in findings] == [
        (
            "suggest_action_required",
            ("delayed_share", "rrf_milestone_delayed:4", "paid_behind"),
        )
    ]


@pytest.mark.parametrize(
    "view",
    [replace(QUIET, end_date=dt.date(2024, 1, 1)), replace(QUIET, follow_up_due=DUE)],
)
def test_a_severe_reason_alone_suggests_red(view):
    found = suggestion(view)
    assert found is not None
    assert found.level == FlagLevel.ACTION_REQUIRED
    assert len(found.reasons) == 1


@pytest.mark.parametrize(
    ("status", "owner_status", "view", "expected"),
    [
        # Flagged orange: an orange suggestion is no news; a red one still is.
        (ProjectStatus.ATTENTION, ProjectStatus.IN_PROGRESS, replace(QUIET, paid_eur=Decimal(1)),
         None),
        (ProjectStatus.ATTENTION, ProjectStatus.IN_PROGRESS, replace(QUIET, follow_up_due=DUE),
         FlagLevel.ACTION_REQUIRED),
        # Flagged red: nothing to suggest.
        (ProjectStatus.ACTION_REQUIRED, ProjectStatus.IN_PROGRESS,
         replace(QUIET, follow_up_due=DUE, paid_eur=Decimal(1)), None),
        # Realised or stopped: nothing to suggest, whatever the data.
        (ProjectStatus.REALISED, ProjectStatus.REALISED,
         replace(QUIET, end_date=dt.date(2024, 1, 1), paid_eur=Decimal(1)), None),
        (ProjectStatus.STOPPED, ProjectStatus.STOPPED,
         replace(QUIET, end_date=dt.date(2024, 1, 1)), None),
    ],
)  # fmt: skip
def test_no_suggestion_for_a_project_flagged_that_high_or_finished(
    status, owner_status, view, expected
):
    found = suggestion(replace(view, status=status, owner_status=owner_status))
    assert (found.level if found else None) == expected


def test_the_message_lists_the_reasons_with_their_figures_in_dutch_and_english():
    view = replace(
        with_milestones(milestone(4, MilestoneState.DELAYED, postponements=2)),
        paid_eur=Decimal("100000"),
    )
    [finding] = suggested(view)
    assert finding.message.startswith("Suggestie rood (bijkomende actie noodzakelijk): ")
    assert "1 van de 3 mijlpalen" in finding.message
    assert "33%" in finding.message
    assert "4 (2 keer)" in finding.message
    assert "VEK 100.000 is 10% van VAK 1.000.000 na 80% van de looptijd" in finding.message
    with translation.override("en"):
        [english] = suggested(view)
    assert english.message.startswith("Suggested red (action required): ")
    assert "1 of the 3 milestones" in english.message
    assert (
        "VEK 100,000 is 10% of VAK 1,000,000 after 80% of the project's duration" in english.message
    )
    assert english.facts == finding.facts


# -- a constructed plan: what the snapshots load -----------------------------------------------


@pytest.fixture
def builder():
    return PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])


def plan_fiche(builder, reporting_round, project, *, paid="800000", statuses=(), **fields):
    """The project's fiche in the round, VAK 1.000.000 and VEK ``paid``, with milestones of
    ``statuses``: (number, status, deadline, extra fields) each."""
    fiche = builder.fiche(
        reporting_round,
        project,
        finance={"committed_eur": Decimal("1000000"), "paid_eur": Decimal(paid)},
        owner_status=fields.pop("owner_status", ProjectStatus.IN_PROGRESS),
        status=fields.pop("status", ProjectStatus.IN_PROGRESS),
        **fields,
    )
    for number, status, deadline, extra in statuses:
        made = project.milestones.filter(number=number).first() or MilestoneFactory(
            project=project,
            number=number,
            deadline=deadline,
            rrf_reference=extra.pop("rrf_reference", ""),
        )
        MilestoneStatusFactory(round=reporting_round, milestone=made, status=status, **extra)
    return fiche


def realised(number):
    return (number, MilestoneState.REALISED, DUE, {"realised_on": DUE})


def delayed(number, deadline=LATER, **extra):
    extra = {"forecast_date": dt.date(2027, 1, 1), "delay_reason": "Beroep", **extra}
    return (number, MilestoneState.DELAYED, deadline, extra)


@pytest.fixture
def plan(builder, coordinator):
    """A round of 31 December 2024, open, with one project per reason, one without any, and
    one that is realised although its end date passed. Each project runs 2021-2025."""
    projects = builder.add_projects(8, rrf=lambda n: n == 2, budget=lambda n: Decimal(2000000))
    reporting_round = builder.round(2024, state=RoundState.OPEN)
    fiches = {
        "quiet": plan_fiche(builder, reporting_round, projects[0], statuses=[realised(1)]),
        "delayed_share": plan_fiche(
            builder, reporting_round, projects[1],
            statuses=[realised(1), realised(2), delayed(3, deadline=DUE)],
        ),
        "rrf_milestone_delayed": plan_fiche(
            builder, reporting_round, projects[2],
            statuses=[delayed(1, rrf_reference="I-1.01-M1")],
        ),
        "postponed": plan_fiche(
            builder, reporting_round, projects[3], statuses=[delayed(1, postponements=2)]
        ),
        "paid_behind": plan_fiche(builder, reporting_round, projects[5], paid="100000"),
        "follow_up_overdue": plan_fiche(builder, reporting_round, projects[6]),
    }  # fmt: skip
    for project in (projects[4], projects[7]):
        project.end_date = dt.date(2024, 6, 30)
        project.save(update_fields=["end_date"])
    fiches["end_date_passed"] = plan_fiche(builder, reporting_round, projects[4])
    fiches["realised"] = plan_fiche(
        builder,
        reporting_round,
        projects[7],
        owner_status=ProjectStatus.REALISED,
        status=ProjectStatus.REALISED,
        paid="100000",
    )
    flag_project(
        fiche=fiches["follow_up_overdue"],
        by=coordinator,
        level=FlagLevel.ATTENTION,
        motivation="Vertraging",
        actions=[FollowUp("Plan bijsturen", "Kabinet", dt.date(2025, 1, 15))],
    )
    return fiches


def test_each_reason_fires_on_a_constructed_plan(plan):
    views = snapshots(plan.values())
    found = {key: suggestion(views[fiche.pk]) for key, fiche in plan.items()}
    assert {
        key: (s.rule, [r.code for r in s.reasons]) if s else None for key, s in found.items()
    } == {
        "quiet": None,
        "delayed_share": ("suggest_attention", ["delayed_share"]),
        "rrf_milestone_delayed": ("suggest_attention", ["rrf_milestone_delayed"]),
        "postponed": ("suggest_attention", ["postponed"]),
        "end_date_passed": ("suggest_action_required", ["end_date_passed"]),
        "paid_behind": ("suggest_attention", ["paid_behind"]),
        # Flagged orange, its follow-up overdue (today is past 15 January 2025): red.
        "follow_up_overdue": ("suggest_action_required", ["follow_up_overdue"]),
        "realised": None,
    }


def test_a_done_follow_up_or_a_lifted_flag_is_no_reason(plan, coordinator):
    fiche = plan["follow_up_overdue"]
    flag = StatusFlag.objects.get(fiche=fiche)
    flag.actions.update(done_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert snapshot(fiche).follow_up_due is None
    flag.actions.update(done_at=None)
    assert snapshot(fiche).follow_up_due == dt.date(2025, 1, 15)
    flag.lifted_at, flag.lift_reason = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "Opgelost"
    flag.save(update_fields=["lifted_at", "lift_reason"])
    assert snapshot(fiche).follow_up_due is None


def test_the_thresholds_are_read_from_the_settings(settings):
    view = with_milestones(milestone(4, MilestoneState.DELAYED, postponements=2))
    assert [r.code for r in reasons(view)] == ["delayed_share", "postponed"]
    settings.RELANCE_EARLY_WARNING = {**THRESHOLDS, "delayed_share_pct": 34, "postponements": 3}
    assert reasons(view) == []
    settings.RELANCE_EARLY_WARNING = {**THRESHOLDS, "red_reasons": 3}
    found = suggestion(view)
    assert found is not None
    assert found.level == FlagLevel.ATTENTION
    settings.RELANCE_EARLY_WARNING = {**THRESHOLDS, "severe": ("postponed",)}
    assert [f.rule for f in suggested(replace(QUIET, milestones=view.milestones[3:]))] == [
        "suggest_action_required"
    ]
