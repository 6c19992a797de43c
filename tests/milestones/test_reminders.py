"""The reminder scan with a controlled clock: stages on their day, one digest per person,
own domains only, exactly once, opt-out, escalation, language. The mail outbox (Django's
locmem backend) is the boundary."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from milestones.models import MilestoneState, ReminderLog
from milestones.reminders import collect_digests, editors_by_domain, send_reminders
from milestones.reminders.due import active_stage
from milestones.tasks import send_reminders as send_reminders_task
from projects.models import (
    FlagLevel,
    FollowUpAction,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance.fiches import review
from tests.factories import (
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)
from tests.milestones.mail_backends import RefusingBackend

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2025, 1, 31)  # a Friday


def day(offset: int, since: dt.date = DEADLINE) -> dt.date:
    return since + dt.timedelta(days=offset)


def inbox(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def html(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def stages_of(user):
    return sorted(ReminderLog.objects.filter(recipient=user).values_list("stage", flat=True))


def daily_scans(offsets, since: dt.date = DEADLINE) -> dict[str, list[int]]:
    """Scan on each day (offset from ``since``) in turn, as the beat would; the days on which
    each address got mail."""
    received: dict[str, list[int]] = {}
    for offset in offsets:
        mail.outbox.clear()
        send_reminders(today=day(offset, since))
        for message in mail.outbox:
            received.setdefault(message.to[0], []).append(offset)
    return received


@pytest.fixture
def open_round():
    return ReportingRoundFactory(
        reference_date=dt.date(2024, 12, 31), deadline=DEADLINE, state=RoundState.OPEN
    )


@pytest.fixture
def plan(domain, other_domain, open_round, editor, coordinator, reader):
    """A draft fiche per domain in the open round, an editor per domain, a coordinator."""
    return SimpleNamespace(
        own=FicheFactory(round=open_round, project=ProjectFactory(code="VV001", domain=domain)),
        other=FicheFactory(
            round=open_round, project=ProjectFactory(code="VV002", domain=other_domain)
        ),
        other_editor=UserFactory(username="omg", role=Role.EDITOR, domains=[other_domain]),
    )


# -- stages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_after", "catch_up", "stage"),
    [
        (-8, 3, None),
        (-7, 3, -7),
        (-4, 3, -7),
        (-3, 3, None),  # too late for the week before, too early for the day before
        (-1, 3, -1),
        (0, 3, -1),  # the day before is still due on the day itself, never twice
        (1, 3, 1),
        (4, 3, 1),
        (5, 3, None),
        (-6, 0, None),  # no catching up: only the day itself
        (-7, 0, -7),
    ],
)
def test_a_stage_is_due_from_its_day_until_caught_up_or_the_next_is_due(
    days_after, catch_up, stage
):
    assert active_stage((-7, -1, 1), days_after, catch_up=catch_up) == stage


def test_fiche_reminders_fire_on_their_days_and_only_then(plan, editor, coordinator):
    received = daily_scans(range(-20, 11))
    assert received[editor.email] == [-7, -1, 1]
    assert received[plan.other_editor.email] == [-7, -1, 1]
    assert received[coordinator.email] == [3]  # the overview of what is missing
    assert stages_of(editor) == ["d+1", "d-1", "d-7"]


@pytest.mark.parametrize(
    ("first_scan", "stage", "phrase"),
    [
        (-6, "d-7", "over 6 dagen"),
        (-4, "d-7", "over 4 dagen"),
        (-3, None, None),
        (0, "d-1", "vandaag"),
        (4, "d+1", "4 dagen geleden"),
        (5, None, None),
    ],
)
def test_a_missed_stage_is_caught_up_by_the_next_scan_within_days(
    plan, editor, first_scan, stage, phrase
):
    send_reminders(today=day(first_scan))
    assert stages_of(editor) == ([stage] if stage else [])
    if phrase:
        [message] = inbox(editor)
        assert f"({phrase})" in message.body
    else:
        assert inbox(editor) == []


@pytest.mark.parametrize("state", [ReviewState.SUBMITTED, ReviewState.APPROVED])
def test_a_submitted_fiche_is_not_reminded(plan, editor, state):
    plan.own.review_state = state
    plan.own.save()
    send_reminders(today=day(-7))
    assert inbox(editor) == []


def test_a_returned_fiche_is_reminded_like_a_draft(plan, editor):
    plan.own.review_state = ReviewState.RETURNED
    plan.own.save()
    send_reminders(today=day(-1))
    [message] = inbox(editor)
    assert "VV001" in message.body
    assert "teruggestuurd" in message.body


# -- one digest a day, with everything in it -------------------------------------------------


def test_one_digest_bundles_all_that_is_due_for_a_person(
    plan, domain, open_round, editor, coordinator
):
    third = FicheFactory(round=open_round, project=ProjectFactory(code="VV003", domain=domain))
    milestone = MilestoneFactory(
        project=plan.own.project, number=4, description="Gunning", deadline=day(7)
    )
    MilestoneStatusFactory(round=open_round, milestone=milestone)
    third.review_state = ReviewState.SUBMITTED
    third.save()
    review.return_fiche(fiche=third, by=coordinator, comment="De bedragen ontbreken.")
    ReviewEvent.objects.filter(fiche=third).update(
        at=dt.datetime(2025, 1, 23, 12, tzinfo=timezone.get_current_timezone())
    )

    send_reminders(today=day(-7))

    [message] = inbox(editor)
    for expected in ("VV001", "VV003", "VV001/4", "Gunning", "De bedragen ontbreken."):
        assert expected in message.body
        assert expected in html(message)
    assert "VV002" not in message.body
    assert sorted(
        ReminderLog.objects.filter(recipient=editor).values_list("item_kind", "stage")
    ) == [
        ("fiche", "d-7"),
        ("fiche", "d-7"),
        ("milestone", "d-14"),
        ("review_event", "returned"),
    ]


def test_a_second_scan_the_same_day_sends_nothing(plan, editor):
    first = send_reminders(today=day(-7))
    second = send_reminders(today=day(-7))
    assert (first.digests, first.reminders) == (2, 2)
    assert (second.digests, second.reminders) == (0, 0)
    assert len(inbox(editor)) == 1
    assert ReminderLog.objects.count() == 2


def test_what_becomes_due_after_the_days_digest_waits_for_the_next_day(
    plan, editor, coordinator, open_round
):
    today = timezone.localdate()
    open_round.deadline = today + dt.timedelta(days=7)
    open_round.save()
    send_reminders(today=today)
    plan.own.review_state = ReviewState.SUBMITTED
    plan.own.save()
    review.return_fiche(fiche=plan.own, by=coordinator, comment="Onvolledig.")

    send_reminders(today=today)
    assert len(inbox(editor)) == 1  # one digest a day
    send_reminders(today=today + dt.timedelta(days=1))
    assert len(inbox(editor)) == 2
    assert "Onvolledig." in inbox(editor)[1].body


def test_a_moved_deadline_is_reminded_again(plan, editor, open_round):
    send_reminders(today=day(-7))
    open_round.deadline = day(14)
    open_round.save()
    send_reminders(today=day(7))  # a week before the new deadline
    assert len(inbox(editor)) == 2
    assert "(over 7 dagen)" in inbox(editor)[1].body
    assert stages_of(editor) == ["d-7", "d-7"]


# -- who hears of what -----------------------------------------------------------------------


def test_editors_hear_only_of_their_own_domains(plan, editor, reader, other_domain):
    other_milestone = MilestoneFactory(project=plan.other.project, deadline=day(7))
    MilestoneStatusFactory(round=plan.other.round, milestone=other_milestone)

    send_reminders(today=day(-7))

    [own] = inbox(editor)
    [other] = inbox(plan.other_editor)
    assert "VV001" in own.body
    assert "VV002" not in own.body
    assert "VV002" not in html(own)
    assert "VV002" in other.body
    assert "VV001" not in other.body
    assert f"VV002/{other_milestone.number}" in other.body
    assert inbox(reader) == []
    assert not ReminderLog.objects.filter(recipient=editor, item_id=plan.other.pk).exists()


def test_a_merged_domains_projects_reach_the_editors_of_the_domain_it_merged_into(open_round):
    wewils = PolicyDomainFactory(code="WEWILS")
    ewi = PolicyDomainFactory(code="EWI", merged_into=wewils)
    FicheFactory(round=open_round, project=ProjectFactory(code="VV120", domain=ewi))
    new_editor = UserFactory(role=Role.EDITOR, domains=[wewils])
    old_editor = UserFactory(role=Role.EDITOR, domains=[ewi])

    send_reminders(today=day(-7))

    assert "VV120" in inbox(new_editor)[0].body
    assert "VV120" in inbox(old_editor)[0].body


def test_the_editors_of_a_domain_are_those_whose_editable_domains_include_it():
    top = PolicyDomainFactory(code="TOP")
    middle = PolicyDomainFactory(code="MID", merged_into=top)
    bottom = PolicyDomainFactory(code="BOT", merged_into=middle)
    lone = PolicyDomainFactory(code="LONE")
    users = [
        UserFactory(role=Role.EDITOR, domains=domains)
        for domains in ([top], [middle], [bottom], [lone], [bottom, lone])
    ]
    UserFactory(role=Role.COORDINATOR)
    editors = editors_by_domain()
    for domain in (top, middle, bottom, lone):
        expected = {user.pk for user in users if domain.pk in user.editable_domain_ids}
        assert {user.pk for user in editors[domain.pk]} == expected, domain.code


def test_a_user_who_switched_reminders_off_gets_none_until_switched_on(plan, editor, domain):
    colleague = UserFactory(role=Role.EDITOR, domains=[domain])
    editor.reminders_enabled = False
    editor.save()

    send_reminders(today=day(-7))
    assert inbox(editor) == []
    assert inbox(colleague) != []
    assert not ReminderLog.objects.filter(recipient=editor).exists()

    editor.reminders_enabled = True
    editor.save()
    send_reminders(today=day(-6))
    assert "(over 6 dagen)" in inbox(editor)[0].body


def test_no_mail_for_users_without_an_address_or_inactive(plan, domain):
    nameless = UserFactory(role=Role.EDITOR, domains=[domain], email="")
    gone = UserFactory(role=Role.EDITOR, domains=[domain], is_active=False)
    send_reminders(today=day(-7))
    assert not ReminderLog.objects.filter(recipient__in=[nameless, gone]).exists()
    assert inbox(gone) == []


def test_after_the_deadline_the_coordinators_get_one_overview_by_domain(
    plan, domain, editor, coordinator, admin_user, reader, open_round
):
    done = FicheFactory(round=open_round, project=ProjectFactory(code="VV004", domain=domain))
    done.review_state = ReviewState.SUBMITTED
    done.save()

    send_reminders(today=day(3))

    for person in (coordinator, admin_user):
        [message] = inbox(person)
        assert "2 fiches ontbreken" in message.body
        assert message.body.index("MOW") < message.body.index("VV001")
        assert message.body.index("OMG") < message.body.index("VV002")
        assert "VV004" not in message.body
        assert "http://127.0.0.1:8000/rounds/2024-12/" in message.body
    assert "ontbreken" not in inbox(editor)[0].body  # editors: their own overdue fiches
    assert inbox(reader) == []
    assert ReminderLog.objects.filter(recipient=coordinator).get().item_kind == "missing_fiches"


def test_no_overview_when_nothing_is_missing(plan, coordinator):
    type(plan.own).objects.update(review_state=ReviewState.APPROVED)
    send_reminders(today=day(3))
    assert inbox(coordinator) == []


# -- review steps ----------------------------------------------------------------------------


def test_a_returned_fiche_is_in_its_owners_next_digest_once(plan, editor, coordinator):
    plan.own.review_state = ReviewState.SUBMITTED
    plan.own.save()
    review.return_fiche(fiche=plan.own, by=coordinator, comment="Het VEK ontbreekt.")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    send_reminders(today=tomorrow)
    send_reminders(today=tomorrow + dt.timedelta(days=1))

    [message] = inbox(editor)
    assert "Teruggestuurd door de coördinatoren" in message.body
    assert "Het VEK ontbreekt." in message.body
    assert "http://127.0.0.1:8000/projects/VV001/fiche/" in message.body
    assert inbox(coordinator) == []
    assert inbox(plan.other_editor) == []


def test_a_fiche_submitted_again_before_the_digest_is_no_news_for_its_owners(
    plan, editor, coordinator
):
    plan.own.review_state = ReviewState.SUBMITTED
    plan.own.save()
    review.return_fiche(fiche=plan.own, by=coordinator, comment="Onvolledig.")
    ReviewEvent.objects.create(fiche=plan.own, action=ReviewAction.SUBMITTED, by=editor)
    type(plan.own).objects.filter(pk=plan.own.pk).update(review_state=ReviewState.SUBMITTED)

    send_reminders(today=timezone.localdate())

    assert inbox(editor) == []
    assert "VV001" in inbox(coordinator)[0].body  # awaiting their review


def test_submitted_fiches_reach_the_coordinators_digest(plan, editor, coordinator, admin_user):
    for fiche, state in ((plan.own, ReviewState.SUBMITTED), (plan.other, ReviewState.APPROVED)):
        ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.SUBMITTED, by=editor)
        fiche.review_state = state
        fiche.save()

    send_reminders(today=timezone.localdate())

    for person in (coordinator, admin_user):
        [message] = inbox(person)
        assert "Ingediend, wacht op uw beoordeling" in message.body
        assert "VV001" in message.body
        assert "VV002" not in message.body  # approved since: nothing to do
    assert inbox(editor) == []


def test_nobody_is_told_of_their_own_review_step(plan, coordinator, admin_user):
    ReviewEvent.objects.create(fiche=plan.own, action=ReviewAction.SUBMITTED, by=coordinator)
    type(plan.own).objects.filter(pk=plan.own.pk).update(review_state=ReviewState.SUBMITTED)
    send_reminders(today=timezone.localdate())
    assert inbox(coordinator) == []
    assert "VV001" in inbox(admin_user)[0].body


def test_review_steps_older_than_the_catch_up_days_are_not_announced(plan, coordinator):
    event = ReviewEvent.objects.create(fiche=plan.own, action=ReviewAction.SUBMITTED)
    type(plan.own).objects.update(review_state=ReviewState.SUBMITTED)
    send_reminders(today=timezone.localdate(event.at) + dt.timedelta(days=4))
    assert inbox(coordinator) == []


# -- milestones ------------------------------------------------------------------------------

MILESTONE_DEADLINE = dt.date(2025, 6, 30)
FORECAST = dt.date(2025, 9, 30)  # 92 days later
# The days around each stage, before and after the deadline and the forecast date.
PROBES = [-15, -14, -13, -1, 0, 1, 2, 77, 78, 79, 92, 93, 94]


@pytest.mark.parametrize(
    ("status", "forecast", "days"),
    [
        (MilestoneState.ON_SCHEDULE, None, [-14, 1]),
        (MilestoneState.FUTURE, None, [-14, 1]),
        (MilestoneState.DELAYED, FORECAST, [-14 + 92, 1 + 92]),  # from the forecast date
        (MilestoneState.DELAYED, None, [-14, 1]),
        (MilestoneState.REALISED, None, []),
        (MilestoneState.STOPPED, None, []),
        (None, None, [-14, 1]),  # no status yet: still to be done
    ],
)
def test_milestone_reminders_fire_before_and_after_their_date(
    domain, editor, open_round, status, forecast, days
):
    milestone = MilestoneFactory(project=ProjectFactory(domain=domain), deadline=MILESTONE_DEADLINE)
    if status:
        MilestoneStatusFactory(
            round=open_round,
            milestone=milestone,
            status=status,
            forecast_date=forecast,
            realised_on=MILESTONE_DEADLINE if status == MilestoneState.REALISED else None,
        )
    received = daily_scans(PROBES, since=MILESTONE_DEADLINE)
    assert received.get(editor.email, []) == days


def test_a_milestones_status_is_its_status_in_the_latest_round(domain, editor):
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    later = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    realised = MilestoneFactory(project=ProjectFactory(domain=domain), deadline=MILESTONE_DEADLINE)
    still_open = MilestoneFactory(project=realised.project, deadline=MILESTONE_DEADLINE)
    MilestoneStatusFactory(round=closed, milestone=realised, status=MilestoneState.ON_SCHEDULE)
    MilestoneStatusFactory(
        round=later,
        milestone=realised,
        status=MilestoneState.REALISED,
        realised_on=dt.date(2024, 6, 1),
    )
    MilestoneStatusFactory(round=closed, milestone=still_open, status=MilestoneState.DELAYED)
    closed.close(by=None)
    later.close(by=None)
    ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))  # in preparation: no say

    send_reminders(today=day(-14, MILESTONE_DEADLINE))

    [message] = inbox(editor)
    assert f"/{still_open.number} " in message.body
    assert f"/{realised.number} " not in message.body


# -- the mail --------------------------------------------------------------------------------


def test_the_mail_is_in_the_recipients_language(plan, editor):
    editor.language = "en"
    editor.save()

    send_reminders(today=day(-7))

    [english] = inbox(editor)
    [dutch] = inbox(plan.other_editor)
    assert english.subject == "Relance: your reminders of 24 January 2025"
    assert "Deadline: Friday 31 January 2025 (in 7 days)" in english.body
    assert "Deadline: Friday 31 January 2025 (in 7 days)" in html(english).replace(
        "<strong>", ""
    ).replace("</strong>", "")
    assert dutch.subject == "Relance: uw herinneringen van 24 januari 2025"
    assert "Deadline: vrijdag 31 januari 2025 (over 7 dagen)" in dutch.body
    assert translation.get_language() == "nl"


def test_the_mail_has_text_and_html_with_absolute_links(plan, editor, settings):
    settings.RELANCE_BASE_URL = "https://relance.example"
    send_reminders(today=day(-1))
    [message] = inbox(editor)
    assert "https://relance.example/projects/VV001/fiche/" in message.body
    assert 'href="https://relance.example/projects/VV001/fiche/"' in html(message)
    assert 'href="https://relance.example/account/"' in html(message)
    assert "(morgen)" in message.body


def test_offsets_come_from_the_settings(plan, editor, settings):
    settings.RELANCE_REMINDER_OFFSETS = {**settings.RELANCE_REMINDER_OFFSETS, "fiche": (-3,)}
    settings.RELANCE_REMINDER_CATCH_UP_DAYS = 0
    received = daily_scans(range(-10, 6))
    assert received[editor.email] == [-3]


# -- failures and the ways in ----------------------------------------------------------------


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.milestones.mail_backends.RefusingBackend"
    yield RefusingBackend.refused
    RefusingBackend.refused.clear()


def test_a_digest_that_fails_to_send_is_sent_by_the_next_scan(plan, editor, refusing, caplog):
    refusing.add(editor.email)

    result = send_reminders(today=day(-7))

    assert (result.digests, result.failed) == (1, 1)
    assert len(inbox(plan.other_editor)) == 1
    assert inbox(editor) == []
    assert not ReminderLog.objects.filter(recipient=editor).exists()
    assert "the next scan tries again" in caplog.text

    refusing.clear()
    retried = send_reminders(today=day(-7))
    assert (retried.digests, retried.failed) == (1, 0)
    assert len(inbox(editor)) == 1
    assert len(inbox(plan.other_editor)) == 1


def test_the_command_runs_the_scan_for_the_day_given(plan, editor):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-01-24", stdout=out)
    assert "2025-01-24: 2 e-mails verstuurd, herinneringen: 2." in out.getvalue()
    call_command("send_reminders", "--today", "2025-01-24", stdout=out)
    assert "2025-01-24: 0 e-mails verstuurd, herinneringen: 0." in out.getvalue()
    assert len(inbox(editor)) == 1


def test_the_command_refuses_a_bad_date_and_reports_failures(plan, editor, refusing):
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("send_reminders", "--today", "24/01/2025")
    refusing.add(editor.email)
    with pytest.raises(CommandError, match="1 e-mail kon niet verstuurd worden"):
        call_command("send_reminders", "--today", "2025-01-24", stdout=io.StringIO())


def test_the_task_takes_a_date_string_and_runs_the_same_scan(plan, editor):
    result = send_reminders_task.apply(args=["2025-01-24"]).get()
    assert result == {"today": "2025-01-24", "digests": 2, "reminders": 2, "failed": 0}
    assert send_reminders_task.apply(args=["2025-01-24"]).get()["digests"] == 0


def test_the_task_retries_while_a_digest_fails(plan, editor, refusing):
    refusing.add(editor.email)
    result = send_reminders_task.apply(args=["2025-01-24"])
    assert result.failed()
    assert len(inbox(plan.other_editor)) == 1  # sent once, whatever the retries
    assert not ReminderLog.objects.filter(recipient=editor).exists()


def test_collecting_takes_a_fixed_number_of_queries(
    open_round, coordinator, django_assert_max_num_queries
):
    for code in ("AAA", "BBB", "CCC"):
        domain = PolicyDomainFactory(code=code)
        for _ in range(3):
            UserFactory(role=Role.EDITOR, domains=[domain])
        for _ in range(10):
            project = ProjectFactory(domain=domain)
            fiche = FicheFactory(round=open_round, project=project)
            milestone = MilestoneFactory(project=project, deadline=day(7))
            MilestoneStatusFactory(round=open_round, milestone=milestone)
            flag = StatusFlag.objects.create(
                fiche=fiche,
                level=FlagLevel.ATTENTION,
                motivation="Vertraging",
            )
            FollowUpAction.objects.create(
                flag=flag, description="Bijsturen", owner="Kabinet", due_date=day(0)
            )
    # One more than before the follow-up actions: the query for those due.
    with django_assert_max_num_queries(9):
        digests = collect_digests(today=day(-7))
    assert len(digests) == 10  # the editors, and the coordinator for the follow-ups
    # Editors: 10 fiches, 10 milestones, 10 follow-ups; the coordinator: 30 follow-ups.
    assert all(len(d.reminders) == 30 for d in digests.values())


# -- follow-up actions of flags -------------------------------------------------------------


@pytest.fixture
def follow_up(plan, coordinator):
    """An open follow-up action on the own domain's fiche, due 10 days after the deadline
    (when no fiche reminder is due any more)."""
    flag = StatusFlag.objects.create(
        fiche=plan.own, level=FlagLevel.ACTION_REQUIRED, motivation="Aanbesteding mislukt",
        raised_by=coordinator,
    )  # fmt: skip
    return FollowUpAction.objects.create(
        flag=flag, description="Nieuwe aanbesteding", owner="AWV", due_date=day(20)
    )


def test_follow_up_actions_are_reminded_before_and_after_their_due_date_once(
    plan, follow_up, editor, coordinator, reader
):
    received = daily_scans(range(8, 30))
    # A week before the due date and the day after, to the domain's editors and the
    # coordinators; each once, however many scans run.
    assert received[editor.email] == [13, 21]
    assert received[coordinator.email] == [13, 21]
    assert plan.other_editor.email not in received
    assert reader.email not in received
    logs = ReminderLog.objects.filter(item_kind="follow_up", item_id=follow_up.pk)
    assert sorted(logs.values_list("recipient__username", "stage")) == [
        ("coordinator", "d+1"), ("coordinator", "d-7"), ("redacteur", "d+1"), ("redacteur", "d-7"),
    ]  # fmt: skip
    mail.outbox.clear()
    send_reminders(today=day(21))
    assert mail.outbox == []


def test_the_follow_up_reminder_says_what_by_when_and_links_to_the_fiche(
    plan, follow_up, editor, settings
):
    settings.RELANCE_BASE_URL = "https://relance.example"
    send_reminders(today=day(13))
    [message] = inbox(editor)
    assert "Opvolgingsacties die binnenkort vallen" in message.body
    assert "VV001 Nieuwe aanbesteding (AWV)" in message.body
    assert "(over 7 dagen)" in message.body
    assert 'href="https://relance.example/projects/VV001/fiche/"' in html(message)
    mail.outbox.clear()
    send_reminders(today=day(21))
    [message] = inbox(editor)
    assert "Opvolgingsacties over hun datum, nog niet afgerond" in message.body


def test_done_actions_and_lifted_flags_are_not_reminded(plan, follow_up, editor, coordinator):
    review.complete_follow_up(action=follow_up, by=editor)
    assert daily_scans(range(8, 30)) == {}
    review.reopen_follow_up(action=follow_up, by=editor)
    review.lift_flag(fiche=plan.own, by=coordinator, reason="Opgelost")
    assert daily_scans(range(8, 30)) == {}


def test_the_reminder_log_names_the_follow_up_action(client, plan, follow_up, admin_user):
    send_reminders(today=day(13))
    client.force_login(admin_user)
    page = client.get("/reminders/").content.decode()
    assert "VV001 · Nieuwe aanbesteding" in page


def test_the_follow_up_reminder_is_in_the_recipients_language(plan, follow_up, editor):
    editor.language = "en"
    editor.save()
    send_reminders(today=day(21))
    [english] = inbox(editor)
    assert "Follow-up actions past their date, not yet done" in english.body
    assert "Follow-up actions past their date, not yet done" in html(english)
    assert "(yesterday)" in english.body


def test_a_project_that_left_the_plan_gets_no_milestone_reminders(domain, editor, open_round):
    project = ProjectFactory(domain=domain)
    MilestoneFactory(project=project, deadline=MILESTONE_DEADLINE)
    assert daily_scans(PROBES, since=MILESTONE_DEADLINE).get(editor.email) == [-14, 1]
    ReminderLog.objects.all().delete()
    project.left_plan_from, project.left_plan_reason = open_round, "Reguliere middelen"
    project.save()
    assert daily_scans(PROBES, since=MILESTONE_DEADLINE).get(editor.email) is None


def test_follow_up_actions_are_not_reminded_between_rounds(
    plan, follow_up, editor, coordinator, open_round
):
    """A closed round's action cannot be marked done any more, and its fiche page is gone
    with the open round: only the open round's actions are reminded."""
    ReportingRound.objects.filter(pk=open_round.pk).update(
        state=RoundState.CLOSED, closed_at=timezone.now()
    )
    received = daily_scans(range(8, 30))
    assert editor.email not in received
    assert coordinator.email not in received


@pytest.mark.parametrize("projects", [2, 6])
def test_a_digest_is_claimed_in_as_many_queries_however_many_reminders_it_holds(
    open_round, domain, editor, django_assert_num_queries, projects
):
    for _ in range(projects):
        project = ProjectFactory(domain=domain)
        FicheFactory(round=open_round, project=project)
        milestone = MilestoneFactory(project=project, deadline=day(7))
        MilestoneStatusFactory(round=open_round, milestone=milestone)
    send_reminders(today=dt.date(2000, 1, 1))  # the mail's templates and URLs loaded
    with django_assert_num_queries(17):
        result = send_reminders(today=day(-7))
    assert (result.digests, result.reminders) == (1, 2 * projects)
    assert ReminderLog.objects.filter(recipient=editor).count() == 2 * projects
    with django_assert_num_queries(13):
        assert send_reminders(today=day(-7)).reminders == 0  # claimed once
