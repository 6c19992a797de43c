"""/account/ (a user's own reminder settings) and /reminders/ (the coordinators' log)."""

import datetime as dt

import pytest
from django.urls import reverse

from milestones.models import Milestone, ReminderItem, ReminderLog
from projects.models import ReviewAction, ReviewEvent, User
from projects.models.users import Role
from tests.factories import (
    FicheFactory,
    MilestoneFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"
LOG = "/reminders/"
ROLES = [Role.READER, Role.EDITOR, Role.COORDINATOR, Role.ADMIN]


def test_the_urls_are_the_documented_ones():
    assert reverse("account") == ACCOUNT
    assert reverse("reminder-log") == LOG


@pytest.mark.parametrize("url", [ACCOUNT, LOG])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -- /account/ -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_has_the_settings_page(client, users, role):
    client.force_login(users[role])
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    assert 'name="reminders_enabled"' in response.content.decode()


def test_the_menu_links_to_the_settings_page(client, reader):
    client.force_login(reader)
    assert f'href="{ACCOUNT}"' in client.get("/").content.decode()


def test_a_user_switches_reminders_off_and_on_for_themselves(client, editor, coordinator):
    client.force_login(editor)
    response = client.post(ACCOUNT, {"language": "en"})  # the box unticked
    assert response.status_code == 302
    editor.refresh_from_db()
    assert (editor.reminders_enabled, editor.language) == (False, "en")
    coordinator.refresh_from_db()
    assert coordinator.reminders_enabled

    client.post(ACCOUNT, {"reminders_enabled": "on", "language": "nl"})
    editor.refresh_from_db()
    assert (editor.reminders_enabled, editor.language) == (True, "nl")


def test_an_unknown_language_is_refused_and_nothing_changes(client, editor):
    client.force_login(editor)
    response = client.post(ACCOUNT, {"language": "fr"})
    assert response.status_code == 400
    editor.refresh_from_db()
    assert (editor.reminders_enabled, editor.language) == (True, "nl")


def test_the_page_says_what_the_mail_holds_for_the_role(client, editor, coordinator):
    client.force_login(editor)
    page = client.get(ACCOUNT).content.decode()
    assert "MOW" in page
    assert reverse("reminder-log") not in page
    client.force_login(coordinator)
    page = client.get(ACCOUNT).content.decode()
    assert "ontbrekende fiche" in page
    assert reverse("reminder-log") in page


def test_a_user_without_an_address_is_told_so(client):
    user = UserFactory(role=Role.READER, email="")
    client.force_login(user)
    assert "geen e-mailadres" in client.get(ACCOUNT).content.decode()


# -- /reminders/ -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 403), (Role.EDITOR, 403), (Role.COORDINATOR, 200), (Role.ADMIN, 200)],
)
def test_only_coordinators_and_admins_see_the_log(client, users, role, status):
    client.force_login(users[role])
    assert client.get(LOG).status_code == status


def _log(recipient, kind, item_id, stage="d-7", minute=0):
    return ReminderLog.objects.create(
        recipient=recipient,
        item_kind=kind,
        item_id=item_id,
        stage=stage,
        due_on=dt.date(2025, 1, 31) + dt.timedelta(days=minute),
        sent_on=dt.date(2025, 1, 24),
        created_at=dt.datetime(2025, 1, 24, 7, minute, tzinfo=dt.UTC),
    )


@pytest.fixture
def many_logs(editor):
    """Sixty rows of every kind, for ten people; the newest is about a milestone."""
    reporting_round = ReportingRoundFactory()
    people = [editor, *UserFactory.create_batch(9, role=Role.EDITOR, domains=editor.domains.all())]
    for minute in range(59):
        fiche = FicheFactory(round=reporting_round)
        event = ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.RETURNED)
        kind, item_id, stage = [
            (ReminderItem.FICHE, fiche.pk, "d-7"),
            (ReminderItem.REVIEW_EVENT, event.pk, "returned"),
            (ReminderItem.MISSING_FICHES, reporting_round.pk, "d+3"),
        ][minute % 3]
        _log(people[minute % 10], kind, item_id, stage, minute)
    milestone = MilestoneFactory(description="Gunning van de werken")
    return _log(editor, ReminderItem.MILESTONE, milestone.pk, "d-14", 59)


def test_the_log_shows_the_newest_first_and_pages_by_fifty(client, coordinator, many_logs):
    client.force_login(coordinator)
    response = client.get(LOG)
    lines = response.context["lines"]
    assert len(lines) == 50
    assert lines[0].log == many_logs
    assert "Gunning van de werken" in lines[0].label
    assert lines[0].stage == "14 dagen voor de deadline"
    page = response.content.decode()
    assert "redacteur@relance.example" in page
    milestone = Milestone.objects.get(pk=many_logs.item_id)
    assert lines[0].url == reverse("project", args=[milestone.project.code])
    assert f'href="{lines[0].url}"' in page
    second = client.get(LOG, {"page": 2})
    assert len(second.context["lines"]) == 10
    assert [line.log.created_at for line in [*lines, *second.context["lines"]]] == sorted(
        ReminderLog.objects.values_list("created_at", flat=True), reverse=True
    )


def test_the_log_takes_a_fixed_number_of_queries(
    client, coordinator, many_logs, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(LOG).status_code == 200


def test_the_log_names_every_kind_of_reminder(client, coordinator, editor, many_logs):
    client.force_login(coordinator)
    lines = client.get(LOG).context["lines"]
    stages = {line.stage for line in lines}
    assert {"7 dagen voor de deadline", "teruggestuurd", "3 dagen na de deadline"} <= stages
    assert all(line.url for line in lines)


def test_the_log_survives_an_item_that_is_gone(client, coordinator, editor):
    _log(editor, ReminderItem.FICHE, 999_999)
    client.force_login(coordinator)
    [line] = client.get(LOG).context["lines"]
    assert (line.label, line.url) == ("(verwijderd)", "")


def test_a_user_removed_takes_their_log_with_them(editor):
    _log(editor, ReminderItem.FICHE, 1)
    User.objects.filter(pk=editor.pk).delete()
    assert not ReminderLog.objects.exists()
