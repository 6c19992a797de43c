"""The plan workbook's export: the import's format, written as a stream.

openpyxl's write-only mode writes each row as it comes and keeps no sheet in memory, and
the database is read in chunks, so memory stays flat whatever the plan's size. Each sheet
reads the ORM paths its declaration names (sheets/), which the import compares, so an
export imported into an empty database gives back the same plan, and exporting that gives
the same workbook.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from projects.models import ReportingRound
from projects.spreadsheets import text_cell

from .parsing import normalise_text
from .schema import Column, Sheet
from .sheets import SHEETS

CHUNK = 2000
# A float holds 15 significant digits exactly; longer indicator values are written as text.
FLOAT_DIGITS = 15


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, str):
        text = normalise_text(value)
        return text_cell(sheet, text) if text else None
    if isinstance(value, Decimal) and value.as_tuple().exponent != -2:
        value = value.normalize()
        if len(value.as_tuple().digits) > FLOAT_DIGITS:
            return text_cell(sheet, f"{value:f}")
        return value if value.as_tuple().exponent <= 0 else value.quantize(Decimal(1))
    return value


def _columns(sheet: Sheet, round_code: str | None) -> list[Column]:
    """The columns written: one round's workbook leaves out those that name other rounds
    (a project's leaving round), so that it imports on its own, and imported back into the
    whole plan, leaves those fields as they are."""
    return [c for c in sheet.columns if round_code is None or c.in_round_export]


def write_sheet(
    workbook: Workbook,
    sheet: Sheet,
    *,
    round_code: str | None = None,
    rows: dict[str, Any] | None = None,
) -> None:
    """Write one sheet: every record, one round's (``round_code``) or those that ``rows``
    filters (the admin's selection)."""
    worksheet = workbook.create_sheet(sheet.name)
    columns = _columns(sheet, round_code)
    worksheet.append([column.name for column in columns])
    queryset = sheet.rows()
    if round_code is not None and sheet.round_column:
        queryset = queryset.filter(**{sheet.column(sheet.round_column).path: round_code})
    if rows:
        queryset = queryset.filter(**rows)
    records = queryset.order_by(*sheet.key_paths).values_list(*(c.path for c in columns))
    for record in records.iterator(chunk_size=CHUNK):
        worksheet.append(
            [
                _cell(worksheet, column.cell(value))
                for column, value in zip(columns, record, strict=True)
            ]
        )


def export_workbook(target: IO[bytes] | str, *, round_code: str | None = None) -> None:
    """Write the plan workbook to ``target`` (a path or a binary file).

    With ``round_code``, the round-bound sheets (the round itself, its reporting rows,
    milestone statuses, indicator definitions and values) hold only that round; the plan's
    sheets are always whole, without the columns that name other rounds, so that the file
    imports on its own. ``ReportingRound.DoesNotExist``
    for an unknown round.
    """
    if round_code is not None:
        ReportingRound.objects.get(code=round_code)
    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        write_sheet(workbook, sheet, round_code=round_code)
    workbook.save(target)


def export_sheet(target: IO[bytes] | str, sheet: Sheet, *, rows: dict[str, Any]) -> None:
    """Write one sheet of the plan workbook to ``target``: the records that ``rows``
    filters (the admin's selection), in the workbook's columns, so that it imports."""
    workbook = Workbook(write_only=True)
    write_sheet(workbook, sheet, rows=rows)
    workbook.save(target)
