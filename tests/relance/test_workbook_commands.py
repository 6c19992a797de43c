"""manage.py import_workbook and export_workbook, as interfaces.md promises them."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from projects.models import Project
from tests.relance.workbooks import plan_rows, plan_workbook, snapshot, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook_file(tmp_path):
    def write(stream: io.BytesIO, name: str = "plan.xlsx"):
        path = tmp_path / name
        path.write_bytes(stream.getvalue())
        return str(path)

    return write


def test_import_prints_the_counts_per_sheet(workbook_file, capsys):
    call_command("import_workbook", workbook_file(plan_workbook()))

    out = capsys.readouterr().out.splitlines()
    assert "projecten: 2 nieuw, 0 gewijzigd, 0 ongewijzigd" in out
    assert "mijlpaalstatus: 2 nieuw, 0 gewijzigd, 0 ongewijzigd" in out
    assert out[-1] == "Meetmoment 2023-12 geopend."
    assert len(out) == 11
    assert Project.objects.count() == 2


def test_a_second_import_reports_nothing_new_or_changed(workbook_file, capsys):
    path = workbook_file(plan_workbook())
    call_command("import_workbook", path)
    capsys.readouterr()

    call_command("import_workbook", path)

    out = capsys.readouterr().out
    assert "projecten: 0 nieuw, 0 gewijzigd, 2 ongewijzigd" in out
    assert " 0 nieuw, 0 gewijzigd" in out
    assert "1 nieuw" not in out
    assert "gewijzigd, 0 ongewijzigd" not in out


def test_a_dry_run_writes_nothing(workbook_file, capsys):
    call_command("import_workbook", workbook_file(plan_workbook()), "--dry-run")

    out = capsys.readouterr().out
    assert out.startswith("Proefimport: er is niets geschreven.")
    assert "projecten: 2 nieuw" in out
    assert snapshot() == {name: [] for name in snapshot()}


def test_errors_exit_1_one_line_each_and_nothing_written(workbook_file, capsys):
    rows = plan_rows()
    rows["projecten"][0][5] = -3
    rows["rapportering"][1][2] = "paars"

    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", workbook_file(xlsx(rows)))

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "projecten!2: budget_eur: negatief bedrag: -3",
        "rapportering!3: status: geen projectstatus: paars",
    ]
    assert captured.out == ""
    assert snapshot() == {name: [] for name in snapshot()}


def test_a_file_that_is_no_workbook_exits_1(tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text("code;naam\n")

    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path))

    assert exit_.value.code == 1
    assert capsys.readouterr().err.strip() == "Dit is geen Excel-werkboek (.xlsx)."


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Kan .* niet openen"):
        call_command("import_workbook", str(tmp_path / "weg.xlsx"))


def test_export_writes_the_workbook(tmp_path, workbook_file):
    call_command("import_workbook", workbook_file(plan_workbook()), stdout=io.StringIO())
    target = tmp_path / "uit.xlsx"

    call_command("export_workbook", str(target), "--round", "2023-12", stdout=io.StringIO())

    workbook = load_workbook(target, read_only=True)
    assert [row[0] for row in workbook["projecten"].iter_rows(min_row=2, values_only=True)] == [
        "VV014",
        "VV127",
    ]


def test_export_refuses_an_unknown_round_and_leaves_no_file(tmp_path):
    target = tmp_path / "uit.xlsx"

    with pytest.raises(CommandError, match="Onbekend meetmoment: 2001-12"):
        call_command("export_workbook", str(target), "--round", "2001-12")

    assert not target.exists()
