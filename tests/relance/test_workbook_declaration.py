"""The plan workbook's format is declared once (relance/workbook/sheets): the import, the
export, the preview, open data and the admin's export all read that declaration, so a
column declared there is carried everywhere."""

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from projects.models import Project
from relance.workbook import export_workbook, import_workbook, parsing, sheets
from relance.workbook.schema import VERSION, Column, Public, Sheet
from relance.workbook.tables import TABLES
from tests.factories import ProjectFactory
from tests.relance.open_data_plan import make_plan
from tests.relance.workbooks import HEADERS

pytestmark = pytest.mark.django_db

# A field of the model that the workbook does not carry (yet).
DEMO = Column(
    "demogegeven",
    parsing.yes_no,
    "is_demo",
    empty=False,
    since=VERSION + 1,
    public=Public("Demogegeven.", "Demo data."),
)


@pytest.fixture
def demo_column(monkeypatch):
    """The projects sheet with one more column, as one line in its declaration would add
    it; the declaration is as it was after the test."""
    monkeypatch.setattr(sheets.PROJECTS, "columns", (*sheets.PROJECTS.columns, DEMO))
    yield DEMO
    monkeypatch.undo()
    assert "demogegeven" not in sheets.PROJECTS.names


def exported() -> io.BytesIO:
    stream = io.BytesIO()
    export_workbook(stream)
    stream.seek(0)
    return stream


def marked_as_demo(stream: io.BytesIO, code: str) -> io.BytesIO:
    """The workbook with ``code``'s demogegeven cell set to ja."""
    workbook = load_workbook(stream)
    sheet = workbook["projecten"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            row[header.index("demogegeven")].value = "ja"
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_the_declaration_is_the_documented_format():
    assert {sheet.name: list(sheet.names) for sheet in sheets.SHEETS} == HEADERS
    assert [table.sheet for table in TABLES] == list(sheets.SHEETS)


def test_every_path_reads_and_every_written_field_is_the_models():
    for sheet in sheets.SHEETS:
        list(sheet.rows().values_list(*sheet.paths))  # each path resolves
        concrete = {f.attname for f in sheet.model._meta.concrete_fields}
        written = [c.field for c in sheet.columns if c.field is not None]
        written += [ref.field for ref in sheet.refs if ref.field is not None]
        assert set(written) <= concrete, sheet.name


def test_a_column_added_after_the_first_version_is_optional():
    newer = [c for sheet in sheets.SHEETS for c in sheet.columns if c.since > 1]
    assert newer
    assert not any(column.required for column in newer)
    with pytest.raises(ValueError, match="optional"):
        Column("nieuw", parsing.text, "title", required=True, since=2)


def test_a_sheet_refuses_a_key_or_reference_to_an_undeclared_column():
    with pytest.raises(ValueError, match="unknown"):
        Sheet("x", Project, key=("code",), columns=(Column("titel", parsing.text, "title"),))


def test_the_export_writes_a_declared_column(demo_column):
    ProjectFactory(code="VV001", is_demo=True)
    ProjectFactory(code="VV002", is_demo=False)

    rows = list(load_workbook(exported())["projecten"].iter_rows(values_only=True))

    assert rows[0][-1] == "demogegeven"
    assert [(row[0], row[-1]) for row in rows[1:]] == [("VV001", True), ("VV002", False)]


def test_the_import_reads_a_declared_column_into_its_field(demo_column):
    ProjectFactory(code="VV001", is_demo=False)

    result = import_workbook(marked_as_demo(exported(), "VV001"))

    assert result.ok, result.errors
    assert result.sheet("projecten").updated == 1
    assert Project.objects.get(code="VV001").is_demo is True


def test_a_new_record_gets_a_declared_columns_value(demo_column):
    ProjectFactory(code="VV001", is_demo=True)
    stream = exported()
    Project.objects.all().delete()

    assert import_workbook(stream).ok
    assert Project.objects.get(code="VV001").is_demo is True


def test_the_preview_shows_a_declared_columns_change(client, admin_user, demo_column):
    ProjectFactory(code="VV001", is_demo=False)
    stream = marked_as_demo(exported(), "VV001")
    client.force_login(admin_user)

    uploaded = client.post("/imports/", {"file": SimpleUploadedFile("plan.xlsx", stream.read())})
    html = client.get(uploaded["Location"]).content.decode()

    cells = re.search(r"<td>demogegeven</td>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert cells is not None
    assert cells.groups() == ("nee", "ja")
    assert Project.objects.get(code="VV001").is_demo is False  # a preview writes nothing


def test_open_data_publishes_a_declared_public_column(client, demo_column):
    make_plan(size=2)
    Project.objects.filter(code="VV002").update(is_demo=True)

    response = client.get("/open-data/2023-12.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        projects = list(csv.reader(io.StringIO(zipped.read("projecten.csv").decode())))
        dictionary = list(csv.reader(io.StringIO(zipped.read("woordenboek.csv").decode())))

    assert projects[0][-1] == "demogegeven"
    assert [row[-1] for row in projects[1:]] == ["nee", "ja"]
    assert ["projecten.csv", "demogegeven", "ja of nee / ja (yes) or nee (no)", "Demogegeven.",
            "Demo data."] in dictionary  # fmt: skip


def test_the_admins_export_writes_a_declared_column(client, admin_user, demo_column):
    project = ProjectFactory(code="VV001", is_demo=True)
    client.force_login(admin_user)

    response = client.post(
        "/admin/projects/project/",
        {"action": "export_as_workbook", "_selected_action": [str(project.pk)]},
    )

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["projecten"].iter_rows(values_only=True))
    assert (rows[0][-1], rows[1][-1]) == ("demogegeven", True)
