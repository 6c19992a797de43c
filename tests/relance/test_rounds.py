"""Rounds: creating, opening (pre-filled from the previous round) and closing for good."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, IndicatorValue, ProjectStatus, ReportingRound, ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance import services
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.fiche_helpers import fiche_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """December 2023 closed with three projects: running, realised and stopped."""
    previous = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), state=RoundState.OPEN)
    running, realised, stopped = (ProjectFactory() for _ in range(3))
    for project, status in [
        (running, ProjectStatus.ATTENTION),
        (realised, ProjectStatus.REALISED),
        (stopped, ProjectStatus.STOPPED),
    ]:
        fiche = FicheFactory(
            round=previous, project=project, status=status,
            owner_status=ProjectStatus.IN_PROGRESS if status == ProjectStatus.ATTENTION else status,
            narrative=f"Toelichting {project.code}", review_state=ReviewState.APPROVED,
        )  # fmt: skip
        FinanceReportFactory(
            fiche=fiche, committed_eur=Decimal("750.25"), paid_eur=Decimal("125.75")
        )
    milestone = MilestoneFactory(project=running, number=1, deadline=dt.date(2023, 6, 30))
    MilestoneStatusFactory(
        round=previous, milestone=milestone, status=MilestoneState.DELAYED,
        forecast_date=dt.date(2024, 6, 30), delay_reason="Bezwaar", postponements=1,
    )  # fmt: skip
    IndicatorValueFactory(round=previous, indicator__project=running, value=Decimal("42"))
    services.close_round(reporting_round=previous, by=None)
    new = ProjectFactory()  # added to the plan since
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.DRAFT)
    return {"previous": previous, "upcoming": upcoming, "running": running, "new": new}


def test_opening_prefills_every_running_project_from_the_previous_round(history, coordinator):
    created = services.open_round(reporting_round=history["upcoming"], by=coordinator)
    upcoming = ReportingRound.objects.get(pk=history["upcoming"].pk)
    assert upcoming.state == RoundState.OPEN
    fiches = Fiche.objects.filter(round=upcoming)
    # The realised and the stopped project are carried forward (see test_faithful_rounds).
    assert created == 4
    assert set(fiches.filter(carried_forward=False).values_list("project", flat=True)) == {
        history["running"].pk,
        history["new"].pk,
    }

    carried = fiches.get(project=history["running"])
    # The flag was December 2023's; the new round starts from the owner's status.
    assert (carried.status, carried.owner_status) == (ProjectStatus.IN_PROGRESS,) * 2
    assert carried.narrative == f"Toelichting {history['running'].code}"
    assert carried.review_state == ReviewState.DRAFT
    finance = FinanceReport.objects.get(fiche=carried)
    assert (finance.committed_eur, finance.paid_eur, finance.budget_eur) == (
        Decimal("750.25"), Decimal("125.75"), None,
    )  # fmt: skip
    milestone = MilestoneStatus.objects.filter(round=upcoming).values(
        "status", "forecast_date", "delay_reason", "postponements"
    )
    assert list(milestone) == [
        {"status": MilestoneState.DELAYED, "forecast_date": dt.date(2024, 6, 30),
         "delay_reason": "Bezwaar", "postponements": 1},
    ]  # fmt: skip
    assert IndicatorValue.objects.get(round=upcoming).value == Decimal("42")

    fresh = fiches.get(project=history["new"])
    assert (fresh.status, fresh.narrative) == (ProjectStatus.NOT_STARTED, "")


def test_only_one_round_is_open_at_a_time(history, coordinator):
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    later = ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))
    with pytest.raises(services.ValidationError, match="nog open"):
        services.open_round(reporting_round=later, by=coordinator)
    assert Fiche.objects.filter(round=later).count() == 0
    assert ReportingRound.objects.get(pk=later.pk).state == RoundState.DRAFT


def test_closing_is_refused_while_fiches_are_not_reviewed(history, coordinator):
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    with pytest.raises(services.ValidationError, match="2 fiches niet ingediend"):
        services.close_round(reporting_round=history["upcoming"], by=coordinator)
    assert ReportingRound.objects.get(pk=history["upcoming"].pk).state == RoundState.OPEN


def test_closing_anyway_keeps_the_reason_and_the_budgets(history, coordinator):
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    services.close_round(
        reporting_round=history["upcoming"], by=coordinator, reason="Regering vergadert morgen"
    )
    closed = ReportingRound.objects.get(pk=history["upcoming"].pk)
    assert (closed.state, closed.close_reason, closed.closed_by) == (
        RoundState.CLOSED, "Regering vergadert morgen", coordinator,
    )  # fmt: skip
    budgets = FinanceReport.objects.filter(fiche__round=closed).values_list("budget_eur", flat=True)
    assert set(budgets) == {Decimal("1000000.00")}


def test_a_closed_round_is_frozen_for_the_form_as_well(client, history, coordinator, editor):
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    fiche = Fiche.objects.get(round=history["upcoming"], project=history["running"])
    post = fiche_post(fiche, narrative="Te laat")
    services.close_round(reporting_round=history["upcoming"], by=coordinator, reason="Klaar")
    client.force_login(coordinator)
    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 404
    assert Fiche.objects.get(pk=fiche.pk).narrative != "Te laat"


def test_the_rounds_are_listed_newest_first(client, coordinator):
    """Meta.ordering does not reach a query with an aggregate (the fiche counts): the list
    came in whatever order the database grouped the rounds."""
    for year, month in [(2022, 6), (2024, 12), (2021, 3), (2023, 12), (2022, 12)]:
        ReportingRoundFactory(reference_date=dt.date(year, month, 28)).close(by=None)
    client.force_login(coordinator)
    listed = [r.code for r in client.get(reverse("rounds:list")).context["rounds"]]
    assert listed == ["2024-12", "2023-12", "2022-12", "2022-06", "2021-03"]


ROUND_PAGES = ["rounds:list", "rounds:detail"]


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_user_sees_the_closed_rounds(client, users, history, role):
    client.force_login(users[role])
    assert client.get(reverse("rounds:list")).status_code == 200
    response = client.get(reverse("rounds:detail", args=[history["previous"].code]))
    assert response.status_code == 200
    assert response.context["totals"]["total"] == 3


@pytest.mark.parametrize(
    ("role", "status"), [(Role.READER, 404), (Role.EDITOR, 404), (Role.COORDINATOR, 200)]
)
def test_draft_rounds_are_for_coordinators(client, users, history, role, status):
    client.force_login(users[role])
    assert (
        client.get(reverse("rounds:detail", args=[history["upcoming"].code])).status_code == status
    )


def test_an_editor_counts_only_the_own_domains_open_fiches(
    client, history, coordinator, editor, domain
):
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    mine = Fiche.objects.filter(round=history["upcoming"], project__domain=domain).count()
    client.force_login(editor)
    response = client.get(reverse("rounds:detail", args=[history["upcoming"].code]))
    assert response.context["totals"]["total"] == mine < 2


@pytest.mark.parametrize("action", ["rounds:open", "rounds:close"])
@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_only_coordinators_open_and_close(client, users, history, role, action):
    client.force_login(users[role])
    before = list(ReportingRound.objects.values()), Fiche.objects.count()
    response = client.post(reverse(action, args=[history["upcoming"].code]), {"reason": "x"})
    assert response.status_code in (403, 404)
    assert (list(ReportingRound.objects.values()), Fiche.objects.count()) == before


def test_coordinator_opens_and_closes_through_the_pages(client, history, coordinator):
    client.force_login(coordinator)
    code = history["upcoming"].code
    response = client.post(reverse("rounds:open", args=[code]), follow=True)
    assert "4 fiches staan klaar, waarvan 2 overgenomen" in response.content.decode()
    response = client.post(reverse("rounds:close", args=[code]), {"reason": ""})
    assert response.status_code == 400
    assert "geef een reden" in response.content.decode()
    response = client.post(
        reverse("rounds:close", args=[code]), {"reason": "Deadline"}, follow=True
    )
    assert "is gesloten" in response.content.decode()
    assert ReportingRound.objects.get(code=code).is_closed


def test_coordinator_creates_a_round(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("rounds:create"),
        {
            "code": "2025-12",
            "name": "December 2025",
            "reference_date": "2025-12-31",
            "deadline": "2026-01-31",
        },
    )
    assert response.status_code == 302
    assert ReportingRound.objects.get(code="2025-12").state == RoundState.DRAFT


def test_a_round_code_must_match_its_reference_date(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("rounds:create"),
        {"code": "2025-06", "name": "Juni", "reference_date": "2025-12-31"},
    )
    assert response.status_code == 200
    assert "2025-12" in response.content.decode()
    assert not ReportingRound.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "De deadline kan niet vóór de referentiedatum vallen."),
        ("en", "The deadline cannot fall before the reference date."),
    ],
)
def test_a_deadline_before_the_reference_date_is_refused_saying_so(
    client, coordinator, language, message
):
    """The message said the deadline fell after the reference date: the rule, worded as if
    it were the fault."""
    client.force_login(coordinator)
    response = client.post(
        reverse("rounds:create"),
        {"code": "2027-06", "name": "Juni 2027", "reference_date": "2027-06-30",
         "deadline": "2027-06-15"},
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == [message]
    assert not ReportingRound.objects.exists()


def test_readers_cannot_create_rounds(client, reader):
    client.force_login(reader)
    assert client.get(reverse("rounds:create")).status_code == 403
    assert client.post(reverse("rounds:create"), {"code": "2025-12"}).status_code == 403
    assert not ReportingRound.objects.exists()


def test_a_finished_project_is_carried_into_every_later_round(history, coordinator):
    """Realised in 2023, carried into 2024, and again into 2025; it never needs work."""
    services.open_round(reporting_round=history["upcoming"], by=coordinator)
    services.close_round(reporting_round=history["upcoming"], by=coordinator, reason="Klaar")
    later = ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))
    services.open_round(reporting_round=later, by=coordinator)
    fiches = Fiche.objects.filter(round=later)
    assert fiches.count() == 4
    assert set(fiches.filter(review_state=ReviewState.DRAFT).values_list("project", flat=True)) == {
        history["running"].pk, history["new"].pk,
    }  # fmt: skip
    assert set(fiches.filter(carried_forward=True).values_list("status", flat=True)) == {
        ProjectStatus.REALISED, ProjectStatus.STOPPED,
    }  # fmt: skip


def test_the_previous_round_is_the_last_closed_one(history):
    ReportingRoundFactory(reference_date=dt.date(2020, 12, 31))  # an empty draft, earlier
    assert history["previous"].previous() is None
    assert history["upcoming"].previous() == history["previous"]
