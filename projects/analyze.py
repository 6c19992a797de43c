"""Fresh planner statistics after a large write, on PostgreSQL.

PostgreSQL plans a query from each table's statistics, which autovacuum refreshes only a
while after many rows changed. Right after a large import or the opening of a round the
statistics still describe the tables as they were (empty, or a tenth of their size), and a
page's query planned on them can take seconds instead of milliseconds (15 s at 10x the
plan's size). So whoever writes many rows at once asks for an ``ANALYZE`` of the tables
written, once the transaction has committed (its rows are then visible to it). ANALYZE
reads a sample of each table (30,000 rows at the default statistics target): a fraction of
a second per table, whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model

# Fewer rows than this change the statistics too little to be worth it.
DEFAULT_MIN_ROWS = 5000


def min_rows() -> int:
    return int(getattr(settings, "RELANCE_ANALYZE_AFTER_ROWS", DEFAULT_MIN_ROWS))


def tables_of(models: Iterable[type[Model]]) -> list[str]:
    return sorted({model._meta.db_table for model in models})


def analyze_after_commit(models: Iterable[type[Model]], *, rows: int) -> bool:
    """On PostgreSQL, when ``rows`` (the rows written) reach ``min_rows()``: ANALYZE these
    models' tables once the current transaction commits (at once outside one). Returns
    whether it was asked."""
    if connection.vendor != "postgresql" or rows < min_rows():
        return False
    tables = tables_of(models)
    if not tables:
        return False
    statement = "ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables)

    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement)

    transaction.on_commit(analyze)
    return True
