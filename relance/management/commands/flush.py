"""``flush`` that may empty closed rounds too.

Emptying the whole database (the tests do it between transactional tests) is not a change
to a closed round's figures, so ``flush`` lifts the closed-round guard for its duration
(see projects/closed_rounds.py). Nothing else does.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from projects.closed_rounds import LIFTED


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {LIFTED} (lifted) VALUES (1)")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {LIFTED}")
