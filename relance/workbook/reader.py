"""Opening an uploaded workbook safely, and reading its sheets as rows of values.

Everything that could hurt is refused before openpyxl parses a byte: a file that is too
large, is no zip, is no .xlsx, or declares that it unpacks to far more than the limit (a
zip bomb). Python's zipfile never inflates an entry beyond its declared size, so checking
the declared sizes is enough. openpyxl then reads the workbook's parts with defusedxml (no
entities, no external references) in read-only mode, and the sheets' rows are read by
``sheetxml`` on expat with defusedxml's same protections, each formula's cached value,
never the formula.
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
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from .sheetxml import sheet_rows

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
# Spreadsheet XML compresses well, but not a hundredfold: beyond that it is a bomb.
MAX_RATIO = 100
# Below this size an entry's ratio does not matter: it cannot unpack to much.
RATIO_FLOOR = 1 * MB


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


class _Worksheet(ReadOnlyWorksheet):
    """A read-only sheet that does not work out its size when opened. A sheet that does not
    state its size (openpyxl's write-only sheets, so the application's own export and the
    benchmark's workbooks, don't) is otherwise parsed in full once more just to find it,
    which was half of a large import's reading; the import never asks for the size."""

    def _get_size(self) -> None:
        pass


class _ExcelReader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader in read-only mode, with its worksheets as ``_Worksheet``."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _load_workbook(source: IO[bytes]) -> Any:
    """``openpyxl.load_workbook(source, read_only=True, data_only=True)``, less the sizes."""
    reader = _ExcelReader(source, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _parsed_rows(workbook: Any, worksheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's rows as (Excel row number, values by column), read by ``sheetxml`` rather
    than openpyxl's ``iter_rows``, which fills every gap with empty cells and rows and
    parses each element through Python-level ElementTree handlers (most of a large
    import's time)."""
    source = worksheet._get_source()
    rows = sheet_rows(
        source,
        worksheet._shared_strings,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    try:
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except Exception as error:
                # A sheet's XML is parsed as it is read: malformed or forbidden XML shows
                # up here.
                raise (_forbidden() if _defused(error) else _damaged()) from None
            if not cells:
                continue
            values: list[Any] = [None] * cells[-1][0]
            for column, value in cells:
                if column <= len(values):
                    values[column - 1] = value
            yield number, tuple(values)
    finally:
        source.close()


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
        workbook = _load_workbook(source)
    except Exception as error:
        # openpyxl raises many kinds of errors on a damaged file; none may reach the user.
        raise (_forbidden() if _defused(error) else _damaged()) from None
    try:
        yield [_sheet(workbook, worksheet) for worksheet in workbook.worksheets]
    finally:
        workbook.close()
