"""The report built by a real Celery worker on the real Redis (``settings.REDIS_URL``), as
tests/milestones/test_reminder_worker.py runs one: in a thread of this process, on this
run's own queue, reading the committed test data. Skipped only when Redis is unreachable."""

import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections
from django.urls import reverse

from relance.celery import app as celery_app
from relance.models import Artefact, ArtefactState
from relance.reporting import pdf as pdf_module

from .reporting_plan import build_plan


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

QUEUE = f"relance-test-artefacts-{uuid.uuid4().hex[:8]}"


def _close_connections(**kwargs):
    connections.close_all()


@pytest.fixture
def worker(settings):
    settings.RELANCE_TASKS_IN_PROCESS = False
    settings.RELANCE_ARTEFACT_QUEUE = QUEUE
    task_postrun.connect(_close_connections, weak=False)
    hijack = celery_app.conf.worker_hijack_root_logger
    celery_app.conf.worker_hijack_root_logger = False
    try:
        with start_worker(
            celery_app,
            pool="threads",
            concurrency=2,
            queues=[QUEUE],
            perform_ping_check=False,
            shutdown_timeout=30,
        ) as running:
            yield running
    finally:
        celery_app.conf.worker_hijack_root_logger = hijack
        task_postrun.disconnect(_close_connections)
        redis.Redis.from_url(settings.REDIS_URL).delete(
            QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}"
        )


def test_a_worker_builds_the_report_once_for_two_readers(client, reader, worker, monkeypatch):
    plan = build_plan(size=3)
    made = []
    render = pdf_module.print_html

    def spy(html):
        made.append(html)
        return render(html)

    monkeypatch.setattr(pdf_module, "print_html", spy)
    client.force_login(reader)
    url = reverse("rounds:report", args=[plan.second.code])

    first, second = client.get(url), client.get(url)

    (artefact,) = Artefact.objects.all()
    assert first["Location"] == second["Location"]
    deadline = time.monotonic() + 120
    while Artefact.objects.get(pk=artefact.pk).is_unfinished and time.monotonic() < deadline:
        time.sleep(0.2)
    artefact.refresh_from_db()
    assert artefact.state == ArtefactState.DONE, artefact.error
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(made) == 1
