"""A closed round's data never changes: database triggers refuse it, whatever the path.

Views, forms and the admin check ``ReportingRound.ensure_changeable()`` first, to say so
kindly; these triggers are the guarantee underneath, for the shell, bulk updates, imports
and raw SQL alike. Each app registers the tables it guards (in its ``AppConfig.ready``),
naming how to reach the round of a row.

The triggers are not part of the migrations: ``migrate`` drops them before it starts and
installs them afresh when it is done, because SQLite rebuilds a table to alter it (which
loses the table's triggers, and trips over triggers of other tables that name it).

Only ``flush`` (tests and ``manage.py flush`` empty the whole database) may lift the
guard, by putting a row in ``relance_guard_lifted`` for its duration: see
relance/management/commands/flush.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

ROUNDS = "projects_reportinground"
LIFTED = "relance_guard_lifted"
MESSAGE = "closed_round: the data of a closed reporting round cannot change"


@dataclass(frozen=True)
class Guard:
    """The table to guard and an SQL expression for the round id of a row (``{row}`` is
    OLD or NEW)."""

    table: str
    round_id: str

    def closed(self, row: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM {ROUNDS} r WHERE r.id = ({self.round_id.format(row=row)}) "
            f"AND r.state = 'closed')"
        )


GUARDS: dict[str, Guard] = {}


# A row that names its round itself.
OWN_ROUND = "{row}.round_id"
# A row of a fiche, through the fiche's round.
FICHE_ROUND = "SELECT f.round_id FROM projects_fiche f WHERE f.id = {row}.fiche_id"


def register(guard: Guard) -> None:
    GUARDS[guard.table] = guard


def guard(*tables: str, round_id: str = OWN_ROUND) -> None:
    """Guard ``tables``, whose rows reach their round by ``round_id``."""
    for table in tables:
        register(Guard(table=table, round_id=round_id))


def _raise_pg(table_expr: str) -> str:
    return (
        f"RAISE EXCEPTION '{MESSAGE} (%)', {table_expr} "
        "USING ERRCODE = 'integrity_constraint_violation';"
    )


def _postgresql(
    name: str, table: str, events: str, refuse_when: str
) -> tuple[list[str], list[str]]:
    function = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {LIFTED}) AND ({refuse_when}) THEN
        {_raise_pg("TG_TABLE_NAME")}
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$"""
    trigger = (
        f"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
    )
    drop = [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [function, trigger], drop


def _sqlite(name: str, table: str, conditions: dict[str, str]) -> tuple[list[str], list[str]]:
    create = [
        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
        f"WHEN NOT EXISTS (SELECT 1 FROM {LIFTED}) AND ({condition}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
        for event, condition in conditions.items()
    ]
    drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in conditions]
    return create, drop


def _guard_statements(vendor: str, guard: Guard) -> tuple[list[str], list[str]]:
    name = f"{guard.table}_closed_round"
    if vendor == "postgresql":
        refuse = (
            f"(TG_OP IN ('UPDATE', 'DELETE') AND {guard.closed('OLD')}) "
            f"OR (TG_OP IN ('INSERT', 'UPDATE') AND {guard.closed('NEW')})"
        )
        return _postgresql(name, guard.table, "INSERT OR UPDATE OR DELETE", refuse)
    if vendor == "sqlite":
        return _sqlite(
            name,
            guard.table,
            {
                "INSERT": guard.closed("NEW"),
                "UPDATE": f"{guard.closed('OLD')} OR {guard.closed('NEW')}",
                "DELETE": guard.closed("OLD"),
            },
        )
    raise NotImplementedError(f"No closed-round guard for {vendor}.")


def _rounds_statements(vendor: str) -> tuple[list[str], list[str]]:
    """The rounds table itself: a closed round is neither edited, reopened nor deleted."""
    name = f"{ROUNDS}_closed"
    if vendor == "postgresql":
        return _postgresql(name, ROUNDS, "UPDATE OR DELETE", "OLD.state = 'closed'")
    if vendor == "sqlite":
        return _sqlite(
            name, ROUNDS, {"UPDATE": "OLD.state = 'closed'", "DELETE": "OLD.state = 'closed'"}
        )
    raise NotImplementedError(f"No closed-round guard for {vendor}.")


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            # No parameters: the trigger bodies hold '%' that are not placeholders.
            cursor.execute(statement)


def _all_statements(vendor: str, tables: set[str]) -> tuple[list[str], list[str]]:
    """What installs, and what removes, the rounds' guard and the guard of each registered
    table among ``tables``."""
    create, drop = _rounds_statements(vendor)
    for guard in GUARDS.values():
        if guard.table in tables:
            guard_create, guard_drop = _guard_statements(vendor, guard)
            create += guard_create
            drop += guard_drop
    return create, drop


def remove_guards(connection: BaseDatabaseWrapper) -> None:
    tables = set(connection.introspection.table_names())
    if ROUNDS not in tables:
        return
    _run(connection, _all_statements(connection.vendor, tables)[1])


def install_guards(connection: BaseDatabaseWrapper) -> None:
    """(Re)install every guard whose table exists; safe to run any number of times."""
    remove_guards(connection)
    tables = set(connection.introspection.table_names())
    if not {ROUNDS, LIFTED} <= tables:
        return
    _run(connection, _all_statements(connection.vendor, tables)[0])


def before_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "projects":
        remove_guards(connections[using])


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "projects":
        install_guards(connections[using])
