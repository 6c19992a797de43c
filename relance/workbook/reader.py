"""Opening an uploaded workbook safely, and reading its sheets as rows of values.

Everything that could hurt is refused before openpyxl parses a byte: a file that is too
large, is no zip, is no .xlsx, or declares that it unpacks to far more than the limit (a
zip bomb). Python's zipfile never inflates an entry beyond its declared size, so checking
the declared sizes is enough. openpyxl then parses the XML with defusedxml (no entities,
no external references) in read-only mode, and reads each formula's cached value, never
the formula.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
# Spreadsheet XML compresses well, but not a hundredfold: beyond that it is a bomb.
MAX_RATIO = 100
# Below this size an entry's ratio does not matter: it cannot unpack to much.
RATIO_FLOOR = 1 * MB
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


class WorkbookRefused(Exception):
    """The file as a whole is refused; ``str(error)`` says why, in words for people."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        max_bytes = getattr(settings, "RELANCE_WORKBOOK_MAX_BYTES", DEFAULT_MAX_BYTES)
        return cls(
            max_bytes=max_bytes,
            max_unpacked_bytes=getattr(
                settings, "RELANCE_WORKBOOK_MAX_UNPACKED_BYTES", 10 * max_bytes
            ),
        )


def _size(source: IO[bytes]) -> int:
    source.seek(0, 2)
    size = source.tell()
    source.seek(0)
    return size


def check_file(source: IO[bytes], limits: Limits) -> None:
    """Refuse, before any parsing, what is not a plain, reasonably sized .xlsx file."""
    size = _size(source)
    if size > limits.max_bytes:
        raise WorkbookRefused(
            _("Het bestand is te groot: %(size)s MB, de grens is %(limit)s MB.")
            % {"size": round(size / MB, 1), "limit": round(limits.max_bytes / MB, 1)}
        )
    if not zipfile.is_zipfile(source):
        raise WorkbookRefused(_("Dit is geen Excel-werkboek (.xlsx)."))
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused(_("Dit is geen Excel-werkboek (.xlsx).")) from None
    finally:
        source.seek(0)
    names = {entry.filename for entry in entries}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise WorkbookRefused(_("Dit is geen Excel-werkboek (.xlsx)."))
    unpacked = sum(entry.file_size for entry in entries)
    bomb = unpacked > limits.max_unpacked_bytes or any(
        entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if bomb:
        raise WorkbookRefused(
            _("Het werkboek zou uitpakken tot %(size)s MB: dat wordt geweigerd (zip-bom).")
            % {"size": round(unpacked / MB)}
        )


@dataclass(frozen=True)
class SheetRows:
    """One sheet: its column names as written (row 1) and its data rows (Excel numbering)."""

    title: str
    header: tuple[Any, ...]
    rows: Iterator[tuple[int, tuple[Any, ...]]]

    @staticmethod
    def column_letter(index: int) -> str:
        return get_column_letter(index + 1)


def clean_text(value: str) -> str | None:
    """Text trimmed, line ends as \\n; empty text is an empty cell. (Characters that XML
    cannot hold cannot come out of a parsed sheet.)"""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip() or None


def clean_value(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _damaged() -> WorkbookRefused:
    return WorkbookRefused(_("Het werkboek kan niet gelezen worden: is het beschadigd?"))


def _defused(error: BaseException | None) -> bool:
    """Did defusedxml refuse this XML (openpyxl wraps the error in its own)?"""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _forbidden() -> WorkbookRefused:
    return WorkbookRefused(
        _("Het werkboek bevat XML met entiteiten of externe verwijzingen: dat wordt geweigerd.")
    )


class _SheetParser(WorkSheetParser):
    """openpyxl's worksheet parser, with a short way through a plain inline string (what
    openpyxl itself writes), for which the original builds a rich-text object per cell."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") == "inlineStr":
            inline = element.find(INLINE_STRING)
            if inline is not None and len(inline) == 1 and inline[0].tag == _TEXT_TAG:
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    row, column = self.row_counter, self.col_counter
                return {
                    "row": row,
                    "column": column,
                    "value": inline[0].text or "",
                    "data_type": "s",
                    "style_id": int(element.get("s", 0)),
                }
        return super().parse_cell(element)


def _parsed_rows(workbook: Any, worksheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's rows as (Excel row number, values by column). This goes one level below
    ``iter_rows`` (openpyxl 3.1's read-only internals), which fills every gap with empty
    cells and rows and costs a third of a large import's time."""
    parser = _SheetParser(
        worksheet._get_source(),
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    rows = parser.parse()
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except Exception as error:
            # A sheet's XML is parsed as it is read: malformed or forbidden XML shows up here.
            raise (_forbidden() if _defused(error) else _damaged()) from None
        if not cells:
            continue
        values: list[Any] = [None] * cells[-1]["column"]
        for cell in cells:
            if cell["column"] <= len(values):
                values[cell["column"] - 1] = cell["value"]
        yield number, tuple(values)


def _cleaned(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, row in rows:
        # The hot loop of a large import: kept to plain comprehensions.
        values = tuple([clean_text(v) if v.__class__ is str else v for v in row])
        if values.count(None) != len(values):
            yield number, values


def _sheet(workbook: Any, worksheet: Any) -> SheetRows:
    rows = _parsed_rows(workbook, worksheet)
    first = next(rows, None)
    if first is not None and first[0] == 1:
        header = tuple(clean_value(value) for value in first[1])
    else:
        header = ()
        rows = chain([first], rows) if first is not None else rows
    return SheetRows(title=worksheet.title, header=header, rows=_cleaned(rows))


@contextmanager
def open_workbook(source: IO[bytes], limits: Limits | None = None) -> Iterator[list[SheetRows]]:
    """The workbook's sheets, in the workbook's order, each read lazily row by row."""
    check_file(source, limits or Limits.from_settings())
    if not openpyxl.xml.DEFUSEDXML:
        # Refuse rather than parse untrusted XML without defusedxml.
        raise WorkbookRefused(_("Het werkboek kan nu niet veilig gelezen worden."))
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises many kinds of errors on a damaged file; none may reach the user.
        raise (_forbidden() if _defused(error) else _damaged()) from None
    try:
        yield [_sheet(workbook, worksheet) for worksheet in workbook.worksheets]
    finally:
        workbook.close()
