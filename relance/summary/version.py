"""The data version: a number that every committed change to the figures' tables raises,
so that what is computed from them (the open round's summary, the dashboard's heat map and
history, the open round's comparison and quality findings) can be kept in the cache under
a key that the next save changes.

On PostgreSQL, a deferred trigger on each table of ``WATCHED`` raises
``relance_dataversion.number`` once per transaction, when it commits (a ``TRUNCATE`` at
once): whatever the path — a form, a bulk update, an import, the shell, raw SQL. The row
lock is taken at commit only, so that concurrent saves do not wait on each other, and the
number comes from a sequence that nothing resets, so a number is never used twice, a
flushed database included. A reader that sees a number sees every change committed
before it; a transaction that has written anything itself gets no version (None) and
computes afresh. On SQLite (one writer at a time), a trigger per row and event sets it to
a random number at once.

The triggers are installed after ``migrate`` (as the closed-round guards,
projects/closed_rounds.py), never by a migration; every ``migrate`` (a restore is followed
by one) also moves the number on, past any number used before.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "relance_dataversion"
SEQUENCE = "relance_dataversion_number"
FUNCTION = "relance_data_changed"

# What the summary, the dashboard, the plan's totals and the round comparison read (the
# comparison's flags too), the quality rules (relance/quality/stored.py), and the open round's
# documents (relance/artefacts: the indicator notes read the indicators' definitions).
WATCHED = (
    "projects_reportinground",
    "projects_speerpunt",
    "projects_cluster",
    "projects_policydomain",
    "projects_project",
    "projects_fiche",
    "projects_statusflag",
    "finance_financereport",
    "milestones_milestone",
    "milestones_milestonestatus",
    "projects_indicator",
    "projects_indicatordefinition",
    "projects_indicatorvalue",
    "projects_followupaction",
)


def _function() -> str:
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the flag is the transaction's own and ends with it.
    IF current_setting('relance.data_changed', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('relance.data_changed', 'on', true);
        INSERT INTO {TABLE} (id, number) VALUES (1, nextval('{SEQUENCE}'))
        ON CONFLICT (id) DO UPDATE SET number = nextval('{SEQUENCE}');
    END IF;
    RETURN NULL;
END $$"""


def _postgresql(tables: list[str]) -> tuple[list[str], list[str]]:
    create = [
        f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
        _function(),
        # Far past any number used before: a database restored from an older dump (and
        # migrated, as a restore is) never meets the cache's keys of its later data.
        f"SELECT setval('{SEQUENCE}', nextval('{SEQUENCE}') + 1 + floor(random() * 1e12)::bigint)",
        f"INSERT INTO {TABLE} (id, number) VALUES (1, nextval('{SEQUENCE}')) "
        f"ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number",
    ]
    drop = []
    for table in tables:
        create += [
            f"CREATE CONSTRAINT TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE TRIGGER {table}_truncated AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
        drop += [
            f"DROP TRIGGER IF EXISTS {table}_changed ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_truncated ON {table}",
        ]
    return create, drop


def _sqlite(tables: list[str]) -> tuple[list[str], list[str]]:
    """SQLite writes one transaction at a time and its triggers see their own
    transaction's writes: each changed row draws a random number (a rolled-back one is
    never drawn again, as a counter's would be)."""
    create = [f"INSERT OR REPLACE INTO {TABLE} (id, number) VALUES (1, abs(random()))"]
    drop = []
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_changed_{event.lower()}"
            create.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                f"INSERT OR REPLACE INTO {TABLE} (id, number) VALUES (1, abs(random())); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def _statements(db: BaseDatabaseWrapper) -> tuple[list[str], list[str]] | None:
    tables = set(db.introspection.table_names())
    if TABLE not in tables:
        return None
    watched = [table for table in WATCHED if table in tables]
    if db.vendor == "postgresql":
        return _postgresql(watched)
    if db.vendor == "sqlite":
        return _sqlite(watched)
    return None


def _run(db: BaseDatabaseWrapper, statements: list[str]) -> None:
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_triggers(db: BaseDatabaseWrapper) -> None:
    statements = _statements(db)
    if statements is not None:
        _run(db, statements[1])


def install_triggers(db: BaseDatabaseWrapper) -> None:
    """(Re)install the triggers of every watched table that exists."""
    statements = _statements(db)
    if statements is not None:
        _run(db, [*statements[1], *statements[0]])


def before_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    # SQLite rebuilds a table to alter it, and trips over triggers that name it.
    if sender.name == "relance":
        remove_triggers(connections[using])


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if sender.name == "relance":
        install_triggers(connections[using])


def data_version() -> str | None:
    """The database's data version, as part of a cache key, in one query; None where
    nothing may be kept by it: a PostgreSQL transaction that has written itself (its
    number is raised only when it commits), a database without the triggers."""
    postgresql = connection.vendor == "postgresql"
    written = "pg_current_xact_id_if_assigned() IS NOT NULL" if postgresql else "0"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {written}, (SELECT number FROM {TABLE} WHERE id = 1)")
        dirty, number = cursor.fetchone()
    if dirty or connection.vendor not in ("postgresql", "sqlite"):
        return None
    # The database's name too: databases that share a cache share no keys.
    return f"{connection.settings_dict['NAME']}:{number or 0}"
