"""The plan workbook's export: the documented sheets, formula-safe text, and the round trip
(export → import into an empty database → export again: the same workbook, cell by cell)."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from projects.models import Project, ReportingRound
from relance.summary import round_summary
from relance.workbook import csv_safe, export_workbook, import_workbook
from relance.workbook.sheets import ABOUT_SHEET
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    FinanceReportFactory,
    IndicatorValueFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.workbooks import HEADERS, cells, errors, plan_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_workbook(django_db_setup, django_db_blocker):
    """The demo plan's workbook, exported once; the database is emptied again after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--today", "2026-11-22", stdout=io.StringIO())
        stream = io.BytesIO()
        export_workbook(stream)
        transaction.set_rollback(True)
    return stream.getvalue()


def export() -> bytes:
    stream = io.BytesIO()
    export_workbook(stream)
    return stream.getvalue()


def test_the_sheets_and_columns_are_the_documented_ones_in_order():
    workbook = load_workbook(io.BytesIO(export()), read_only=True)
    assert workbook.sheetnames == [ABOUT_SHEET, *HEADERS]
    for name, header in HEADERS.items():
        assert list(next(workbook[name].iter_rows(values_only=True))) == header


def test_the_demo_plan_goes_round_trip_cell_for_cell(demo_workbook):
    result = import_workbook(io.BytesIO(demo_workbook))

    assert result.ok, errors(result)
    assert result.sheet("projecten").created == 181
    assert result.sheet("mijlpalen").created == 1753
    assert result.closed_rounds == [
        "2021-03", "2021-09", "2021-12", "2022-06", "2022-12", "2023-12", "2024-12",
    ]  # fmt: skip
    assert result.opened_rounds == ["2026-12"]
    assert cells(export()) == cells(demo_workbook)


def test_the_reimported_demo_gives_the_published_december_2023_figures(demo_workbook):
    assert import_workbook(io.BytesIO(demo_workbook)).ok

    summary = round_summary("2023-12").as_json()

    assert summary["projects"] == {
        "total": 181, "not_started": 0, "started": 0, "in_progress": 141, "realised": 33,
        "attention": 4, "action_required": 0, "stopped": 3,
        # The 13 projects realised in December 2022, carried forward unchanged.
        "carried_forward": 13,
    }  # fmt: skip
    assert summary["milestones"]["total"] == 1753
    assert summary["milestones"]["on_schedule_or_realised"] == 1483
    assert summary["milestones"]["on_schedule_or_realised_pct"] == 84.6
    assert summary["finance"]["committed_eur"] == "4168000000.00"
    assert summary["finance"]["paid_eur"] == "2162000000.00"
    assert summary["finance"]["paid_change_eur"] == "853000000.00"


def test_a_second_import_of_the_demo_changes_nothing(demo_workbook):
    assert import_workbook(io.BytesIO(demo_workbook)).ok

    again = import_workbook(io.BytesIO(demo_workbook))

    assert again.ok, errors(again)
    assert (again.created, again.updated) == (0, 0)


RISKY = ['=HYPERLINK("http://evil.example","klik")', "+32 2 553 00 00", "-5 %", "@SUM(A1)", "#N/A"]


def test_text_that_looks_like_a_formula_is_written_as_text():
    cluster = ClusterFactory(name=RISKY[3])
    project = ProjectFactory(code="VV001", title=RISKY[0], entity=RISKY[1], cluster=cluster)
    fiche = FicheFactory(project=project, narrative=RISKY[2])
    FinanceReportFactory(fiche=fiche)
    IndicatorValueFactory(round=fiche.round, indicator__project=project, note=RISKY[4])

    data = export()

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)
    workbook = load_workbook(io.BytesIO(data))  # not data_only: a formula would show as one
    written = {
        cell.value: cell.data_type
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.value in RISKY
    }
    assert written == dict.fromkeys(RISKY, "s")
    assert workbook["projecten"]["B2"].quotePrefix
    # And they come back as they went out.
    Project.objects.update(title="x")
    assert import_workbook(io.BytesIO(data)).ok
    assert Project.objects.get().title == RISKY[0]


def test_csv_exports_prefix_formula_text_with_an_apostrophe():
    assert [csv_safe(text) for text in RISKY] == [
        '\'=HYPERLINK("http://evil.example","klik")',
        "'+32 2 553 00 00",
        "'-5 %",
        "'@SUM(A1)",
        "#N/A",
    ]
    assert csv_safe("\tx") == "'\tx"
    assert csv_safe("Fietspaden") == "Fietspaden"


def test_amounts_and_dates_keep_their_type_and_their_cents():
    assert import_workbook(plan_workbook()).ok
    workbook = load_workbook(io.BytesIO(export()))
    projects = {row[0].value: row for row in workbook["projecten"].iter_rows(min_row=2)}
    budget, start = projects["VV127"][5], projects["VV014"][8]
    assert (budget.value, budget.data_type) == (50000000.5, "n")
    assert start.value.date() == dt.date(2021, 1, 1)
    reporting = next(workbook["rapportering"].iter_rows(min_row=2, values_only=True))
    assert reporting[3] == 1234567.89


def test_one_rounds_export_holds_that_rounds_rows_and_the_whole_plan():
    project = ProjectFactory(code="VV001")
    ProjectFactory(code="VV002")
    old = ReportingRoundFactory(code="2022-12", reference_date=dt.date(2022, 12, 31))
    new = ReportingRoundFactory(code="2023-12", reference_date=dt.date(2023, 12, 31))
    FicheFactory(round=old, project=project)
    FicheFactory(round=new, project=project, narrative="Alleen dit")

    stream = io.BytesIO()
    export_workbook(stream, round_code="2023-12")

    workbook = load_workbook(stream, read_only=True)
    assert [r[0] for r in workbook["meetmomenten"].iter_rows(min_row=2, values_only=True)] == [
        "2023-12"
    ]
    assert [r[5] for r in workbook["rapportering"].iter_rows(min_row=2, values_only=True)] == [
        "Alleen dit"
    ]
    assert len(list(workbook["projecten"].iter_rows(min_row=2))) == 2


def test_an_unknown_round_is_refused():
    with pytest.raises(ReportingRound.DoesNotExist):
        export_workbook(io.BytesIO(), round_code="1999-12")


def test_indicator_values_beyond_a_floats_precision_are_written_as_exact_text():
    # (SQLite holds such a value as a float; PostgreSQL keeps every digit, so the export must.)
    from openpyxl import Workbook

    from relance.workbook.exporter import _cell

    sheet = Workbook(write_only=True).create_sheet()
    assert _cell(sheet, Decimal("1234567890123.12345678")) == "1234567890123.12345678"
    assert _cell(sheet, Decimal("120.50000000")) == Decimal("120.5")
    assert _cell(sheet, Decimal("300.00000000")) == Decimal("300")
    assert _cell(sheet, Decimal("4168000000.00")) == Decimal("4168000000.00")


def test_the_workbook_is_made_for_people_and_still_imports():
    """Read back by openpyxl: the first sheet says what the file holds; every sheet has a
    bold, frozen header, an autofilter over its rows, widths, amounts in euro and dates as
    dates, and drop-downs of the accepted words in the vocabulary columns."""
    assert import_workbook(plan_workbook()).ok
    data = export()
    workbook = load_workbook(io.BytesIO(data))

    about = [row for row in workbook[ABOUT_SHEET].iter_rows(values_only=True) if any(row)]
    assert about[1][0] == "Inhoud"
    assert about[1][2] == "het hele plan: elk meetmoment"
    counted = {row[0]: row[1] for row in about if row[0] in HEADERS}
    assert counted["projecten"] == Project.objects.count()
    assert counted["meetmomenten"] == ReportingRound.objects.count()
    assert set(counted) == set(HEADERS)

    projects = workbook["projecten"]
    assert projects.freeze_panes == "A2"
    assert projects["A1"].font.bold
    assert (
        projects.auto_filter.ref
        == f"A1:{projects.cell(1, projects.max_column).column_letter}{Project.objects.count() + 1}"
    )
    assert projects.column_dimensions["B"].width == 40  # titel: text
    budget = next(
        c for c in projects[2] if c.column == HEADERS["projecten"].index("budget_eur") + 1
    )
    assert budget.number_format == "#,##0.00"
    start = projects.cell(2, HEADERS["projecten"].index("startdatum") + 1)
    assert start.is_date

    def dropdowns(sheet_name: str) -> dict[str, list[str]]:
        sheet = workbook[sheet_name]
        lists = {}
        for validation in sheet.data_validations.dataValidation:
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            header = sheet[f"{column}1"].value
            lists[header] = validation.formula1.strip('"').split(",")
            assert validation.errorStyle == "warning"
        return lists

    assert dropdowns("mijlpaalstatus")["status"] == [
        "gerealiseerd",
        "op schema",
        "vertraagd",
        "toekomstig",
        "geschrapt",
    ]
    assert dropdowns("rapportering") == {
        "status": [
            "niet gestart",
            "opgestart",
            "in uitvoering",
            "gerealiseerd",
            "aandacht",
            "actie nodig",
            "stopgezet",
        ],
        "markering": ["oranje", "rood"],
    }
    assert dropdowns("projecten")["rrf"] == ["ja", "nee"]
    # What goes out comes back: the first sheet is passed over, nothing changes.
    again = import_workbook(io.BytesIO(data))
    assert again.ok
    assert (again.created, again.updated) == (0, 0)


def test_one_rounds_workbook_says_which_round_it_holds():
    FicheFactory(round=ReportingRoundFactory(code="2023-12", name="December 2023"))
    stream = io.BytesIO()
    export_workbook(stream, round_code="2023-12")
    about = load_workbook(stream)[ABOUT_SHEET]
    assert (
        about["C2"].value
        == "het plan en de rapportering van het meetmoment 2023-12 (December 2023)"
    )
    assert [row[1] for row in about.iter_rows(values_only=True) if row[0] == "rapportering"] == [1]
