"""Reading the workbook's sheets into rows: each cell parsed by its column's declaration,
every error of every row collected (``sheet!row: column: message``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..reader import SheetRows
from ..rows import Row, SheetInput
from ..schema import Sheet
from ..sheets import ABOUT_SHEET
from ..sheets import BY_NAME as SHEETS_BY_NAME
from .job import Job


def read(job: Job, sheets: list[SheetRows]) -> None:
    for sheet_rows in sheets:
        name = " ".join(sheet_rows.title.split()).lower()
        sheet = SHEETS_BY_NAME.get(name)
        if name == ABOUT_SHEET:
            continue  # what an export holds, for people
        if sheet is None:
            job.error(
                sheet_rows.title,
                1,
                "—",
                _("onbekend werkblad; verwacht: %(names)s") % {"names": ", ".join(SHEETS_BY_NAME)},
            )
        elif sheet.name in job.inputs:
            job.error(sheet_rows.title, 1, "—", _("dit werkblad staat er twee keer"))
        else:
            _read_sheet(job, sheet, sheet_rows)


def _read_sheet(job: Job, sheet: Sheet, sheet_rows: SheetRows) -> None:
    positions: dict[str, int] = {}
    nameless: list[int] = []
    for index, title in enumerate(sheet_rows.header):
        if title is None:
            nameless.append(index)
            continue
        name = " ".join(str(title).split()).lower()
        if name not in sheet.names:
            job.error(sheet.name, 1, str(title), _("onbekende kolom"))
        elif name in positions:
            job.error(sheet.name, 1, name, _("deze kolom staat er twee keer"))
        else:
            positions[name] = index
    for column in sheet.columns:
        if column.required and column.name not in positions:
            job.error(sheet.name, 1, column.name, _("verplichte kolom ontbreekt"))
    present = tuple(column.name in positions for column in sheet.columns)
    sheet_input = job.inputs[sheet.name] = SheetInput(sheet, present)
    width = len(sheet_rows.header)
    # Codes and statuses repeat on every row: each distinct text is read once. (Only
    # text: 1, 1.0 and True are one key to a dict, and are not one value to a column.)
    memos: dict[int, dict[Any, Any]] = {}
    readers = [
        (i, column, positions[column.name], memos.setdefault(i, {}) if column.repeats else None)
        for i, column in enumerate(sheet.columns)
        if column.name in positions
    ]
    key_indexes = [sheet.index(column) for column in sheet.key]
    # An optional key column (indicatoren's meetmoment) may be absent or empty.
    needed = [i for i in key_indexes if sheet.columns[i].required]
    keyed = all(present[i] for i in needed)
    first_rows, rows = sheet_input.first_rows, sheet_input.rows
    for number, cells in sheet_rows.rows:
        values: list[Any] = [None] * len(sheet.columns)
        ok = True
        length = len(cells)
        for i, column, position, memo in readers:
            raw = cells[position] if position < length else None
            if raw is None:
                if column.required:
                    job.error(sheet.name, number, column.name, _("verplicht"))
                    ok = False
                else:
                    values[i] = column.empty
                continue
            if memo is not None and raw.__class__ is str:
                if raw not in memo:
                    try:
                        memo[raw] = column.parse(raw)
                    except ValueError as error:
                        job.error(sheet.name, number, column.name, str(error))
                        ok = False
                        continue
                values[i] = memo[raw]
                continue
            try:
                values[i] = column.parse(raw)
            except ValueError as error:
                job.error(sheet.name, number, column.name, str(error))
                ok = False
        if nameless or length > width:
            ok = _nameless(job, sheet, number, cells, [*nameless, *range(width, length)]) and ok
        if not keyed:
            continue
        key = tuple([values[i] for i in key_indexes])
        if any(values[i] is None for i in needed):
            continue
        if key in first_rows:
            job.error(
                sheet.name,
                number,
                sheet.key[-1],
                _("dubbel: %(key)s staat ook op rij %(row)s")
                % {"key": " / ".join(map(str, key)), "row": first_rows[key]},
            )
            continue
        first_rows[key] = number
        if ok:
            rows[key] = Row(number, tuple(values))


def _nameless(
    job: Job, sheet: Sheet, number: int, cells: tuple[Any, ...], positions: list[int]
) -> bool:
    ok = True
    for position in positions:
        if position < len(cells) and cells[position] is not None:
            job.error(
                sheet.name,
                number,
                SheetRows.column_letter(position),
                _("waarde in een kolom zonder naam"),
            )
            ok = False
    return ok
