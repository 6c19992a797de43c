"""The import's own sheet reader (relance/workbook/sheetxml.py) reads every kind of cell as
openpyxl's parser does, and refuses what defusedxml refuses."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from relance.workbook import import_workbook
from relance.workbook.reader import Limits, _load_workbook, _parsed_rows, open_workbook
from tests.relance.workbooks import errors, plan_workbook, rewrite, snapshot

# Every kind of cell Excel and other tools write, in one sheet: shared and inline strings
# (rich text, with a phonetic run that is no part of the text), numbers (an exponent, a
# date by its style), booleans, ISO dates, errors, formulas with and without a cached
# value, empty values, and rows and cells without a coordinate.
SHEET_DATA = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t xml:space="preserve">  plain  </t></is></c></row>'
    '<row r="2" spans="1:9"><c r="A2"><v>42</v></c><c r="B2"><v>1.5E3</v></c>'
    '<c r="C2" s="{date}"><v>45291</v></c><c r="D2" t="b"><v>1</v></c>'
    '<c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><f>A1&amp;B1</f><v>ab</v></c>'
    '<c r="G2"><f>1+1</f></c><c r="H2" t="d"><v>2024-02-29</v></c><c r="I2"><v></v></c></row>'
    '<row r="4"><c r="B4" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t>'
    '</r><rPh sb="0" eb="1"><t>no</t></rPh></is></c>'
    '<c r="D4" t="inlineStr"><is><t/></is></c></row>'
    '<row><c t="inlineStr"><is><t>no coordinate</t></is></c><c><v>7</v></c></row>'
    '<row r="7.0"><c r="AB7"><v>-0.25</v></c></row>'
    '<row r="8"></row>'
)


SHARED_STRINGS = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    'uniqueCount="2"><si><t>a</t></si><si><r><t>b</t></r><r><t>c</t></r></si></sst>'
)


def _workbook_with_every_cell() -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C2"] = dt.date(2024, 1, 1)  # a date style for the hand-written cells
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)

    def change(xml: str) -> str:
        date_style = re.findall(r'<c r="C2" s="(\d+)"', xml)[0]
        data = SHEET_DATA.replace("{date}", date_style)
        return re.sub(r"<sheetData>.*</sheetData>", f"<sheetData>{data}</sheetData>", xml)

    stream = rewrite(stream, "xl/worksheets/sheet1.xml", change)
    stream = rewrite(
        stream,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    with zipfile.ZipFile(stream, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", SHARED_STRINGS)
    stream.seek(0)
    return stream


def _openpyxl_rows(workbook, worksheet):
    parser = WorkSheetParser(
        worksheet._get_source(),
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    rows = []
    for number, cells in parser.parse():
        if cells:
            values = [None] * cells[-1]["column"]
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            rows.append((number, tuple(values)))
    return rows


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    workbook = _load_workbook(_workbook_with_every_cell())
    [worksheet] = workbook.worksheets
    rows = list(_parsed_rows(workbook, worksheet))
    assert rows == _openpyxl_rows(workbook, worksheet)
    by_number = dict(rows)
    assert by_number[1] == ("a", "bc", "  plain  ")
    naive_date_cell = dt.datetime(2023, 12, 31)  # noqa: DTZ001 (cells have no time zone)
    assert by_number[2] == (
        42, 1500.0, naive_date_cell, True, "#N/A", "ab", None, dt.date(2024, 2, 29), None,
    )  # fmt: skip
    assert by_number[4] == (None, "rich text", None, "")
    assert by_number[5] == ("no coordinate", 7)
    assert by_number[7][27] == -0.25
    assert len(by_number[7]) == 28
    assert 8 not in by_number


def test_the_plan_workbook_reads_as_openpyxl_reads_it():
    workbook = _load_workbook(plan_workbook())
    for worksheet in workbook.worksheets:
        assert list(_parsed_rows(workbook, worksheet)) == _openpyxl_rows(workbook, worksheet)


def test_a_sheet_whose_size_is_unstated_is_not_parsed_when_opened():
    """The write-only sheets of openpyxl (the export's) state no size; opening the workbook
    reads none of their XML, so a damaged sheet shows only when it is read."""
    stream = rewrite(
        plan_workbook(),
        "xl/worksheets/sheet4.xml",
        lambda xml: re.sub(r"<dimension [^>]*/>", "", xml)[:-200],
    )
    with open_workbook(stream, Limits(10**8, 10**9)) as sheets:
        assert len(sheets) > 4


@pytest.mark.django_db
def test_an_external_entity_is_refused_and_nothing_is_written():
    before = snapshot()
    external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
    stream = rewrite(
        plan_workbook(),
        "xl/worksheets/sheet4.xml",
        lambda xml: external + xml.removeprefix('<?xml version="1.0" encoding="UTF-8"?>'),
    )
    result = import_workbook(stream)
    assert not result.written
    assert errors(result) == [
        "Het werkboek bevat XML met entiteiten of externe verwijzingen: dat wordt geweigerd."
    ]
    assert snapshot() == before
