"""What an import reports: per sheet, what it creates and changes, and every error."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class WorkbookError:
    """An error of the workbook: ``sheet!row: column: message`` (Excel's row number)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet is None:
            return self.message
        return f"{self.sheet}!{self.row}: {self.column}: {self.message}"


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    row: int
    key: str
    cells: tuple[CellChange, ...]


@dataclass
class SheetReport:
    """What the import does to one sheet's records."""

    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_rows: list[RowChange] = field(default_factory=list)
    changed_rows: list[RowChange] = field(default_factory=list)


@dataclass
class ImportResult:
    sheets: list[SheetReport] = field(default_factory=list)
    errors: list[WorkbookError] = field(default_factory=list)
    written: bool = False
    closed_rounds: list[str] = field(default_factory=list)
    opened_rounds: list[str] = field(default_factory=list)
    # Seconds spent reading the file, checking the rows and writing them (for the logs and
    # the benchmarks).
    timings: dict[str, float] = field(default_factory=dict)
    # What the quality rules find in the fiches of a preview (a dry run): they import.
    warnings: list[WorkbookError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(sheet.created for sheet in self.sheets)

    @property
    def updated(self) -> int:
        return sum(sheet.updated for sheet in self.sheets)

    def sheet(self, name: str) -> SheetReport:
        return next(sheet for sheet in self.sheets if sheet.name == name)


def shown(value: Any) -> str:
    """A value as people read it in the preview."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal):
        # Amounts keep their cents; indicator values lose the zeros of their eight decimals.
        return f"{value:f}" if value.as_tuple().exponent == -2 else f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# A stored result keeps at most this many errors and warnings (the preview shows no more);
# their counts stay whole.
KEPT = 500


def result_to_json(result: ImportResult) -> dict[str, Any]:
    """``result`` as JSON, to keep on the upload between its task and its page."""
    data = asdict(result)
    data["errors"] = data["errors"][:KEPT]
    data["warnings"] = data["warnings"][:KEPT]
    data["error_count"] = len(result.errors)
    data["warning_count"] = len(result.warnings)
    return data


def _row(data: dict[str, Any]) -> RowChange:
    cells = tuple(CellChange(**cell) for cell in data["cells"])
    return RowChange(row=data["row"], key=data["key"], cells=cells)


def result_from_json(data: dict[str, Any]) -> tuple[ImportResult, int, int]:
    """The result kept by ``result_to_json``, with its counts of errors and warnings."""
    sheets = [
        SheetReport(
            name=sheet["name"],
            created=sheet["created"],
            updated=sheet["updated"],
            unchanged=sheet["unchanged"],
            new_rows=[_row(row) for row in sheet["new_rows"]],
            changed_rows=[_row(row) for row in sheet["changed_rows"]],
        )
        for sheet in data["sheets"]
    ]
    result = ImportResult(
        sheets=sheets,
        errors=[WorkbookError(**error) for error in data["errors"]],
        written=data["written"],
        closed_rounds=data["closed_rounds"],
        opened_rounds=data["opened_rounds"],
        timings=data["timings"],
        warnings=[WorkbookError(**warning) for warning in data["warnings"]],
    )
    return result, data["error_count"], data["warning_count"]
