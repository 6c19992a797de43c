"""The Scoreboard's rows as a file: xlsx or CSV, formula-safe like every export
(projects/spreadsheets.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projects.models import ReportingRound
from projects.spreadsheets import csv_safe

from .scoreboard import COLUMNS, EMPTY, ScoreboardRow

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SHEET_TITLE = "RRF Scoreboard"


def filename(reporting_round: ReportingRound, file_format: str) -> str:
    return f"rrf-scoreboard-{reporting_round.code}.{file_format}"


def _csv_cell(value: Any) -> Any:
    # The Scoreboard's empty value is a lone dash: no formula, kept as it is.
    return value if value == EMPTY else csv_safe(value)


def as_csv(rows: Sequence[ScoreboardRow]) -> bytes:
    stream = io.StringIO()
    # The byte order mark makes Excel read the file as UTF-8.
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row.values])
    return stream.getvalue().encode("utf-8")


def as_xlsx(rows: Sequence[ScoreboardRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for row_number, values in enumerate([COLUMNS, *(r.values for r in rows)], start=1):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                # Text stays text: never a formula (=…) or an error code (#N/A).
                cell.data_type = "s"
            else:
                cell.value = value
            if row_number == 1:
                cell.font = bold
            widths[column_number] = max(widths.get(column_number, 0), len(str(value)))
    sheet.freeze_panes = "A2"
    for column_number, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_number)].width = min(width + 2, 60)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def scoreboard_file(rows: Sequence[ScoreboardRow], file_format: str) -> bytes:
    """``rows`` as an ``xlsx`` or ``csv`` file."""
    if file_format == "xlsx":
        return as_xlsx(rows)
    if file_format == "csv":
        return as_csv(rows)
    raise ValueError(f"unknown format: {file_format}")
