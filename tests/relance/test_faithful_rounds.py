"""Rounds opened and closed by the application give figures as faithful as the published
ones: finished projects are carried forward (counts and cumulative money never fall because
projects finished), a project leaves the plan from a round on only, and percentages are of
the round's envelope, frozen when it closes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewState,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from projects.permissions import can_edit_fiche
from relance import services
from relance.demo.load import load_demo_plan
from relance.fiches import review
from relance.fiches import services as fiche_services
from relance.forms import RoundForm
from relance.reporting.comparison import compare_rounds
from relance.summary import round_summary, summary_text
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

pytestmark = pytest.mark.django_db

FINISHED = {ProjectStatus.REALISED, ProjectStatus.STOPPED}


def _closed_round(year: int, fiches: dict[Project, tuple[str, str, str]]) -> ReportingRound:
    """A December round, closed through the service, with each project's (status, VAK,
    VEK)."""
    reporting_round = ReportingRoundFactory(
        reference_date=dt.date(year, 12, 31), state=RoundState.OPEN
    )
    for project, (status, committed, paid) in fiches.items():
        fiche = FicheFactory(
            round=reporting_round, project=project, status=status, owner_status=status,
            narrative=f"{project.code} in {year}", review_state=ReviewState.APPROVED,
        )  # fmt: skip
        FinanceReportFactory(fiche=fiche, committed_eur=Decimal(committed), paid_eur=Decimal(paid))
    services.close_round(reporting_round=reporting_round, by=None)
    return reporting_round


@pytest.fixture
def plan():
    """Eight projects of 1000 euro; December 2023 closed with two realised, one stopped and
    five running."""
    projects = [ProjectFactory(budget_eur=Decimal("1000.00")) for _ in range(8)]
    statuses = (
        [ProjectStatus.REALISED] * 2 + [ProjectStatus.STOPPED] + [ProjectStatus.IN_PROGRESS] * 5
    )
    last = _closed_round(
        2023,
        {
            project: (status, f"{600 + 10 * i}.00", f"{300 + 10 * i}.00")
            for i, (project, status) in enumerate(zip(projects, statuses, strict=True))
        },
    )
    return {"projects": projects, "last": last}


def _finish(reporting_round: ReportingRound, project: Project, by, status: str) -> None:
    """The owner reports the project finished, with more money, and it is approved."""
    fiche = Fiche.objects.get(round=reporting_round, project=project)
    finance = FinanceReport.objects.get(fiche=fiche)
    data = fiche_services.FicheInput(
        version=fiche.version,
        owner_status=status,
        narrative="Afgerond.",
        committed_eur=finance.committed_eur + 50,
        paid_eur=finance.paid_eur + 100,
        milestones=[
            fiche_services.MilestoneInput(
                milestone=milestone,
                status=MilestoneState.REALISED,
                realised_on=reporting_round.reference_date,
            )
            for milestone in project.milestones.all()
        ],
    )
    fiche_services.save_fiche(fiche=fiche, data=data, by=by, submit=True)
    review.approve_fiche(fiche=Fiche.objects.get(pk=fiche.pk), by=by)


def _open(year: int, by) -> ReportingRound:
    reporting_round = ReportingRoundFactory(reference_date=dt.date(year, 12, 31))
    services.open_round(reporting_round=reporting_round, by=by)
    return ReportingRound.objects.get(pk=reporting_round.pk)


def test_rounds_opened_and_closed_by_the_services_stay_cumulative(plan, coordinator):
    """Three rounds after December 2023, each finishing projects: the realised and stopped
    counts and the cumulative VAK and VEK never fall, and every project of the plan has a
    fiche in every round."""
    rounds = [plan["last"]]
    running = [p for p in plan["projects"] if p.fiches.get().status not in FINISHED]
    for year, finishing in [(2024, running[:2]), (2025, running[2:3]), (2026, running[3:5])]:
        reporting_round = _open(year, coordinator)
        for project in finishing:
            _finish(reporting_round, project, coordinator, ProjectStatus.REALISED)
        services.close_round(reporting_round=reporting_round, by=coordinator, reason="Klaar")
        rounds.append(reporting_round)

    summaries = [round_summary(reporting_round) for reporting_round in rounds]
    for before, after in zip(summaries, summaries[1:], strict=False):
        projects_before, projects_after = before.totals.projects, after.totals.projects
        assert projects_after.counts["realised"] >= projects_before.counts["realised"]
        assert projects_after.counts["stopped"] >= projects_before.counts["stopped"]
        finished_before = projects_before.counts["realised"] + projects_before.counts["stopped"]
        assert projects_after.carried_forward == finished_before
        assert after.totals.finance.committed_eur >= before.totals.finance.committed_eur
        assert after.totals.finance.paid_eur >= before.totals.finance.paid_eur
        assert after.totals.finance.committed_change_eur >= 0
        assert after.totals.finance.paid_change_eur >= 0
        in_plan = Project.objects.in_plan_at(after.round).count()
        assert projects_after.total == in_plan == Fiche.objects.filter(round=after.round).count()
    # Everything finished in the end, and every finished project still counts.
    assert summaries[-1].totals.projects.counts["realised"] == 7
    assert summaries[-1].totals.projects.total == 8
    text = summary_text(summaries[-1])
    assert "7 van de 8 relanceprojecten (88%) zijn gerealiseerd" in text


def test_a_carried_fiche_is_the_finished_fiche_unchanged_and_approved(plan, coordinator):
    realised = plan["projects"][0]
    later_plan = _closed_round(2024, {realised: (ProjectStatus.REALISED, "900.00", "800.00")})
    upcoming = ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))

    services.open_round(reporting_round=upcoming, by=coordinator)

    before = Fiche.objects.get(round=later_plan, project=realised)
    carried = Fiche.objects.select_related("finance").get(round=upcoming, project=realised)
    assert (carried.status, carried.owner_status, carried.narrative) == (
        before.status, before.owner_status, before.narrative,
    )  # fmt: skip
    assert (carried.review_state, carried.carried_forward) == (ReviewState.APPROVED, True)
    assert (carried.finance.committed_eur, carried.finance.paid_eur) == (
        Decimal("900.00"), Decimal("800.00"),
    )  # fmt: skip
    # The other projects' latest closed fiches are December 2023's: carried or pre-filled.
    fiches = Fiche.objects.filter(round=upcoming)
    assert fiches.count() == 8
    assert fiches.filter(carried_forward=True).count() == 3
    assert set(fiches.filter(carried_forward=False).values_list("review_state", flat=True)) == {
        ReviewState.DRAFT
    }
    # Carried fiches need no work: only the five running ones keep the round from closing.
    readiness = services.round_readiness(upcoming)
    assert (readiness.unsubmitted, readiness.unreviewed) == (5, 0)


def test_a_carried_fiche_keeps_its_milestones_and_indicators():
    project = ProjectFactory()
    previous = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), state=RoundState.OPEN)
    fiche = FicheFactory(
        round=previous, project=project, status=ProjectStatus.STOPPED,
        owner_status=ProjectStatus.STOPPED, review_state=ReviewState.APPROVED,
    )  # fmt: skip
    FinanceReportFactory(fiche=fiche)
    milestone = MilestoneFactory(project=project, number=1)
    MilestoneStatusFactory(
        round=previous, milestone=milestone, status=MilestoneState.STOPPED, note="Geschrapt"
    )
    indicator = IndicatorFactory(project=project)
    IndicatorDefinitionFactory(indicator=indicator, round=previous, name="Gemeenten")
    IndicatorValueFactory(round=previous, indicator=indicator, value=Decimal("12.5"))
    other = IndicatorFactory(project=project)
    IndicatorDefinitionFactory(indicator=other, round=previous, name="Oud")
    IndicatorDefinitionFactory(indicator=other, round=None, name="Nieuw, uit een werkboek")
    services.close_round(reporting_round=previous, by=None)
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))

    services.open_round(reporting_round=upcoming, by=None)

    status = MilestoneStatus.objects.get(round=upcoming)
    assert (status.milestone, status.status, status.note) == (
        milestone, MilestoneState.STOPPED, "Geschrapt",
    )  # fmt: skip
    assert IndicatorValue.objects.get(round=upcoming).value == Decimal("12.5")
    definitions = dict(
        IndicatorDefinition.objects.filter(round=upcoming).values_list("indicator", "name")
    )
    # Copied from the round before, or the pending one taken over.
    assert definitions == {indicator.pk: "Gemeenten", other.pk: "Nieuw, uit een werkboek"}
    assert not IndicatorDefinition.objects.filter(round__isnull=True).exists()
    assert IndicatorDefinition.objects.filter(round=previous).count() == 2


def test_a_project_finished_long_ago_is_carried_from_its_latest_closed_fiche(plan, coordinator):
    """An imported history may lack a finished project's fiche in later rounds."""
    realised = plan["projects"][0]
    _closed_round(
        2024, {p: (ProjectStatus.IN_PROGRESS, "1.00", "1.00") for p in plan["projects"][3:]}
    )
    upcoming = _open(2025, coordinator)
    carried = Fiche.objects.select_related("finance").get(round=upcoming, project=realised)
    assert (carried.status, carried.carried_forward, carried.narrative) == (
        ProjectStatus.REALISED, True, f"{realised.code} in 2023",
    )  # fmt: skip
    assert carried.finance.committed_eur == Decimal("600.00")


def test_opening_takes_the_same_queries_whatever_the_plans_size(coordinator):
    def open_with(projects: int, year: int) -> int:
        fiches = {}
        for i in range(projects):
            project = ProjectFactory()
            fiches[project] = (
                ProjectStatus.REALISED if i % 2 else ProjectStatus.IN_PROGRESS,
                "5.00",
                "1.00",
            )
        _closed_round(year, fiches)
        for project in fiches:
            IndicatorDefinitionFactory(indicator__project=project, round=None)
        upcoming = ReportingRoundFactory(reference_date=dt.date(year + 1, 6, 30))
        with CaptureQueriesContext(connection) as queries:
            services.open_round(reporting_round=upcoming, by=coordinator)
        services.close_round(reporting_round=upcoming, by=coordinator, reason="Test")
        return len(queries)

    # From the second round on, every kind of row is copied: its count is the one to keep.
    counts = [open_with(3, 2030), open_with(3, 2040), open_with(12, 2050)]
    assert counts[1] == counts[2]


# -- editing a carried fiche -----------------------------------------------------------------


@pytest.fixture
def carried(domain, coordinator):
    project = ProjectFactory(domain=domain)
    _closed_round(2023, {project: (ProjectStatus.REALISED, "10.00", "5.00")})
    upcoming = _open(2024, coordinator)
    return Fiche.objects.select_related("round", "project").get(round=upcoming)


def test_an_editor_reads_a_carried_fiche_but_a_coordinator_may_change_it(
    carried, editor, coordinator
):
    assert carried.carried_forward
    assert not can_edit_fiche(editor, carried)
    assert can_edit_fiche(coordinator, carried)


def test_the_round_page_shows_the_carried_fiches(client, carried, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("rounds:detail", args=[carried.round.code]))
    assert response.context["totals"]["carried"] == 1
    assert "overgenomen" in response.content.decode()


def test_a_coordinators_change_makes_a_carried_fiche_an_ordinary_one(carried, coordinator):
    data = fiche_services.FicheInput(
        version=carried.version,
        owner_status=ProjectStatus.IN_PROGRESS,
        narrative="Opnieuw opgenomen.",
        committed_eur=Decimal("10.00"),
        paid_eur=Decimal("5.00"),
    )
    fiche_services.save_fiche(fiche=carried, data=data, by=coordinator)
    carried.refresh_from_db()
    assert (carried.carried_forward, carried.status) == (False, ProjectStatus.IN_PROGRESS)


def test_a_returned_carried_fiche_is_its_editors_to_work_on_again(carried, editor, coordinator):
    review.return_fiche(fiche=carried, by=coordinator, comment="Het project loopt toch nog.")
    carried.refresh_from_db()
    assert (carried.carried_forward, carried.review_state) == (False, ReviewState.RETURNED)
    assert can_edit_fiche(editor, carried)
    assert round_summary(carried.round).as_json()["projects"]["carried_forward"] == 0


# -- leaving the plan ------------------------------------------------------------------------


def _snapshot() -> tuple:
    return (
        list(Project.objects.values("pk", "left_plan_from", "left_plan_reason")),
        list(Fiche.objects.values_list("pk", flat=True)),
        FinanceReport.objects.count(),
        MilestoneStatus.objects.count(),
        IndicatorValue.objects.count(),
    )


def test_leaving_the_plan_from_the_open_round_removes_its_draft_only_from_then_on(
    plan, coordinator
):
    leaving = plan["projects"][4]
    milestone = MilestoneFactory(project=leaving, number=1)
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    services.open_round(reporting_round=upcoming, by=coordinator)
    MilestoneStatusFactory(round=upcoming, milestone=milestone, status=MilestoneState.FUTURE)
    IndicatorValueFactory(round=upcoming, indicator__project=leaving)
    before = round_summary(plan["last"]).as_json()

    removed = services.leave_plan(
        project=leaving, from_round=upcoming, reason="Reguliere middelen", by=coordinator
    )

    assert removed == 1
    assert not Fiche.objects.filter(round=upcoming, project=leaving).exists()
    assert not MilestoneStatus.objects.filter(round=upcoming).exists()
    assert not IndicatorValue.objects.filter(round=upcoming).exists()
    leaving.refresh_from_db()
    assert (leaving.left_plan_from, leaving.left_plan_reason) == (upcoming, "Reguliere middelen")
    # The round before keeps it; this round counts the projects still in the plan.
    assert round_summary(plan["last"]).as_json() == before
    services.close_round(reporting_round=upcoming, by=coordinator, reason="Klaar")
    now = round_summary(upcoming)
    assert now.totals.projects.total == 7 == Project.objects.in_plan_at(upcoming).count()
    assert Project.objects.in_plan_at(plan["last"]).count() == 8
    # ... and no later round brings it back.
    later = _open(2025, coordinator)
    assert not Fiche.objects.filter(round=later, project=leaving).exists()
    assert Fiche.objects.filter(round=later).count() == 7
    # The comparison's matrix adds up to the projects of either round.
    comparison = compare_rounds(upcoming)
    assert comparison.total == 8 == sum(comparison.column_totals)
    assert comparison.matrix[ProjectStatus.IN_PROGRESS][""] == 1
    assert comparison.matrix[ProjectStatus.REALISED][ProjectStatus.REALISED] == 2


def test_a_project_that_left_before_the_round_opened_gets_no_fiche(plan, coordinator):
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    leaving = plan["projects"][5]
    assert (
        services.leave_plan(
            project=leaving, from_round=upcoming, reason="Reguliere middelen", by=coordinator
        )
        == 0
    )
    services.open_round(reporting_round=upcoming, by=coordinator)
    assert Fiche.objects.filter(round=upcoming).count() == 7
    assert not Fiche.objects.filter(round=upcoming, project=leaving).exists()


def test_leaving_needs_a_reason(plan, coordinator):
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    before = _snapshot()
    with pytest.raises(services.ValidationError, match="reden"):
        services.leave_plan(
            project=plan["projects"][4], from_round=upcoming, reason="  ", by=coordinator
        )
    assert _snapshot() == before


def test_a_closed_round_with_the_projects_fiche_keeps_it(plan, coordinator):
    before = _snapshot()
    with pytest.raises(services.ValidationError, match="gesloten meetmoment"):
        services.leave_plan(
            project=plan["projects"][4], from_round=plan["last"], reason="Te laat", by=coordinator
        )
    assert _snapshot() == before


def test_a_closed_round_without_the_projects_fiche_may_record_its_leaving(plan, coordinator):
    """As in the published history: the 22 projects of December 2024 have no fiche there."""
    leaving = plan["projects"][4]
    december_2024 = _closed_round(
        2024, {plan["projects"][5]: (ProjectStatus.IN_PROGRESS, "1", "1")}
    )
    services.leave_plan(
        project=leaving, from_round=december_2024, reason="Reguliere middelen", by=coordinator
    )
    assert not Project.objects.in_plan_at(december_2024).filter(pk=leaving.pk).exists()
    assert Project.objects.in_plan_at(plan["last"]).filter(pk=leaving.pk).exists()


def test_a_submitted_fiche_must_be_returned_before_its_project_leaves(plan, coordinator):
    upcoming = _open(2024, coordinator)
    leaving = plan["projects"][4]
    fiche = Fiche.objects.get(round=upcoming, project=leaving)
    Fiche.objects.filter(pk=fiche.pk).update(review_state=ReviewState.SUBMITTED)
    before = _snapshot()
    with pytest.raises(services.ValidationError, match="stuur ze eerst terug"):
        services.leave_plan(project=leaving, from_round=upcoming, reason="Weg", by=coordinator)
    assert _snapshot() == before


def test_a_carried_fiche_leaves_with_its_project(plan, coordinator):
    upcoming = _open(2024, coordinator)
    realised = plan["projects"][0]
    assert (
        services.leave_plan(
            project=realised, from_round=upcoming, reason="Afgerond en afgesloten", by=coordinator
        )
        == 1
    )
    assert not Fiche.objects.filter(round=upcoming, project=realised).exists()


def test_a_coordinator_takes_a_project_out_on_its_page(client, plan, coordinator):
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    project = plan["projects"][4]
    client.force_login(coordinator)
    page = client.get(reverse("project", args=[project.code]))
    assert list(page.context["leave_form"].fields["from_round"].queryset) == [upcoming]
    response = client.post(
        reverse("project-leave-plan", args=[project.code]),
        {"from_round": upcoming.pk, "reason": "Reguliere middelen"},
        follow=True,
    )
    assert f"{project.code} is buiten het plan vanaf" in response.content.decode()
    assert "Buiten het plan vanaf December 2024: Reguliere middelen" in response.content.decode()
    project.refresh_from_db()
    assert project.left_plan_from == upcoming


def test_the_page_says_why_a_leaving_is_refused(client, plan, coordinator):
    project = plan["projects"][4]
    client.force_login(coordinator)
    before = _snapshot()
    response = client.post(
        reverse("project-leave-plan", args=[project.code]),
        {"from_round": plan["last"].pk, "reason": "Te laat"},
        follow=True,
    )
    assert "gesloten meetmoment" in response.content.decode()
    assert _snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in_to_take_a_project_out(client, plan):
    project = plan["projects"][4]
    before = _snapshot()
    response = client.post(
        reverse("project-leave-plan", args=[project.code]),
        {"from_round": plan["last"].pk, "reason": "x"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _snapshot() == before


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_only_coordinators_take_a_project_out(client, users, plan, role):
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    project = plan["projects"][4]
    client.force_login(users[role])
    before = _snapshot()
    response = client.post(
        reverse("project-leave-plan", args=[project.code]),
        {"from_round": upcoming.pk, "reason": "Reguliere middelen"},
    )
    assert response.status_code == 403
    assert _snapshot() == before
    assert client.get(reverse("project", args=[project.code])).context["leave_form"] is None


def test_taking_a_project_out_is_a_post(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("project-leave-plan", args=[plan["projects"][4].code])
    assert client.get(url).status_code == 405


# -- the envelope ----------------------------------------------------------------------------


def test_the_first_rounds_envelope_is_its_budgets_frozen_at_close(plan):
    last = ReportingRound.objects.get(pk=plan["last"].pk)
    assert last.envelope_eur == Decimal("8000.00")
    Project.objects.update(budget_eur=Decimal("5000.00"))
    assert ReportingRound.objects.get(pk=last.pk).effective_envelope() == Decimal("8000.00")


def test_a_round_keeps_the_previous_envelope_or_its_own(plan, coordinator):
    inherited = _open(2024, coordinator)
    assert inherited.envelope_eur is None
    assert inherited.effective_envelope() == Decimal("8000.00")
    services.close_round(reporting_round=inherited, by=coordinator, reason="Klaar")
    assert ReportingRound.objects.get(pk=inherited.pk).envelope_eur == Decimal("8000.00")

    own = ReportingRoundFactory(reference_date=dt.date(2025, 12, 31), envelope_eur=Decimal("10000"))
    services.open_round(reporting_round=own, by=coordinator)
    services.close_round(reporting_round=own, by=coordinator, reason="Klaar")
    own.refresh_from_db()
    assert own.envelope_eur == Decimal("10000.00")

    summary = round_summary(own)
    finance = summary.totals.finance
    assert finance.envelope_eur == Decimal("10000.00")
    # 8 fiches of 1000 euro: VAK 600..670, VEK 300..370 carried unchanged.
    committed = sum(Decimal(600 + 10 * i) for i in range(8))
    paid = sum(Decimal(300 + 10 * i) for i in range(8))
    assert finance.committed_eur == committed
    assert finance.committed_pct == (committed * 100 / 10000).quantize(Decimal("0.01"))
    # The change in points compares with the previous round's share of its own envelope.
    assert finance.paid_change_pct_points == (paid * 100 / 10000 - paid * 100 / 8000).quantize(
        Decimal("0.01")
    )
    assert "van het budget van 10.000 euro" in summary_text(summary)
    # A part of the plan: of its own budget.
    number = plan["projects"][0].cluster.speerpunt.number
    part = round_summary(own, speerpunt=number).totals.finance
    assert part.envelope_eur is None
    assert part.committed_pct == (part.committed_eur * 100 / part.budget_eur).quantize(
        Decimal("0.01")
    )


def test_the_summary_json_gives_the_envelope_and_the_carried_fiches(plan, coordinator):
    upcoming = _open(2024, coordinator)
    summary = round_summary(upcoming).as_json()
    assert summary["finance"]["envelope_eur"] == "8000.00"
    assert summary["projects"]["carried_forward"] == 3
    assert sum(part["projects"]["carried_forward"] for part in summary["by_speerpunt"]) == 3
    assert {part["finance"]["envelope_eur"] for part in summary["by_speerpunt"]} == {None}


def test_coordinators_set_the_envelope_on_the_round_form(client, coordinator):
    client.force_login(coordinator)
    fields = {"code": "2025-12", "name": "December 2025", "reference_date": "2025-12-31"}
    response = client.post(reverse("rounds:create"), {**fields, "envelope_eur": "0"})
    assert response.status_code == 200
    assert not ReportingRound.objects.exists()
    response = client.post(reverse("rounds:create"), {**fields, "envelope_eur": "4300000000,00"})
    assert response.status_code == 302
    assert ReportingRound.objects.get().envelope_eur == Decimal("4300000000.00")


def test_the_envelope_field_is_bounded():
    form = RoundForm(
        {
            "code": "2025-12",
            "name": "December 2025",
            "reference_date": "2025-12-31",
            "envelope_eur": "10000000000000",
        }
    )
    assert not form.is_valid()
    assert "envelope_eur" in form.errors


# -- the demo plan ---------------------------------------------------------------------------


def test_rounds_after_the_demos_last_closed_round_stay_cumulative(coordinator):
    """The demo's history (whatever rounds it holds), then two rounds opened and closed by
    the services, five projects leaving the plan in the first: nothing falls because
    projects finished, and the leaving projects drop from that round on only."""
    load_demo_plan(today=dt.date(2026, 11, 22))
    # Start from the last closed round: a round the loader left open is not the services'.
    for unfinished in ReportingRound.objects.exclude(state=RoundState.CLOSED):
        services._remove_fiches(list(Fiche.objects.filter(round=unfinished)))
        IndicatorDefinition.objects.filter(round=unfinished).delete()
        unfinished.delete()
    last = ReportingRound.objects.closed().latest()
    published = round_summary(last)
    year = last.reference_date.year

    first = ReportingRoundFactory(reference_date=dt.date(year + 1, 12, 31))
    running = list(
        Fiche.objects.filter(round=last)
        .exclude(status__in=FINISHED)
        .order_by("project__code")
        .values_list("project", flat=True)
    )
    leaving = Project.objects.filter(pk__in=running[:5])
    for project in leaving:
        services.leave_plan(
            project=project, from_round=first, reason="Reguliere middelen", by=coordinator
        )
    services.open_round(reporting_round=first, by=coordinator)
    for project in Project.objects.filter(pk__in=running[5:15]):
        _finish(first, project, coordinator, ProjectStatus.REALISED)
    services.close_round(reporting_round=first, by=coordinator, reason="Demo")
    second = _open(year + 2, coordinator)
    services.close_round(reporting_round=second, by=coordinator, reason="Demo")

    after_first, after_second = round_summary(first), round_summary(second)
    left_money = FinanceReport.objects.filter(fiche__round=last, fiche__project__in=leaving)
    left_committed = sum(f.committed_eur or 0 for f in left_money)
    left_paid = sum(f.paid_eur or 0 for f in left_money)
    assert round_summary(last).as_json() == published.as_json()
    assert after_first.totals.projects.total == published.totals.projects.total - 5
    for before, after, gone in [
        (published, after_first, (left_committed, left_paid)),
        (after_first, after_second, (0, 0)),
    ]:
        counts_before, counts_after = before.totals.projects, after.totals.projects
        assert counts_after.counts["realised"] >= counts_before.counts["realised"]
        assert counts_after.counts["stopped"] >= counts_before.counts["stopped"]
        assert counts_after.total == Project.objects.in_plan_at(after.round).count()
        money_before, money_after = before.totals.finance, after.totals.finance
        assert money_after.committed_eur >= money_before.committed_eur - gone[0]
        assert money_after.paid_eur >= money_before.paid_eur - gone[1]
        # The envelope stays the one the history closed with, frozen at each close.
        frozen = ReportingRound.objects.get(pk=after.round.pk).envelope_eur
        assert frozen == before.round.effective_envelope() == after.totals.finance.envelope_eur
    realised = published.totals.projects.counts["realised"]
    assert after_first.totals.projects.counts["realised"] == realised + 10
    assert after_second.totals.projects.carried_forward == (
        after_first.totals.projects.counts["realised"]
        + after_first.totals.projects.counts["stopped"]
    )


# -- every page tells the same, cumulative story ---------------------------------------------


def test_every_page_counts_the_finished_projects_after_a_round_closes(
    client, plan, coordinator, reader
):
    running = [p for p in plan["projects"] if p.fiches.get().status not in FINISHED]
    upcoming = _open(2024, coordinator)
    for project in running[:2]:
        _finish(upcoming, project, coordinator, ProjectStatus.REALISED)
    services.close_round(reporting_round=upcoming, by=coordinator, reason="Klaar")
    summary = round_summary(upcoming)
    assert (summary.totals.projects.counts["realised"], summary.totals.projects.total) == (4, 8)

    client.force_login(reader)
    dashboard = client.get(reverse("home"), {"round": upcoming.code}).context["dashboard"]
    assert dashboard.summary.totals == summary.totals
    comparison = client.get(reverse("rounds:compare", args=[upcoming.code])).context["comparison"]
    assert comparison.total == 8 == sum(comparison.column_totals)
    # Carried: realised → realised; finished now: in progress → realised.
    assert comparison.matrix[ProjectStatus.REALISED][ProjectStatus.REALISED] == 2
    assert comparison.matrix[ProjectStatus.IN_PROGRESS][ProjectStatus.REALISED] == 2
    report = client.get(reverse("rounds:report-page", args=[upcoming.code])).context["report"]
    assert "4 van de 8 relanceprojecten (50%) zijn gerealiseerd" in " ".join(report.text)
    assert len(report.sheets) == 8
    client.logout()
    api = client.get(reverse("api:round-summary", args=[upcoming.code])).json()
    assert api == summary.as_json()
    assert (api["projects"]["realised"], api["projects"]["carried_forward"]) == (4, 3)
    assert api["finance"]["committed_change_eur"] == "100.00"  # two projects, +50 each


def test_the_admin_site_leaves_leaving_the_plan_to_the_project_page(client, admin_user, plan):
    client.force_login(admin_user)
    project = plan["projects"][4]
    response = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not {"left_plan_from", "left_plan_reason"} & set(form.fields)


def test_the_round_page_gives_the_envelope_it_has(client, plan, coordinator):
    """A closed round's frozen envelope, or the one set for the round; one inherited while
    the round is open is resolved by the figures, not on this page."""
    client.force_login(coordinator)
    response = client.get(reverse("rounds:detail", args=[plan["last"].code]))
    assert "envelop € 8.000,00" in response.content.decode()
    upcoming = ReportingRoundFactory(
        reference_date=dt.date(2024, 12, 31), envelope_eur=Decimal("9000")
    )
    response = client.get(reverse("rounds:detail", args=[upcoming.code]))
    assert "envelop € 9.000,00" in response.content.decode()
