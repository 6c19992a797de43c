"""The plan workbook: one .xlsx file that carries the whole plan in and out (workbook.md).

``import_workbook(file, user=..., dry_run=...)`` checks every row of every sheet and
writes all of them in one transaction, or nothing; ``export_workbook(file)`` writes the
same format as a stream.
"""

from projects.spreadsheets import csv_safe

from .exporter import export_workbook
from .importer import import_workbook
from .reader import Limits, WorkbookRefused
from .results import ImportResult, SheetReport, WorkbookError

__all__ = [
    "ImportResult",
    "Limits",
    "SheetReport",
    "WorkbookError",
    "WorkbookRefused",
    "csv_safe",
    "export_workbook",
    "import_workbook",
]
