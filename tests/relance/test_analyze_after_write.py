"""After a large import or the opening of a round, PostgreSQL's statistics of the tables
written are refreshed (ANALYZE) once the transaction commits (projects/analyze.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.models import MilestoneStatus
from projects.analyze import analyze_after_commit
from projects.models import Fiche, ReportingRound, ReviewState
from projects.models.rounds import RoundState
from relance import services
from relance.workbook import import_workbook
from tests.factories import FicheFactory, ProjectFactory, ReportingRoundFactory
from tests.relance.workbooks import plan_workbook


def _analyzed(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]


def _estimated_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's (DATABASE_URL)")


@pytest.mark.django_db(transaction=True)
def test_a_large_import_analyzes_the_tables_it_wrote_once_committed(postgresql, settings):
    settings.RELANCE_ANALYZE_AFTER_ROWS = 10
    with CaptureQueriesContext(connection) as queries:
        result = import_workbook(plan_workbook())
    assert result.written
    [statement] = _analyzed(queries)
    # After the import's own transaction, not inside it.
    assert [q["sql"] for q in queries.captured_queries].index(statement) == len(queries) - 1
    for model in (Fiche, MilestoneStatus):
        assert f'"{model._meta.db_table}"' in statement
        assert _estimated_rows(model) == model.objects.count() > 0
    assert '"projects_historicalfiche"' not in statement  # nothing updated: no history


@pytest.mark.django_db(transaction=True)
def test_a_small_import_leaves_the_statistics_to_autovacuum(postgresql, settings):
    settings.RELANCE_ANALYZE_AFTER_ROWS = 10**6
    with CaptureQueriesContext(connection) as queries:
        assert import_workbook(plan_workbook()).written
    assert _analyzed(queries) == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_import_analyzes_nothing(postgresql, settings):
    settings.RELANCE_ANALYZE_AFTER_ROWS = 1
    workbook = plan_workbook(meetmomenten=[["2023-13", None, dt.date(2023, 12, 31), None, None]])
    with CaptureQueriesContext(connection) as queries:
        assert not import_workbook(workbook).written
    assert _analyzed(queries) == []


@pytest.mark.django_db(transaction=True)
def test_opening_a_round_analyzes_its_new_rows(postgresql, settings, coordinator):
    settings.RELANCE_ANALYZE_AFTER_ROWS = 3
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), state=RoundState.OPEN)
    for _ in range(3):
        FicheFactory(round=closed, project=ProjectFactory(), review_state=ReviewState.APPROVED)
    services.close_round(reporting_round=closed, by=None)
    upcoming = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        assert services.open_round(reporting_round=upcoming, by=coordinator) == 3
    [statement] = _analyzed(queries)
    assert '"projects_fiche"' in statement
    assert _estimated_rows(Fiche) == Fiche.objects.count() == 6
    assert ReportingRound.objects.get(pk=upcoming.pk).state == RoundState.OPEN


@pytest.mark.django_db
def test_nothing_is_analyzed_on_sqlite_nor_below_the_threshold(settings):
    settings.RELANCE_ANALYZE_AFTER_ROWS = 100
    assert not analyze_after_commit([Fiche], rows=99)
    assert analyze_after_commit([Fiche], rows=100) == (connection.vendor == "postgresql")
