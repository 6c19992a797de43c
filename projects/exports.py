"""Table exports (CSV, Excel) that a spreadsheet can never run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel and LibreOffice when the file is opened (CSV injection). Project
titles, entities and milestone descriptions are typed by people, so every text cell
is made inert:

- in CSV, such a text gets a leading apostrophe, the usual escape, which spreadsheets
  show as text;
- in xlsx, every text is written as a text cell. openpyxl would store a text starting
  with ``=`` as a formula; tablib's ``escape=True`` (tablib 3.10) only drops that ``=``,
  changing the data, so the workbook is written here, the text kept as it is.

Numbers and dates stay numbers and dates.

An export says what it holds: the xlsx file has a second sheet naming the list, the round,
the filters, the number of rows and when it was made (``about``), and the file's name
names the round and the day. CSV is written in the Belgian dialect by default (``;`` between
fields and a decimal comma, which a spreadsheet set to Dutch or French in Belgium splits
right), or in the international one (``,`` and a decimal point) on request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .spreadsheets import csv_safe


def _xlsx_text(value: str) -> str:
    # Control characters other than tab, newline and carriage return are not allowed in
    # the file format; openpyxl refuses them.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


Dialect = Literal["belgian", "international"]
DIALECTS: dict[Dialect, tuple[str, str]] = {"belgian": (";", ","), "international": (",", ".")}


def _csv_number(value: Any, decimal_mark: str) -> Any:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return f"{value:f}".replace(".", decimal_mark) if decimal_mark != "." else f"{value:f}"
    return value


class SafeTableExport(TableExport):
    """django-tables2's export, in CSV and xlsx only, formula-safe, saying what it holds
    (``about``: label and value pairs) in the CSV ``dialect`` asked for."""

    FORMATS = {
        TableExport.CSV: TableExport.FORMATS[TableExport.CSV],
        TableExport.XLSX: TableExport.FORMATS[TableExport.XLSX],
    }

    def __init__(
        self,
        export_format: str,
        table: Any,
        exclude_columns: Sequence[str] | None = None,
        dataset_kwargs: dict[str, Any] | None = None,
        *,
        about: Sequence[tuple[str, str]] = (),
        dialect: Dialect = "belgian",
    ) -> None:
        super().__init__(export_format, table, exclude_columns, dataset_kwargs)
        self.about = list(about)
        self.dialect: Dialect = dialect

    @classmethod
    def is_valid_format(cls, export_format: str | None) -> bool:
        # The parent checks its own list (json, yaml, …), whatever a subclass allows.
        return export_format in cls.FORMATS

    def export(self) -> str | bytes:
        if self.format == self.XLSX:
            return self._xlsx()
        return self._csv()

    def _csv(self) -> str:
        stream = io.StringIO()
        # The byte order mark makes Excel read the file as UTF-8 (coördinator, beleidsdomein …).
        stream.write("\ufeff")
        delimiter, decimal_mark = DIALECTS[self.dialect]
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow([csv_safe(header) for header in self.dataset.headers or []])
        for row in self.dataset:
            writer.writerow([csv_safe(_csv_number(value, decimal_mark)) for value in row])
        return stream.getvalue()

    def _xlsx(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = (self.dataset.title or "Export")[:31]
        bold = Font(bold=True)
        rows = [self.dataset.headers or [], *self.dataset]
        widths: dict[int, int] = {}
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    cell.value = _xlsx_text(value)
                    # Text stays text: never a formula (=…) or an error code (#N/A).
                    cell.data_type = "s"
                else:
                    cell.value = value
                    if isinstance(value, Decimal):
                        cell.number_format = "#,##0.00"
                if row_number == 1:
                    cell.font = bold
                widths[column_number] = max(widths.get(column_number, 0), len(str(value or "")))
        sheet.freeze_panes = "A2"
        for column_number, width in widths.items():
            sheet.column_dimensions[get_column_letter(column_number)].width = min(width + 2, 60)
        if widths:
            sheet.auto_filter.ref = f"A1:{get_column_letter(max(widths))}{len(rows)}"
        if self.about:
            self._about_sheet(workbook.create_sheet(_("Over deze export")[:31]), bold)
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    def _about_sheet(self, sheet: Worksheet, bold: Font) -> None:
        for label, value in self.about:
            sheet.append([_xlsx_text(label), _xlsx_text(value)])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            # What people typed in a filter stays text.
            sheet.cell(row=sheet.max_row, column=2).data_type = "s"
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 80
