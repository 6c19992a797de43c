"""The plan PostgreSQL makes for a queryset, with some of its ways of reading turned off: a
test's tables are nearly empty, and a planner left free would read them whole."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def explain(queryset: QuerySet, *, off: tuple[str, ...]) -> str:
    """``EXPLAIN`` of ``queryset`` with ``enable_<name>`` off for each of ``off`` (seqscan,
    indexscan, hashjoin, …), for the current transaction only."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for name in off:
            cursor.execute(f"SET LOCAL enable_{name} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
