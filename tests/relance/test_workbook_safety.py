"""Files the import refuses whole, before parsing, with a message and nothing written."""

import io
import zipfile

import openpyxl.xml
import pytest

from relance.workbook import import_workbook
from tests.relance.workbooks import errors, plan_workbook, rewrite, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_unchanged():
    before = snapshot()
    yield
    assert snapshot() == before


def refused(stream):
    result = import_workbook(stream)
    assert not result.written
    assert not result.sheets
    return errors(result)


def test_a_file_that_is_no_zip(database_unchanged):
    assert refused(io.BytesIO(b"code;naam\nMOW;Mobiliteit\n")) == [
        "Dit is geen Excel-werkboek (.xlsx)."
    ]


def test_a_zip_that_is_no_workbook(database_unchanged):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    assert refused(stream) == ["Dit is geen Excel-werkboek (.xlsx)."]


def test_a_file_over_the_limit_names_the_sizes(settings, database_unchanged):
    settings.RELANCE_WORKBOOK_MAX_BYTES = 3 * 1024 * 1024
    stream = io.BytesIO(b"PK" + bytes(4 * 1024 * 1024))
    assert refused(stream) == ["Het bestand is te groot: 4.0 MB, de grens is 3.0 MB."]


def test_a_zip_bomb_is_refused_by_its_declared_sizes(database_unchanged):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # 50 MB of zeros pack into some 50 kB: a ratio of a thousand.
        archive.writestr("xl/worksheets/sheet1.xml", bytes(50 * 1024 * 1024))
    assert len(stream.getvalue()) < 200 * 1024
    [message] = refused(stream)
    assert message.startswith("Het werkboek zou uitpakken tot 50 MB")
    assert "zip-bom" in message


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(settings, database_unchanged):
    settings.RELANCE_WORKBOOK_MAX_UNPACKED_BYTES = 10_000
    [message] = refused(plan_workbook())
    assert "zip-bom" in message


def test_xml_with_entities_is_refused_by_defusedxml(database_unchanged):
    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses through defusedxml
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    stream = rewrite(
        plan_workbook(),
        "xl/worksheets/sheet1.xml",
        lambda xml: laughs + xml.removeprefix('<?xml version="1.0" encoding="UTF-8"?>'),
    )
    assert refused(stream) == [
        "Het werkboek bevat XML met entiteiten of externe verwijzingen: dat wordt geweigerd."
    ]


def test_a_damaged_sheet_is_refused(database_unchanged):
    stream = rewrite(plan_workbook(), "xl/worksheets/sheet4.xml", lambda xml: xml[:-200])
    assert refused(stream) == ["Het werkboek kan niet gelezen worden: is het beschadigd?"]
