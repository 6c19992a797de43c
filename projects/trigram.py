"""Trigram indexes for the lists' ``?q=`` search, on PostgreSQL only.

Django's ``icontains`` is ``UPPER(column::text) LIKE UPPER('%text%')`` on PostgreSQL; a GIN
index of the same expression with pg_trgm's operator class answers it without reading the
whole table. The embedded SQLite has no such index and reads the table, as before.
"""

from __future__ import annotations

from django.db import migrations


def trigram_index(table: str, column: str) -> migrations.RunPython:
    """A migration operation: the trigram index of ``UPPER(table.column)``."""
    name = f"{table}_{column}_trgm"

    def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)
