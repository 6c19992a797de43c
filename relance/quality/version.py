"""The plan's write version: a token in the cache that changes whenever a write to the
tables the quality rules read (fiches, their money, milestones and statuses, indicators,
flags and follow-up actions, projects, domains, rounds) is committed, by whatever path
(a form, the API, a workbook import, a bulk update): every statement on the database
connection is seen (``connection.execute_wrappers``), not only a model's ``save``.

The token changes twice: when the statement runs (a reader in the same transaction, or a
test's, sees it) and once its transaction commits (a reader that read the token before
the commit and the data before it too stores findings under a token that is then gone).
A reader reads the token before the data it computes from, so that what it stores under
a token is never older than the token.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

KEY = "relance:plan-version"
WRITES = ("INSERT", "UPDATE", "DELETE")


def _watched_tables() -> tuple[str, ...]:
    from finance.models import FinanceReport
    from milestones.models import Milestone, MilestoneStatus
    from projects.models import (
        Fiche,
        FollowUpAction,
        Indicator,
        IndicatorValue,
        PolicyDomain,
        Project,
        ReportingRound,
        StatusFlag,
    )

    models = (
        Fiche,
        FinanceReport,
        FollowUpAction,
        Indicator,
        IndicatorValue,
        Milestone,
        MilestoneStatus,
        PolicyDomain,
        Project,
        ReportingRound,
        StatusFlag,
    )
    return tuple(f'"{model._meta.db_table}"' for model in models)


_tables: tuple[str, ...] = ()


def plan_version() -> str:
    """The current token (a new one when the cache has none: nothing is taken as fresh)."""
    token: str | None = cache.get(KEY)
    if token is None:
        token = bump()
    return token


def bump() -> str:
    token = uuid.uuid4().hex
    try:
        cache.set(KEY, token, None)
    except Exception:  # the cache down: the next reader finds no token and recomputes
        logger.exception("The plan's write version could not be changed.")
    return token


def _after_commit() -> None:
    bump()


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    head = sql.lstrip()[:6].upper()
    if head in WRITES and any(table in sql for table in _tables):
        bump()
        connection = context["connection"]
        if connection.in_atomic_block and not any(
            entry[1] is _after_commit for entry in connection.run_on_commit
        ):
            transaction.on_commit(_after_commit, using=connection.alias, robust=True)
    return result


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def install() -> None:
    """Watch every database connection's writes (``RelanceConfig.ready``)."""
    global _tables
    _tables = _watched_tables()
    connection_created.connect(_install, dispatch_uid="relance-plan-version")
