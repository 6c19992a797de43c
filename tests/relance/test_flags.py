"""Flags across rounds: a flag raised when a round closes is carried into the next one,
where the coordinators confirm or lift it; its open follow-up actions come along and are
marked done by the coordinators or the project's editors."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    Fiche,
    FlagLevel,
    FollowUpAction,
    ProjectStatus,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance import services
from relance.fiches import review
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _flag(fiche, by, *, level=FlagLevel.ATTENTION, motivation="Vertraging", actions=()):
    flag = StatusFlag.objects.create(fiche=fiche, level=level, motivation=motivation, raised_by=by)
    for description, due_date, done in actions:
        FollowUpAction.objects.create(
            flag=flag,
            description=description,
            owner="Agentschap",
            due_date=due_date,
            done_at=timezone.now() if done else None,
            done_by=by if done else None,
        )
    fiche.status = ProjectStatus(level)
    fiche.save(update_fields=["status"])
    return flag


@pytest.fixture
def rounds(domain, coordinator):
    """December 2023 closed with a flagged project (one action open, one done), a project
    whose flag was lifted before closing, and an unflagged one; December 2024 in draft."""
    previous = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), state=RoundState.OPEN)
    flagged, lifted, plain = (ProjectFactory(domain=domain) for _ in range(3))
    fiches = {}
    for project in (flagged, lifted, plain):
        fiches[project.pk] = FicheFactory(
            round=previous, project=project, status=ProjectStatus.IN_PROGRESS,
            owner_status=ProjectStatus.IN_PROGRESS, review_state=ReviewState.APPROVED,
        )  # fmt: skip
        FinanceReportFactory(fiche=fiches[project.pk])
    old = _flag(
        fiches[flagged.pk],
        coordinator,
        level=FlagLevel.ACTION_REQUIRED,
        motivation="De aanbesteding is mislukt.",
        actions=[
            ("Nieuwe aanbesteding uitschrijven", dt.date(2030, 3, 31), False),
            ("Kabinet informeren", dt.date(2023, 11, 30), True),
        ],
    )
    _flag(fiches[lifted.pk], coordinator)
    review.lift_flag(fiche=fiches[lifted.pk], by=coordinator, reason="Opgelost")
    services.close_round(reporting_round=previous, by=coordinator)
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.DRAFT)
    return SimpleNamespace(
        previous=previous, upcoming=upcoming, flagged=flagged, lifted=lifted, plain=plain, old=old
    )


@pytest.fixture
def opened(rounds, coordinator):
    services.open_round(reporting_round=rounds.upcoming, by=coordinator)
    rounds.fiche = Fiche.objects.get(round=rounds.upcoming, project=rounds.flagged)
    rounds.flag = StatusFlag.objects.get(fiche=rounds.fiche)
    return rounds


def test_opening_a_round_carries_the_raised_flag_with_its_open_actions(opened, coordinator):
    flag, fiche = opened.flag, opened.fiche
    assert flag.carried_from == opened.old
    assert (flag.level, flag.motivation, flag.raised_by) == (
        FlagLevel.ACTION_REQUIRED, "De aanbesteding is mislukt.", coordinator,
    )  # fmt: skip
    assert flag.raised_at > opened.old.raised_at
    assert flag.awaits_confirmation
    assert flag.is_raised
    # The done action stays behind; the open one comes along, still open.
    assert list(flag.actions.values_list("description", "owner", "due_date", "done_at")) == [
        ("Nieuwe aanbesteding uitschrijven", "Agentschap", dt.date(2030, 3, 31), None)
    ]
    # The flag is the project's status; the owner's own status is kept beside it.
    assert (fiche.status, fiche.owner_status) == (
        ProjectStatus.ACTION_REQUIRED, ProjectStatus.IN_PROGRESS,
    )  # fmt: skip
    event = ReviewEvent.objects.get(fiche=fiche)
    assert event.action == "flag_carried"
    assert "December 2023" in event.comment
    assert "De aanbesteding is mislukt." in event.comment
    # The closed round's flag is untouched.
    opened.old.refresh_from_db()
    assert opened.old.is_raised
    assert opened.old.actions.count() == 2


def test_a_flag_lifted_before_the_round_closed_is_not_carried(opened):
    for project in (opened.lifted, opened.plain):
        fiche = Fiche.objects.get(round=opened.upcoming, project=project)
        assert not fiche.flags.exists()
        assert fiche.status == ProjectStatus.IN_PROGRESS
        assert not fiche.events.exists()
    assert StatusFlag.objects.in_round(opened.upcoming).count() == 1


def test_carrying_twice_carries_nothing_twice(opened):
    assert review.carry_flags(previous=opened.previous, into=opened.upcoming) == 0
    assert StatusFlag.objects.in_round(opened.upcoming).count() == 1


def test_without_a_previous_round_nothing_is_carried(open_round):
    assert review.carry_flags(previous=None, into=open_round) == 0


def _closed_with_flags(count, coordinator, year):
    previous = ReportingRoundFactory(reference_date=dt.date(year, 12, 31), state=RoundState.OPEN)
    for _ in range(count):
        fiche = FicheFactory(round=previous, review_state=ReviewState.APPROVED)
        _flag(fiche, coordinator, actions=[("a", dt.date(2030, 1, 1), False)] * 2)
    previous.close(by=None)
    into = ReportingRoundFactory(reference_date=dt.date(year + 1, 6, 30), state=RoundState.DRAFT)
    for fiche in Fiche.objects.filter(round=previous).select_related("project"):
        FicheFactory(round=into, project=fiche.project)
    return previous, into


def test_carrying_takes_a_fixed_number_of_queries(coordinator):
    counts = []
    for count, year in ((2, 2030), (15, 2040)):
        previous, into = _closed_with_flags(count, coordinator, year)
        with CaptureQueriesContext(connection) as queries:
            assert review.carry_flags(previous=previous, into=into) == count
        counts.append(len(queries))
        assert FollowUpAction.objects.in_round(into).count() == 2 * count
    assert counts[0] == counts[1]


# -- the review queue and confirming ---------------------------------------------------------


def fiche_url(fiche):
    return reverse("fiche", args=[fiche.project.code])


def post(client, fiche, action, data=None):
    fiche.refresh_from_db()
    return client.post(
        reverse(f"fiche-{action}", args=[fiche.project.code]),
        {"version": fiche.version, **(data or {})},
    )


def snapshot(fiche):
    return (
        list(Fiche.objects.filter(pk=fiche.pk).values()),
        list(StatusFlag.objects.filter(fiche=fiche).values()),
        list(FollowUpAction.objects.filter(flag__fiche=fiche).values()),
        list(ReviewEvent.objects.filter(fiche=fiche).values()),
    )


def test_the_review_queue_lists_carried_flags_to_confirm(client, opened, coordinator):
    client.force_login(coordinator)
    page = client.get(opened.upcoming.get_absolute_url()).content.decode()
    assert "Te bevestigen markeringen" in page
    section = page[page.index('id="flags-to-confirm"') :]
    assert opened.flagged.code in section
    assert fiche_url(opened.fiche) in section
    assert "De aanbesteding is mislukt." in section
    assert "overgenomen uit meetmoment December 2023" in section
    assert opened.lifted.code not in section.split("</section>")[0]


def test_a_coordinator_confirms_a_carried_flag(client, opened, coordinator):
    client.force_login(coordinator)
    page = client.get(fiche_url(opened.fiche)).content.decode()
    assert "wacht op bevestiging" in page
    assert "Markering bevestigen" in page
    response = post(client, opened.fiche, "confirm")
    assert response.status_code == 302
    opened.flag.refresh_from_db()
    assert (opened.flag.confirmed_by, opened.flag.awaits_confirmation) == (coordinator, False)
    assert opened.flag.is_raised
    assert ReviewEvent.objects.filter(fiche=opened.fiche, action="flag_confirmed").exists()
    assert not StatusFlag.objects.awaiting_confirmation(opened.upcoming).exists()
    page = client.get(opened.upcoming.get_absolute_url()).content.decode()
    assert "Te bevestigen markeringen" not in page
    # Confirming twice is refused, and says why.
    before = snapshot(opened.fiche)
    response = post(client, opened.fiche, "confirm")
    assert response.status_code == 400
    assert "wacht niet op bevestiging" in response.content.decode()
    assert snapshot(opened.fiche) == before


def test_a_coordinator_lifts_a_carried_flag(client, opened, coordinator):
    client.force_login(coordinator)
    assert post(client, opened.fiche, "unflag", {"reason": "Gegund"}).status_code == 302
    opened.fiche.refresh_from_db()
    assert opened.fiche.status == ProjectStatus.IN_PROGRESS
    assert not StatusFlag.objects.awaiting_confirmation(opened.upcoming).exists()
    assert list(opened.fiche.events.values_list("action", flat=True)) == [
        "flag_lifted", "flag_carried",
    ]  # fmt: skip


def test_confirming_a_changed_fiche_is_refused(client, opened, coordinator):
    client.force_login(coordinator)
    before = snapshot(opened.fiche)
    response = client.post(
        reverse("fiche-confirm", args=[opened.flagged.code]), {"version": opened.fiche.version - 1}
    )
    assert response.status_code == 400
    assert snapshot(opened.fiche) == before


def test_anonymous_visitors_cannot_confirm(client, opened):
    before = snapshot(opened.fiche)
    response = post(client, opened.fiche, "confirm")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(opened.fiche) == before


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_only_coordinators_confirm(client, users, opened, role):
    client.force_login(users[role])
    before = snapshot(opened.fiche)
    assert post(client, opened.fiche, "confirm").status_code == 403
    assert snapshot(opened.fiche) == before


def test_confirming_needs_a_post(client, opened, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("fiche-confirm", args=[opened.flagged.code])).status_code == 405


def test_confirming_is_refused_in_a_closed_round(opened, coordinator):
    old_fiche = opened.old.fiche
    with pytest.raises(ValidationError, match="niet open"):
        review.confirm_flag(fiche=old_fiche, by=coordinator)


# -- follow-up actions -----------------------------------------------------------------------


def action_url(action, verb):
    return reverse(f"follow-up-{verb}", args=[action.flag.fiche.project.code, action.pk])


@pytest.fixture
def action(opened):
    return opened.flag.actions.get()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR, Role.ADMIN])
def test_the_coordinators_and_the_domains_editors_mark_an_action_done_and_open(
    client, users, action, role
):
    user = users[role]
    client.force_login(user)
    response = client.post(action_url(action, "done"), follow=True)
    assert "De opvolgingsactie is afgerond." in response.content.decode()
    action.refresh_from_db()
    assert (action.is_open, action.done_by) == (False, user)
    page = client.get(fiche_url(action.flag.fiche)).content.decode()
    assert "afgerond op" in page
    assert "Weer openzetten" in page
    # Twice is refused, and nothing changes.
    before = snapshot(action.flag.fiche)
    assert client.post(action_url(action, "done")).status_code == 400
    assert snapshot(action.flag.fiche) == before

    assert client.post(action_url(action, "reopen")).status_code == 302
    action.refresh_from_db()
    assert (action.is_open, action.done_by) == (True, None)


def test_readers_and_other_domains_editors_cannot_touch_actions(
    client, reader, other_domain, action
):
    outsider = UserFactory(role=Role.EDITOR, domains=[other_domain])
    before = snapshot(action.flag.fiche)
    for user in (reader, outsider):
        client.force_login(user)
        for verb in ("done", "reopen"):
            assert client.post(action_url(action, verb)).status_code == 403
    assert snapshot(action.flag.fiche) == before


def test_anonymous_visitors_cannot_touch_actions(client, action):
    before = snapshot(action.flag.fiche)
    response = client.post(action_url(action, "done"))
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(action.flag.fiche) == before


def test_a_closed_rounds_actions_cannot_change(client, opened, coordinator):
    old_action = opened.old.actions.get(done_at__isnull=True)
    before = list(FollowUpAction.objects.filter(pk=old_action.pk).values())
    with pytest.raises(ValidationError, match="gesloten"):
        review.complete_follow_up(action=old_action, by=coordinator)
    # Through the page: it is not an action of the open round's fiche.
    client.force_login(coordinator)
    assert client.post(action_url(old_action, "done")).status_code == 404
    assert list(FollowUpAction.objects.filter(pk=old_action.pk).values()) == before


def test_the_fiche_shows_each_actions_state(client, opened, editor, coordinator):
    flag = opened.flag
    FollowUpAction.objects.create(
        flag=flag,
        description="Te laat ingediend plan",
        owner="AWV",
        due_date=TODAY - dt.timedelta(days=3),
    )
    client.force_login(editor)
    page = client.get(fiche_url(opened.fiche)).content.decode()
    assert "Overgenomen uit meetmoment December 2023" in page
    assert "Te laat ingediend plan" in page
    assert "te laat" in page
    assert page.count('class="btn btn-link btn-sm p-0 align-baseline">Afronden</button>') == 2
    assert "Markering bevestigen" not in page  # editors do not review


def test_the_review_queue_lists_open_actions_overdue_or_due_soon(client, opened, coordinator):
    flag = opened.flag
    for description, days, done in [
        ("Overdue actie", -2, False),
        ("Binnenkort actie", 14, False),
        ("Later actie", 15, False),
        ("Afgeronde actie", 1, True),
    ]:
        FollowUpAction.objects.create(
            flag=flag, description=description, owner="AWV",
            due_date=TODAY + dt.timedelta(days=days),
            done_at=timezone.now() if done else None,
        )  # fmt: skip
    client.force_login(coordinator)
    page = client.get(opened.upcoming.get_absolute_url()).content.decode()
    section = page[page.index('id="follow-ups-due"') :].split("</section>")[0]
    assert "Overdue actie" in section
    assert "Binnenkort actie" in section
    assert "Later actie" not in section
    assert "Afgeronde actie" not in section
    assert "Nieuwe aanbesteding uitschrijven" not in section  # due in 2030
    assert section.count("text-bg-danger") == 1


def test_editors_do_not_see_the_review_queue(client, opened, editor):
    client.force_login(editor)
    page = client.get(opened.upcoming.get_absolute_url()).content.decode()
    assert "Te bevestigen markeringen" not in page


def test_the_review_queue_takes_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    reporting_round = ReportingRoundFactory(state=RoundState.OPEN)
    for number in range(25):
        old = StatusFlag.objects.create(
            fiche=FicheFactory(round=ReportingRoundFactory(state=RoundState.DRAFT)),
            level=FlagLevel.ATTENTION, motivation=f"Oud {number}",
        )  # fmt: skip
        flag = StatusFlag.objects.create(
            fiche=FicheFactory(round=reporting_round), level=FlagLevel.ATTENTION,
            motivation=f"Markering {number}", carried_from=old,
        )  # fmt: skip
        FollowUpAction.objects.create(
            flag=flag, description=f"Actie {number}", owner="x", due_date=TODAY
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        page = client.get(reporting_round.get_absolute_url()).content.decode()
    assert page.count("Markering 2") == 6
    assert "Actie 24" in page
