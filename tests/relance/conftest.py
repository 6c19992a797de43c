import datetime as dt
import uuid
from decimal import Decimal

import pytest
import redis
from django.db import connection

from milestones.models import MilestoneState
from relance.reporting import pdf as pdf_module
from tests.celery_worker import running_worker
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
)


@pytest.fixture
def fiche(project, open_round):
    """A draft fiche of the editor's domain in the open round: two milestones, one
    indicator, money reported."""
    fiche = FicheFactory(round=open_round, project=project, narrative="Vorige toelichting")
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("100.00"), paid_eur=Decimal("10.00"))
    first = MilestoneFactory(project=project, number=1, deadline=dt.date(2024, 3, 31))
    MilestoneStatusFactory(
        round=open_round, milestone=first, status=MilestoneState.REALISED,
        realised_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    second = MilestoneFactory(project=project, number=2, deadline=dt.date(2030, 6, 30))
    MilestoneStatusFactory(round=open_round, milestone=second, status=MilestoneState.ON_SCHEDULE)
    IndicatorFactory(project=project, code="OUT1", defined_in=[open_round])
    return fiche


@pytest.fixture
def renders(monkeypatch):
    """How many times Chromium prints a document (the real one, counted)."""
    made = []
    render = pdf_module.print_html

    def spy(html):
        made.append(html)
        return render(html)

    monkeypatch.setattr(pdf_module, "print_html", spy)
    return made


def redis_or_none(url: str) -> redis.Redis | None:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@pytest.fixture
def queue(settings):
    """Worker mode, on this test's own Celery queue in the real Redis: the messages a worker
    would take (artefacts and workbook tasks), counted, and removed afterwards."""
    client = redis_or_none(settings.REDIS_URL)
    if client is None:
        pytest.skip(f"Redis at {settings.REDIS_URL} is unreachable")
    name = f"relance-test-artefacts-{uuid.uuid4().hex[:8]}"
    settings.RELANCE_TASKS_IN_PROCESS = False
    settings.RELANCE_ARTEFACT_QUEUE = name
    yield lambda: client.llen(name)
    client.delete(name, f"_kombu.binding.{name}")
    client.close()


@pytest.fixture
def worker(settings):
    """A real Celery worker on the real Redis, in threads of this process, on this test's
    own queue (the tests that use it need ``django_db(transaction=True)``: the worker reads
    the committed data). On PostgreSQL only: SQLite's in-memory test database is shared
    between the test's thread and the worker's in shared-cache mode, whose table locks
    fail at once ("database table is locked") where a file database would wait."""
    if connection.vendor == "sqlite":
        pytest.skip("a worker in threads needs PostgreSQL's test database (CI has one)")
    client = redis_or_none(settings.REDIS_URL)
    if client is None:
        pytest.skip(f"Redis at {settings.REDIS_URL} is unreachable; CI starts one (.ci/run)")
    name = f"relance-test-worker-{uuid.uuid4().hex[:8]}"
    client.close()
    settings.RELANCE_TASKS_IN_PROCESS = False
    settings.RELANCE_ARTEFACT_QUEUE = name
    with running_worker(settings.REDIS_URL, name, shutdown_timeout=30) as running:
        yield running
