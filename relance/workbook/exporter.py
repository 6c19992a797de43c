"""The plan workbook's export: the import's format, written as a stream, and made for people.

openpyxl's write-only mode writes each row as it comes and keeps no sheet in memory, and
the database is read in chunks, so memory stays flat whatever the plan's size. Each sheet
reads the ORM paths its declaration names (sheets/), which the import compares, so an
export imported into an empty database gives back the same plan, and exporting that gives
the same workbook.

For the people who open it: a first sheet says what the file holds (``over_dit_bestand``,
which the import passes over); every sheet has its header frozen and bold, an autofilter,
widths by what its columns hold, amounts in euro with two decimals, dates as dates, and a
drop-down of the accepted words in each column of statuses and other vocabularies (a
synonym typed by hand still imports: the drop-down only warns).
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from projects.models import ReportingRound
from projects.spreadsheets import text_cell

from .parsing import normalise_text
from .schema import VERSION, Column, Kind, Sheet
from .sheets import ABOUT_SHEET, SHEETS

CHUNK = 2000
# A float holds 15 significant digits exactly; longer indicator values are written as text.
FLOAT_DIGITS = 15
AMOUNT_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
# Column widths (in characters) by what a column holds; text as wide as its header at least.
WIDTHS = {Kind.TEXT: 40, Kind.AMOUNT: 18, Kind.QUANTITY: 14, Kind.DATE: 12, Kind.DATETIME: 20}
LAST_ROW = 1_048_576  # a sheet's last row: drop-downs cover rows added by hand too


def _width(column: Column) -> int:
    return max(len(column.name) + 3, WIDTHS.get(column.value_kind, 10))


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


def _amount(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if not isinstance(value, Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = AMOUNT_FORMAT
    return cell


def _dropdown(words: tuple[str, ...], letter: str) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(words)),
        allow_blank=True,
        errorStyle="warning",
        error=_("Kies een van: %(words)s.") % {"words": ", ".join(words)},
        errorTitle=_("Onbekende waarde"),
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    return validation


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
) -> int:
    """Write one sheet: every record, one round's (``round_code``) or those that ``rows``
    filters (the admin's selection). Returns how many records it wrote."""
    worksheet = workbook.create_sheet(sheet.name)
    columns = _columns(sheet, round_code)
    # Widths, the frozen header and the drop-downs are declared before the rows stream.
    for number, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = _width(column)
    worksheet.freeze_panes = "A2"
    worksheet.append([_header(worksheet, column.name) for column in columns])
    amounts = [column.value_kind is Kind.AMOUNT for column in columns]
    count = 0
    records = _records(sheet, columns, round_code, rows).values_list(*(c.path for c in columns))
    for record in records.iterator(chunk_size=CHUNK):
        count += 1
        worksheet.append(
            [
                _amount(worksheet, cell) if amount else cell
                for amount, cell in zip(
                    amounts,
                    (
                        _cell(worksheet, column.cell(value))
                        for column, value in zip(columns, record, strict=True)
                    ),
                    strict=True,
                )
            ]
        )
    last = get_column_letter(len(columns))
    worksheet.auto_filter.ref = f"A1:{last}{count + 1}"
    for number, column in enumerate(columns, start=1):
        if column.words:
            worksheet.data_validations.append(_dropdown(column.words, get_column_letter(number)))
    return count


def _header(sheet: WriteOnlyWorksheet, name: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = BOLD
    return cell


def _records(
    sheet: Sheet, columns: list[Column], round_code: str | None, rows: dict[str, Any] | None
) -> QuerySet[Any]:
    queryset = sheet.rows()
    if round_code is not None and sheet.round_column:
        queryset = queryset.filter(**{sheet.column(sheet.round_column).path: round_code})
    if rows:
        queryset = queryset.filter(**rows)
    return queryset.order_by(*sheet.key_paths)


def write_about(
    workbook: Workbook, *, reporting_round: ReportingRound | None, counts: dict[str, int]
) -> None:
    """The first sheet: what the file holds (``counts``: the rows of each sheet), when it
    was made, and how to read it. Written last, once the rows are counted, then moved first."""
    worksheet = workbook.create_sheet(ABOUT_SHEET)
    workbook.move_sheet(ABOUT_SHEET, offset=-len(workbook.worksheets) + 1)
    worksheet.column_dimensions["A"].width = 22
    worksheet.column_dimensions["B"].width = 12
    worksheet.column_dimensions["C"].width = 90
    if reporting_round is None:
        holds = _("het hele plan: elk meetmoment")
    else:
        holds = _("het plan en de rapportering van het meetmoment %(round)s (%(name)s)") % {
            "round": reporting_round.code,
            "name": reporting_round.name,
        }
    worksheet.append([_header(worksheet, _("Relance: planwerkboek"))])
    worksheet.append([_("Inhoud"), None, holds])
    worksheet.append([_("Gemaakt op"), None, date_format(timezone.localtime(), "DATETIME_FORMAT")])
    worksheet.append([_("Formaatversie"), None, VERSION])
    worksheet.append([])
    worksheet.append(
        [_header(worksheet, name) for name in (_("Werkblad"), _("Rijen"), _("Een rij is"))]
    )
    for sheet in SHEETS:
        worksheet.append([sheet.name, counts[sheet.name], str(sheet.about)])
    worksheet.append([])
    for line in (
        _("Dit werkblad is uitleg: het importeren slaat het over."),
        _(
            "Bedragen staan in euro met twee decimalen, datums als datum. Een kolom met "
            "statussen of andere vaste waarden biedt een keuzelijst; ook de synoniemen die "
            "het formaat kent, worden gelezen."
        ),
    ):
        worksheet.append([line])


def export_workbook(target: IO[bytes] | str, *, round_code: str | None = None) -> None:
    """Write the plan workbook to ``target`` (a path or a binary file).

    With ``round_code``, the round-bound sheets (the round itself, its reporting rows,
    milestone statuses, indicator definitions and values) hold only that round; the plan's
    sheets are always whole, without the columns that name other rounds, so that the file
    imports on its own. ``ReportingRound.DoesNotExist``
    for an unknown round.
    """
    reporting_round = None
    if round_code is not None:
        reporting_round = ReportingRound.objects.get(code=round_code)
    workbook = Workbook(write_only=True)
    counts = {sheet.name: write_sheet(workbook, sheet, round_code=round_code) for sheet in SHEETS}
    write_about(workbook, reporting_round=reporting_round, counts=counts)
    workbook.save(target)


def export_sheet(target: IO[bytes] | str, sheet: Sheet, *, rows: dict[str, Any]) -> None:
    """Write one sheet of the plan workbook to ``target``: the records that ``rows``
    filters (the admin's selection), in the workbook's columns, so that it imports."""
    workbook = Workbook(write_only=True)
    write_sheet(workbook, sheet, rows=rows)
    workbook.save(target)
