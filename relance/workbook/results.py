"""What an import reports: per sheet, what it creates and changes, and every error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
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
