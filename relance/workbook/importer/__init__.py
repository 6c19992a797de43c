"""The plan workbook's import: read every sheet, check every row, then write all or nothing.

Why openpyxl and bulk ORM operations rather than django-import-export here: the workbook
is one change across ten sheets that refer to each other (a milestone status names a
milestone of a project of the same file), so it must be checked as a whole and written in
one transaction, in the order of the references, with rounds closing only after their
rows are in. import-export's resources import one model at a time, each in its own
transaction, row by row with a query or more per row; the import must keep within 2x of a
plain ``bulk_create`` at 100 times the plan's size (580,000 rows), which takes checking
every row in memory against what was read in a few queries, and writing in bulk. The
admin site imports nothing: it exports a sheet, from the same declaration (relance/admin.py).

How a row is read: the key finds the stored record; the file's cells, for the columns the
sheet has, go over what is stored (a column that is absent leaves its field alone; an
empty cell empties it). A table may then derive what the file means (tables/): a flag
word in a status is the flag; an empty cell of a column the application fills (a frozen
budget, an envelope, a count of postponements) keeps what is stored, or for a new record
is worked out; an indicator definition without a round is the open round's. The merged
record is checked, compared cell by cell, and created, updated or left unchanged. Nothing
is ever deleted.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from projects.models import ReportingRound, User

from ..reader import Limits, WorkbookRefused, open_workbook
from ..results import ImportResult, WorkbookError
from .checking import validate
from .findings import workbook_findings
from .job import Job
from .reading import read

logger = logging.getLogger(__name__)

__all__ = ["import_workbook"]


class _Refused(Exception):
    """Rolls the transaction back when the rows turn out wrong after all."""


def import_workbook(
    source: IO[bytes],
    *,
    user: User | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
    filename: str = "",
) -> ImportResult:
    """Import a plan workbook: every row checked first, then all written in one transaction,
    or nothing at all. With ``dry_run`` nothing is written: the result is the preview.

    ``filename`` names the file in the review history of the fiches whose flag it changes.

    Never raises for a bad file: every problem is in ``result.errors``.
    """
    job = Job(user=user, filename=filename)
    clock = _Clock()
    try:
        with open_workbook(source, limits) as sheets, _collector_paused():
            read(job, sheets)
    except WorkbookRefused as refused:
        return ImportResult(errors=[WorkbookError(None, None, None, str(refused))])
    clock.lap("read")
    if dry_run:
        with _collector_paused():
            validate(job)
        clock.lap("check")
        # The preview also shows what the quality rules find in the fiches it would write.
        warnings = workbook_findings(job)
        clock.lap("quality")
        result = job.result(written=False, timings=clock.laps)
        result.warnings = warnings
        return result
    try:
        with transaction.atomic():
            # Nobody closes or opens a round while the rows are checked and written.
            list(ReportingRound.objects.select_for_update().values_list("pk"))
            with _collector_paused():
                validate(job)
            clock.lap("check")
            if job.errors:
                raise _Refused
            job.write()
    except _Refused:
        return job.result(written=False, timings=clock.laps)
    except DatabaseError:
        logger.exception("The workbook import was refused by the database.")
        job.errors.append(
            WorkbookError(
                None,
                None,
                None,
                _(
                    "De databank weigerde de wijzigingen (werd er intussen iets gewijzigd, "
                    "zoals een meetmoment gesloten?). Er is niets geïmporteerd."
                ),
            )
        )
        return job.result(written=False, timings=clock.laps)
    clock.lap("write")
    result = job.result(written=True, timings=clock.laps)
    logger.info(
        "Workbook imported: %s created, %s updated (%s).",
        result.created,
        result.updated,
        ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.timings.items()),
    )
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector, paused while the rows are read and checked. Each
    of its full collections goes over every object alive, and reading holds ever more of
    them (a tuple, its values and a row per row read: millions at 100x), so that
    collecting cost a sixth of the reading; the rows and their checks make no cycles for
    it to find."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
