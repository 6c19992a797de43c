"""The reminder task on a real Celery worker and the real Redis (``settings.REDIS_URL``).

The worker runs in a thread of this process: it reads the test database (committed data,
hence transactional tests) and sends to the same locmem outbox. Its queue is this run's own,
so that a development worker on the same Redis never takes these tasks, nor these tests its.
Skipped, with the reason, only when Redis cannot be reached.
"""

import datetime as dt
import threading
import uuid

import pytest
import redis
from celery.beat import ScheduleEntry, Scheduler
from celery.signals import task_prerun
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from milestones.models import ReminderLog
from milestones.tasks import send_reminders
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance.celery import app as celery_app
from tests.celery_worker import running_worker
from tests.factories import (
    FicheFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)


def _redis_error() -> str | None:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {settings.REDIS_URL} is unreachable ({error}); CI starts one (.ci/run)"
    return None


REDIS_ERROR = _redis_error()
pytestmark = [
    pytest.mark.skipif(REDIS_ERROR is not None, reason=str(REDIS_ERROR)),
    pytest.mark.django_db(transaction=True),
]

QUEUE = f"relance-test-{uuid.uuid4().hex[:8]}"
BEAT_ENTRY = "milestones-send-reminders"


@pytest.fixture(scope="module")
def worker():
    """Two worker threads on this run's queue, so two scans can run at the same time."""
    with running_worker(settings.REDIS_URL, QUEUE, shutdown_timeout=20) as running:
        yield running


@pytest.fixture
def due_today(settings):
    """Three domains with two editors and two draft fiches each; the open round's deadline
    a week from today, so that every fiche is due today."""
    settings.EMAIL_BACKEND = "tests.milestones.mail_backends.SlowBackend"
    today = timezone.localdate()
    reporting_round = ReportingRoundFactory(
        reference_date=today - dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=7),
        state=RoundState.OPEN,
    )
    editors = []
    for code in ("MOW", "OMG", "WVG"):
        domain = PolicyDomainFactory(code=code)
        editors += [UserFactory(role=Role.EDITOR, domains=[domain]) for _ in range(2)]
        for _ in range(2):
            FicheFactory(round=reporting_round, project=ProjectFactory(domain=domain))
    return editors


def test_the_beat_entry_runs_the_scan_on_a_worker(worker, due_today):
    declared = settings.CELERY_BEAT_SCHEDULE[BEAT_ENTRY]
    schedule = declared["schedule"]
    assert (schedule.hour, schedule.minute) == ({7}, {0})
    assert celery_app.conf.timezone == "Europe/Brussels"

    # What the beat does when the entry is due: send the task as the entry declares it.
    entry = ScheduleEntry(
        name=BEAT_ENTRY,
        task=declared["task"],
        schedule=schedule,
        options={"queue": QUEUE},
        app=celery_app,
    )
    result = Scheduler(celery_app, lazy=True).apply_async(entry, advance=False)

    outcome = result.get(timeout=60)
    assert outcome == {
        "today": timezone.localdate().isoformat(),
        "digests": 6,
        "reminders": 12,
        "failed": 0,
    }
    assert sorted(message.to[0] for message in mail.outbox) == sorted(e.email for e in due_today)
    assert ReminderLog.objects.count() == 12


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks whole tables between threads; "
    "the concurrent scans are proven on PostgreSQL (CI)",
)
def test_two_scans_at_once_send_each_reminder_once(worker, due_today):
    # Both tasks wait for each other before scanning, so the scans truly run together.
    barrier = threading.Barrier(2, timeout=30)

    def together(sender=None, **kwargs):
        if sender is not None and sender.name == send_reminders.name:
            barrier.wait()

    task_prerun.connect(together, weak=False)
    try:
        today = timezone.localdate().isoformat()
        results = [send_reminders.apply_async(args=[today], queue=QUEUE) for _ in range(2)]
        outcomes = [result.get(timeout=60) for result in results]
    finally:
        task_prerun.disconnect(together)

    assert sum(outcome["digests"] for outcome in outcomes) == 6
    assert sum(outcome["reminders"] for outcome in outcomes) == 12
    assert sorted(message.to[0] for message in mail.outbox) == sorted(e.email for e in due_today)
    assert ReminderLog.objects.count() == 12
