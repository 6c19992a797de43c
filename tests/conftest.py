import datetime as dt
import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from milestones.models import MilestoneState
from projects.models import (
    FlagLevel,
    FollowUpAction,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorDefinitionFactory,
    IndicatorValueFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)


def pytest_configure(config):
    """Under pytest-xdist (``make test`` runs a worker per core) each worker keeps its cache
    keys apart: the workers share one Redis, and each empties its own keys between tests.
    Their databases are apart already (pytest-django names them after the worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        cache_settings = settings.CACHES["default"]
        cache_settings["KEY_PREFIX"] = f"{cache_settings.get('KEY_PREFIX', '')}-{worker}"
        # manage.py in a process of the test's own shares the worker's keys (a lockout).
        os.environ["RELANCE_CACHE_PREFIX"] = cache_settings["KEY_PREFIX"]


# The fixtures that put Celery messages on a queue of the shared Redis, or run a worker
# that takes them (tests/celery_worker.py).
CELERY_FIXTURES = {"queue", "worker"}


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, the tests that send or take Celery messages run in one worker,
    one after the other (``--dist loadgroup``): their real workers print PDFs, two at a
    time are enough for two cores."""
    for item in items:
        if CELERY_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("celery"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Lockouts and rate limits count in the cache, which outlives a test (Redis when
    REDIS_URL is set). Only the cache's own keys go: Celery shares that Redis database."""
    empty_cache()


def empty_cache() -> None:
    """The cache's own keys removed; never ``cache.clear()`` in a test: on Redis it empties
    the whole database, the other xdist worker's keys and Celery's queued messages too."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        cache.clear()
        return
    client = redis.Redis.from_url(config["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{config.get('KEY_PREFIX', '')}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files go to a fresh directory of each test's own, never var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _artefacts_in_process(settings):
    """Reports and packages are built in the request, as without a worker, unless a test
    says otherwise: a run with REDIS_URL would queue them for a worker nobody starts."""
    settings.RELANCE_TASKS_IN_PROCESS = True


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Each test starts in the default language; a request in English must not leak on."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def domain():
    return PolicyDomainFactory(code="MOW", name="Mobiliteit en Openbare Werken")


@pytest.fixture
def other_domain():
    return PolicyDomainFactory(code="OMG", name="Omgeving")


@pytest.fixture
def project(domain):
    return ProjectFactory(domain=domain)


@pytest.fixture
def open_round():
    return ReportingRoundFactory(state=RoundState.OPEN)


@pytest.fixture
def closed_round():
    """A round with a fiche, its money and a milestone status, closed for good."""
    reporting_round: ReportingRound = ReportingRoundFactory(state=RoundState.DRAFT)
    fiche = FicheFactory(round=reporting_round)
    FinanceReportFactory(fiche=fiche)
    MilestoneStatusFactory(
        round=reporting_round,
        milestone__project=fiche.project,
        status=MilestoneState.REALISED,
        realised_on=reporting_round.reference_date,
    )
    value = IndicatorValueFactory(round=reporting_round, indicator__project=fiche.project)
    IndicatorDefinitionFactory(indicator=value.indicator, round=reporting_round)
    coordinator = UserFactory(role=Role.COORDINATOR)
    flag = StatusFlag.objects.create(
        fiche=fiche, level=FlagLevel.ATTENTION, motivation="Vertraging", raised_by=coordinator
    )
    FollowUpAction.objects.create(
        flag=flag, description="Plan bijsturen", owner="Kabinet", due_date=dt.date(2030, 1, 1)
    )
    ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.FLAGGED, by=coordinator)
    reporting_round.close(by=None)
    return reporting_round


@pytest.fixture
def reader():
    return UserFactory(username="lezer", role=Role.READER)


@pytest.fixture
def editor(domain):
    return UserFactory(username="redacteur", role=Role.EDITOR, domains=[domain])


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator", role=Role.COORDINATOR)


@pytest.fixture
def admin_user():
    return UserFactory(username="beheerder", role=Role.ADMIN)


@pytest.fixture
def users(reader, editor, coordinator, admin_user):
    """One user per role, by role value."""
    return {
        Role.READER: reader,
        Role.EDITOR: editor,
        Role.COORDINATOR: coordinator,
        Role.ADMIN: admin_user,
    }
