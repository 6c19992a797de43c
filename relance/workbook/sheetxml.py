"""A worksheet's rows straight from its XML, for the import: what openpyxl's read-only
parser gives (``WorkSheetParser.parse`` with ``data_only``), at a third of the cost.

openpyxl parses a sheet through defusedxml's ElementTree, whose parser is ElementTree's
pure-Python one (defusedxml needs its hooks): every element of the sheet goes through
several Python calls and becomes an element object before a row is seen, most of a large
import's reading. Here expat calls three small handlers, and only rows, cells, values and
inline text are looked at. The protections are defusedxml's, on the same expat parser: an
entity declaration or an external reference raises defusedxml's own errors.

Each cell's value is read as openpyxl reads it (with the cached value of a formula):
numbers (dates by their style), shared and inline strings (rich text as its plain text),
booleans, ISO dates, and errors as their text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from warnings import warn
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

CHUNK = 1 << 16
_NS = SHEET_MAIN_NS + "}"
_ROW, _CELL, _VALUE = _NS + "row", _NS + "c", _NS + "v"
_INLINE, _TEXT, _RUN, _PHONETIC = _NS + "is", _NS + "t", _NS + "r", _NS + "rPh"

Row = tuple[int, list[tuple[int, Any]]]  # Excel row number, (column, value) of its cells


def _entity_declared(
    name: str,
    _parameter: bool,
    value: str | None,
    base: str | None,
    sysid: str,
    pubid: str | None,
    notation: str | None,
) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _unparsed_entity_declared(name: str, *args: Any) -> None:
    raise EntitiesForbidden(name, None, *args)


def _external_reference(
    context: str, base: str | None, sysid: str | None, pubid: str | None
) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _Cells:
    """The handlers' state: the row and cell being read, and the rows done."""

    def __init__(
        self,
        shared_strings: list[Any],
        epoch: Any,
        date_formats: set[int],
        timedelta_formats: set[int],
    ) -> None:
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.done: list[Row] = []
        self.row_number = 0
        self.column = 0
        self.cells: list[tuple[int, Any]] = []
        self.cell: dict[str, str] | None = None
        self.text: list[str] | None = None  # collecting a <v> or inline <t>
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = False
        self.columns: dict[str, int] = {}  # a coordinate's letters → its column

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _CELL:
            self.cell, self.value, self.inline = attrs, None, None
        elif name == _VALUE:
            if self.cell is not None:
                self.text = []
        elif name == _ROW:
            self._start_row(attrs)
        elif name == _INLINE:
            if self.cell is not None:
                self.inline = []
        elif name == _TEXT:
            if self.inline is not None and not self.phonetic:
                self.text = []
        elif name == _PHONETIC:
            self.phonetic = True

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, name: str) -> None:
        if name == _CELL:
            self._end_cell()
        elif name == _VALUE:
            if self.text is not None:
                self.value = "".join(self.text)
                self.text = None
        elif name == _TEXT:
            if self.text is not None and self.inline is not None:
                self.inline.append("".join(self.text))
            self.text = None
        elif name == _ROW:
            self.done.append((self.row_number, self.cells))
            self.cells = []
        elif name == _PHONETIC:
            self.phonetic = False

    def _start_row(self, attrs: dict[str, str]) -> None:
        number = attrs.get("r")
        if number is None:
            self.row_number += 1
        else:
            try:
                self.row_number = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_number = int(as_float)
        self.column = 0
        self.cells = []

    def _end_cell(self) -> None:
        attrs, self.cell = self.cell, None
        assert attrs is not None
        coordinate = attrs.get("r")
        if coordinate:
            letters = coordinate.rstrip("0123456789")
            column = self.columns.get(letters)
            if column is None:
                # openpyxl's reading of the coordinate, and its errors.
                column = self.columns[letters] = coordinate_to_tuple(coordinate)[1]
            self.column = column
        else:
            self.column += 1
        data_type = attrs.get("t", "n")
        value: Any = self.value or None
        if data_type == "inlineStr":
            value = None if self.inline is None else "".join(self.inline)
        elif value is not None:
            if data_type == "n":
                value = self._number(value, attrs)
            elif data_type == "s":
                value = self.shared_strings[int(value)]
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "d":
                value = from_ISO8601(value)
            # "str" (a formula's text) and "e" (an error) are their text.
        self.cells.append((self.column, value))

    def _number(self, text: str, attrs: dict[str, str]) -> Any:
        value: Any = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        style = attrs.get("s")
        style_id = int(style) if style else 0
        if style_id in self.date_formats:
            try:
                return from_excel(value, self.epoch, timedelta=style_id in self.timedelta_formats)
            except (OverflowError, ValueError):
                coordinate = attrs.get("r")
                warn(
                    f"Cell {coordinate} is marked as a date but the serial value {value} is "
                    "outside the limits for dates. The cell will be treated as an error.",
                    stacklevel=1,
                )
                return "#VALUE!"
        return value


def sheet_rows(
    source: IO[bytes],
    shared_strings: list[Any],
    *,
    epoch: Any,
    date_formats: set[int],
    timedelta_formats: set[int],
) -> Iterator[Row]:
    """The sheet's rows, in the file's order, as (row number, [(column, value), ...]); the
    XML is read in chunks and the rows come out as they are parsed. Raises defusedxml's
    errors for entities and external references, expat's for malformed XML."""
    cells = _Cells(shared_strings, epoch, date_formats, timedelta_formats)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.EntityDeclHandler = _entity_declared
    parser.UnparsedEntityDeclHandler = _unparsed_entity_declared
    parser.ExternalEntityRefHandler = _external_reference
    parser.StartElementHandler = cells.start
    parser.EndElementHandler = cells.end
    parser.CharacterDataHandler = cells.data
    done = cells.done
    while chunk := source.read(CHUNK):
        parser.Parse(chunk, False)
        if done:
            yield from done
            done.clear()
    parser.Parse(b"", True)
    yield from done
