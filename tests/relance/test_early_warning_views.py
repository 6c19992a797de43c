"""Early warnings where the coordinators meet them: the review queue and the fiche. Accept
opens the flag form pre-filled (only submitting it raises a flag); dismiss takes a reason,
is the coordinators' and admins' alone, and holds while the reasons do not grow, into the
next round too. Advice only: nothing changes a status by itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    FindingNote,
    FlagLevel,
    NoteKind,
    ProjectStatus,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance import services as round_services
from relance.fiches.early_warnings import dismiss_suggestion, suggestion
from relance.fiches.review import ReviewError
from relance.fiches.snapshots import snapshot
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REFERENCE = dt.date(2024, 12, 31)


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


def submitted_fiche(reporting_round, project, *, paid="100000"):
    """A submitted fiche, VAK 1.000.000 and VEK ``paid``: with the project's 2021-2025
    life 80 % gone by the end of 2024, a VEK under half of VAK suggests orange."""
    fiche = FicheFactory(
        round=reporting_round,
        project=project,
        owner_status=ProjectStatus.IN_PROGRESS,
        status=ProjectStatus.IN_PROGRESS,
        review_state=ReviewState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("1000000"), paid_eur=Decimal(paid))
    return fiche


@pytest.fixture
def reporting_round():
    return ReportingRoundFactory(reference_date=REFERENCE, state=RoundState.OPEN)


@pytest.fixture
def fiche(reporting_round, project):
    return submitted_fiche(reporting_round, project)


def delay(reporting_round, project, number, *, rrf=True):
    """Milestone ``number`` of the project (made if need be), delayed in the round."""
    made = project.milestones.filter(number=number).first() or MilestoneFactory(
        project=project,
        number=number,
        deadline=dt.date(2026, 6, 30),
        rrf_reference=f"I-1.01-M{number}" if rrf else "",
    )
    MilestoneStatus.objects.update_or_create(
        round=reporting_round,
        milestone=made,
        defaults={
            "status": MilestoneState.DELAYED,
            "forecast_date": dt.date(2027, 1, 1),
            "delay_reason": "Beroep",
        },
    )


def fiche_url(fiche):
    return reverse("fiche", args=[fiche.project.code])


def accept_url(fiche):
    return reverse("fiche-suggestion-accept", args=[fiche.project.code])


def dismiss_url(fiche):
    return reverse("fiche-suggestion-dismiss", args=[fiche.project.code])


def dismissal(fiche, reason="Betalingen volgen in januari."):
    """The dismiss form as the fiche page sends it for the suggestion it shows."""
    found = suggestion(snapshot(fiche))
    assert found is not None
    return {"reason": reason, "rule": found.rule, "facts": ",".join(found.facts)}


def database(fiche):
    """What a refused step must leave alone."""
    fiche.refresh_from_db()
    return (
        fiche.version,
        fiche.status,
        StatusFlag.objects.count(),
        ReviewEvent.objects.count(),
        list(FindingNote.objects.values_list("rule", "facts", "comment")),
    )


# -- shown ---------------------------------------------------------------------------------


def test_the_review_queue_shows_the_suggestion_and_its_reasons(client, coordinator, fiche):
    client.force_login(coordinator)
    response = client.get(fiche.round.get_absolute_url())
    [queued] = response.context["queue"]
    assert queued.suggested.finding.rule == "suggest_attention"
    assert queued.suggested.finding.facts == ("paid_behind",)
    assert queued.suggested.dismissed is None
    assert all(not f.rule.startswith("suggest_") for f in queued.findings)
    page = response.content.decode()
    assert "suggestie: oranje" in page
    assert "VEK 100.000 is 10% van VAK 1.000.000 na 80% van de looptijd" in page
    assert accept_url(fiche) in page


def test_the_fiche_shows_the_suggestion_to_coordinators_and_admins_only(client, users, fiche):
    shown = {}
    for role, user in users.items():
        client.force_login(user)
        response = client.get(fiche_url(fiche))
        if response.status_code == 403:
            shown[role] = None
            continue
        page = response.content.decode()
        suggested = response.context["suggested"]
        assert all(not f.rule.startswith("suggest_") for f in response.context["findings"])
        shown[role] = (
            suggested is not None,
            "VEK 100.000 is 10%" in page,
            dismiss_url(fiche) in page,
        )
    assert shown == {
        "reader": None,
        "editor": (False, False, False),
        "coordinator": (True, True, True),
        "admin": (True, True, True),
    }


# -- accept --------------------------------------------------------------------------------


def test_accept_opens_the_flag_form_filled_in_and_changes_nothing(client, coordinator, fiche):
    before = database(fiche)
    client.force_login(coordinator)
    response = client.get(accept_url(fiche))
    assert response.status_code == 200
    form = response.context["review"]["flag_form"]
    assert form.initial["level"] == FlagLevel.ATTENTION
    assert form.initial["motivation"].startswith("Op voorstel van de vroege waarschuwing: VEK")
    page = response.content.decode()
    assert '<details id="flag-form" open>' in page
    assert "Op voorstel van de vroege waarschuwing: VEK 100.000" in page
    assert database(fiche) == before

    # Only submitting the form raises the flag; the suggestion is then no news.
    response = client.post(
        reverse("fiche-flag", args=[fiche.project.code]),
        {
            "version": fiche.version,
            "level": form.initial["level"],
            "motivation": form.initial["motivation"],
            "actions-TOTAL_FORMS": 1,
            "actions-INITIAL_FORMS": 0,
            "actions-0-description": "Betalingsplan opvragen",
            "actions-0-owner": "Kabinet",
            "actions-0-due_date": "2030-01-31",
        },
    )
    assert response.status_code == 302
    flag = StatusFlag.objects.get(fiche=fiche)
    assert (flag.level, flag.motivation) == (FlagLevel.ATTENTION, form.initial["motivation"])
    fiche.refresh_from_db()
    assert fiche.status == ProjectStatus.ATTENTION
    assert client.get(fiche_url(fiche)).context["suggested"] is None


def test_accept_on_a_flagged_project_asks_to_lift_the_flag_first(client, coordinator, fiche):
    delay(fiche.round, fiche.project, 1)  # a second reason: red
    flag = StatusFlag.objects.create(
        fiche=fiche, level=FlagLevel.ATTENTION, motivation="Vertraging", raised_by=coordinator
    )
    Fiche.objects.filter(pk=fiche.pk).update(status=ProjectStatus.ATTENTION)
    before = database(fiche)
    client.force_login(coordinator)
    response = client.get(accept_url(fiche))
    assert response.status_code == 200
    assert "hef die markering eerst op" in response.content.decode()
    assert database(fiche) == before
    assert StatusFlag.objects.get() == flag


def test_accept_without_a_suggestion_says_so(client, coordinator, reporting_round, project):
    quiet = submitted_fiche(reporting_round, project, paid="900000")
    client.force_login(coordinator)
    response = client.get(accept_url(quiet), follow=True)
    assert "Er is geen suggestie meer" in response.content.decode()


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_accept_is_refused_to_editors_and_readers(client, users, fiche, role):
    client.force_login(users[role])
    assert client.get(accept_url(fiche)).status_code == 403
    assert client.post(accept_url(fiche)).status_code in (403, 405)


def test_anonymous_visitors_are_sent_to_sign_in(client, fiche):
    before = database(fiche)
    for response in (client.get(accept_url(fiche)), client.post(dismiss_url(fiche), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert database(fiche) == before


# -- dismiss -------------------------------------------------------------------------------


def test_dismissing_needs_a_reason(client, coordinator, fiche):
    before = database(fiche)
    client.force_login(coordinator)
    response = client.post(dismiss_url(fiche), dismissal(fiche, reason="  "))
    assert response.status_code == 400
    assert "Zeg waarom de suggestie afgewezen wordt." in response.content.decode()
    assert database(fiche) == before


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_dismissing_is_refused_to_editors_and_readers(client, users, fiche, role):
    before = database(fiche)
    client.force_login(users[role])
    assert client.post(dismiss_url(fiche), dismissal(fiche)).status_code == 403
    assert client.get(dismiss_url(fiche)).status_code in (403, 405)
    assert database(fiche) == before


def test_a_suggestion_changed_since_it_was_seen_is_not_dismissed(client, coordinator, fiche):
    seen = dismissal(fiche)
    delay(fiche.round, fiche.project, 1)  # meanwhile: a second reason, red
    before = database(fiche)
    client.force_login(coordinator)
    response = client.post(dismiss_url(fiche), seen)
    assert response.status_code == 400
    assert "De suggestie is gewijzigd" in response.content.decode()
    assert database(fiche) == before


def test_a_dismissal_is_recorded_and_the_suggestion_stays_visible_as_dismissed(
    client, coordinator, fiche
):
    client.force_login(coordinator)
    response = client.post(dismiss_url(fiche), dismissal(fiche))
    assert response.status_code == 302
    note = FindingNote.objects.get()
    assert (note.project, note.round, note.rule, note.milestone, note.kind) == (
        fiche.project,
        fiche.round,
        "suggest_attention",
        None,
        NoteKind.DISMISSED,
    )
    assert (note.facts, note.comment, note.noted_by) == (
        ["paid_behind"],
        "Betalingen volgen in januari.",
        coordinator,
    )
    # Nothing else changed: no flag, the same status.
    fiche.refresh_from_db()
    assert (fiche.status, StatusFlag.objects.count()) == (ProjectStatus.IN_PROGRESS, 0)
    response = client.get(fiche.round.get_absolute_url())
    [queued] = response.context["queue"]
    assert queued.suggested.dismissed == note
    page = response.content.decode()
    assert "afgewezen" in page
    assert "Betalingen volgen in januari." in page
    assert accept_url(fiche) not in page
    page = client.get(fiche_url(fiche)).content.decode()
    assert "Betalingen volgen in januari." in page
    assert dismiss_url(fiche) not in page


def test_a_dismissed_suggestion_reappears_when_a_reason_is_added(
    client, coordinator, reporting_round, project
):
    fiche = submitted_fiche(reporting_round, project, paid="900000")
    delay(reporting_round, project, 1)
    dismiss_suggestion(
        fiche=fiche, by=coordinator, reason="Bekend", seen_rule="suggest_attention",
        seen_facts=["rrf_milestone_delayed:1"],
    )  # fmt: skip
    client.force_login(coordinator)

    def queued():
        [item] = client.get(reporting_round.get_absolute_url()).context["queue"]
        return item.suggested.finding.facts, item.suggested.dismissed is not None

    assert queued() == (("rrf_milestone_delayed:1",), True)
    # A second RRF milestone delayed: the same reason, grown; orange still, no longer dismissed.
    delay(reporting_round, project, 2)
    assert queued() == (("rrf_milestone_delayed:1", "rrf_milestone_delayed:2"), False)


def test_a_dismissed_red_suggestion_covers_the_orange_one_its_reasons_shrink_to(
    client, coordinator, reporting_round, project
):
    fiche = submitted_fiche(reporting_round, project)
    delay(reporting_round, project, 1)
    found = suggestion(snapshot(fiche))
    assert found is not None
    assert found.rule == "suggest_action_required"
    dismiss_suggestion(
        fiche=fiche, by=coordinator, reason="Bekend", seen_rule=found.rule, seen_facts=found.facts
    )
    fiche.finance.paid_eur = Decimal("900000")
    fiche.finance.save(update_fields=["paid_eur"])
    client.force_login(coordinator)
    [item] = client.get(reporting_round.get_absolute_url()).context["queue"]
    assert item.suggested.finding.rule == "suggest_attention"
    assert item.suggested.dismissed is not None


def test_a_dismissal_carries_into_the_next_round_while_the_reasons_hold(
    client, coordinator, project
):
    first = ReportingRoundFactory(reference_date=REFERENCE, state=RoundState.OPEN)
    fiche = submitted_fiche(first, project, paid="900000")
    delay(first, project, 1)
    dismiss_suggestion(
        fiche=fiche, by=coordinator, reason="Bekend bij de Commissie",
        seen_rule="suggest_attention", seen_facts=["rrf_milestone_delayed:1"],
    )  # fmt: skip
    first.close(by=None)
    second = ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))
    round_services.open_round(reporting_round=second, by=coordinator)
    carried = Fiche.objects.get(round=second, project=project)
    Fiche.objects.filter(pk=carried.pk).update(
        review_state=ReviewState.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(coordinator)

    def queued():
        [item] = client.get(second.get_absolute_url()).context["queue"]
        return item.suggested.finding.facts, item.suggested.dismissed

    facts, note = queued()
    assert facts == ("rrf_milestone_delayed:1",)
    assert note is not None
    assert note.round == first
    assert "Bekend bij de Commissie" in client.get(fiche_url(carried)).content.decode()
    delay(second, project, 2)
    assert queued() == (("rrf_milestone_delayed:1", "rrf_milestone_delayed:2"), None)


def test_no_dismissal_in_a_closed_round(coordinator, fiche):
    seen = suggestion(snapshot(fiche))
    assert seen is not None
    fiche.round.close(by=None)
    with pytest.raises(ReviewError, match="niet open"):
        dismiss_suggestion(
            fiche=fiche, by=coordinator, reason="x", seen_rule=seen.rule, seen_facts=seen.facts
        )
    assert FindingNote.objects.count() == 0


# -- queries -------------------------------------------------------------------------------


def test_the_review_queue_takes_a_fixed_number_of_queries_with_suggestions(
    client, coordinator, reporting_round, django_assert_max_num_queries
):
    counts = []
    for size in (2, 12):
        for number in range(size):
            project = ProjectFactory()
            fiche = submitted_fiche(reporting_round, project)
            delay(reporting_round, project, 1, rrf=number % 2 == 0)
            if number % 3 == 0:
                found = suggestion(snapshot(fiche))
                assert found is not None
                dismiss_suggestion(
                    fiche=fiche, by=coordinator, reason="Bekend", seen_rule=found.rule,
                    seen_facts=found.facts,
                )  # fmt: skip
        client.force_login(coordinator)
        with django_assert_max_num_queries(20) as captured:
            response = client.get(reporting_round.get_absolute_url())
        queue = response.context["queue"]
        assert sum(1 for fiche in queue if fiche.suggested) == len(queue)
        assert sum(1 for fiche in queue if fiche.suggested.dismissed) >= size // 3
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_user_who_is_not_active_cannot_dismiss(client, fiche):
    inactive = UserFactory(username="oud", role=Role.COORDINATOR, is_active=False)
    before = database(fiche)
    client.force_login(inactive)
    response = client.post(dismiss_url(fiche), dismissal(fiche))
    assert response.status_code in (302, 403)
    assert database(fiche) == before
