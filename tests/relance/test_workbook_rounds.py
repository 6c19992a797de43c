"""The workbook carries every round as a whole record: budgets, the envelope, flags, the
delay of milestones, indicator definitions per round, leaving the plan and the transition
coefficients; an export imported into an empty database gives every round back."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    FlagLevel,
    Indicator,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.rounds import RoundState
from relance.models import WorkbookUpload
from relance.summary import round_summary
from relance.workbook import export_workbook, import_workbook
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)
from tests.relance.workbooks import HEADERS, cells, errors, plan_rows, snapshot, xlsx

pytestmark = pytest.mark.django_db

S = ProjectStatus


def export(round_code: str | None = None) -> bytes:
    stream = io.BytesIO()
    export_workbook(stream, round_code=round_code)
    return stream.getvalue()


def summaries() -> dict[str, Any]:
    return {code: round_summary(code).as_json() for code in _round_codes()}


def _round_codes() -> list[str]:
    return list(ReportingRound.objects.order_by("reference_date").values_list("code", flat=True))


def records() -> dict[str, set[tuple[Any, ...]]]:
    """What a round holds, by natural keys: what must survive the round trip."""
    return {
        "rounds": set(
            ReportingRound.objects.values_list(
                "code", "name", "reference_date", "deadline", "state", "envelope_eur"
            )
        ),
        "projects": set(
            Project.objects.values_list(
                "code",
                "budget_eur",
                "climate_coefficient",
                "digital_coefficient",
                "left_plan_from__code",
                "left_plan_reason",
            )
        ),
        "fiches": set(
            Fiche.objects.values_list(
                "round__code",
                "project__code",
                "status",
                "owner_status",
                "narrative",
                "finance__budget_eur",
                "finance__committed_eur",
                "finance__paid_eur",
            )
        ),
        "milestones": set(
            MilestoneStatus.objects.values_list(
                "round__code",
                "milestone__project__code",
                "milestone__number",
                "status",
                "realised_on",
                "forecast_date",
                "delay_reason",
                "postponements",
                "note",
            )
        ),
        "flags": set(
            StatusFlag.objects.filter(lifted_at__isnull=True).values_list(
                "fiche__round__code", "fiche__project__code", "level", "motivation"
            )
        ),
        "definitions": set(
            IndicatorDefinition.objects.values_list(
                "round__code",
                "indicator__project__code",
                "indicator__code",
                "name",
                "kind",
                "unit",
                "baseline",
                "target",
                "target_date",
                "rrf_reference",
            )
        ),
        "values": set(
            IndicatorValue.objects.values_list(
                "round__code", "indicator__project__code", "indicator__code", "value", "note"
            )
        ),
    }


def _flag(fiche: Fiche, level: FlagLevel, motivation: str, **extra: Any) -> StatusFlag:
    fiche.status = level
    fiche.save(update_fields=["status"])
    return StatusFlag.objects.create(fiche=fiche, level=level, motivation=motivation, **extra)


def _fiche(reporting_round, project, status=S.IN_PROGRESS, **money: Any) -> Fiche:
    fiche = FicheFactory(round=reporting_round, project=project, status=status, owner_status=status)
    FinanceReportFactory(fiche=fiche, **money)
    return fiche


def build_plan() -> None:
    """Two closed rounds, an open one and a draft, with every kind of round record."""
    fietspad = ProjectFactory(
        code="VV001", budget_eur=Decimal("100.00"), climate_coefficient=100, digital_coefficient=40
    )
    digibank = ProjectFactory(code="VV002", budget_eur=Decimal("50.00"), digital_coefficient=100)
    regulier = ProjectFactory(code="VV003", budget_eur=Decimal("30.00"))
    gunning = MilestoneFactory(project=fietspad, number=1, deadline=dt.date(2022, 6, 30))
    indicator = Indicator.objects.create(project=fietspad, code="OUT1")

    first, second, current, coming = (
        ReportingRoundFactory(reference_date=dt.date(year, 12, 31)) for year in range(2022, 2026)
    )
    first.envelope_eur = Decimal("200.00")
    first.save(update_fields=["envelope_eur"])
    for reporting_round, name, target in ((first, "Km fietspad (oud)", 200), (second, "Km", 300)):
        IndicatorDefinition.objects.create(
            indicator=indicator,
            round=reporting_round,
            name=name,
            kind=IndicatorKind.OUTPUT,
            unit="km",
            target=Decimal(target),
        )
        IndicatorValue.objects.create(round=reporting_round, indicator=indicator, value=Decimal(7))

    fiche = _fiche(first, fietspad, committed_eur=Decimal(10), budget_eur=Decimal("90.00"))
    _fiche(first, digibank, budget_eur=Decimal("50.00"))
    _fiche(first, regulier, status=S.STARTED, budget_eur=Decimal("30.00"))
    lifted = _flag(fiche, FlagLevel.ATTENTION, "Eerst oranje")
    lifted.lifted_at, lifted.lift_reason = dt.datetime(2022, 12, 1, tzinfo=dt.UTC), "Opgelost"
    lifted.save()
    fiche.status = fiche.owner_status
    fiche.save()
    MilestoneStatusFactory(
        round=first,
        milestone=gunning,
        status=MilestoneState.DELAYED,
        forecast_date=dt.date(2023, 3, 31),
        delay_reason="Bezwaarprocedure",
        postponements=1,
    )
    first.close(by=None)

    _fiche(second, fietspad, budget_eur=Decimal("90.00"))
    flagged = _fiche(second, digibank, budget_eur=Decimal("50.00"), paid_eur=Decimal(5))
    _flag(flagged, FlagLevel.ACTION_REQUIRED, "Geen aannemer gevonden")
    _fiche(second, regulier, budget_eur=Decimal("30.00"))
    MilestoneStatusFactory(
        round=second,
        milestone=gunning,
        status=MilestoneState.DELAYED,
        forecast_date=dt.date(2024, 3, 31),
        delay_reason="Nieuwe aanbesteding",
        postponements=2,
        note="Tweede keer",
    )
    second.close(by=None)
    # The budget moved after the rounds closed: they keep theirs.
    Project.objects.filter(pk=fietspad.pk).update(budget_eur=Decimal("150.00"))

    current.state = RoundState.OPEN
    current.envelope_eur = Decimal("230.00")
    current.save(update_fields=["state", "envelope_eur"])
    _fiche(current, fietspad)
    _flag(_fiche(current, digibank), FlagLevel.ATTENTION, "Aannemer gevonden, nog traag")
    _fiche(current, regulier, status=S.REALISED)
    IndicatorDefinition.objects.create(
        indicator=indicator, round=current, name="Km fietspad", kind=IndicatorKind.OUTCOME
    )
    regulier.left_plan_from, regulier.left_plan_reason = coming, "Naar reguliere middelen"
    regulier.save()


def _round_trip(build) -> tuple[dict, dict, dict, dict, Any]:
    with transaction.atomic():
        build()
        summaries_before, records_before = summaries(), records()
        data = export()
        transaction.set_rollback(True)
    assert not ReportingRound.objects.exists()
    result = import_workbook(io.BytesIO(data))
    assert result.ok, errors(result)
    return summaries_before, summaries(), records_before, records(), data


def test_a_plan_with_every_round_record_goes_round_trip():
    summaries_before, summaries_after, before, after, data = _round_trip(build_plan)

    assert list(summaries_after) == ["2022-12", "2023-12", "2024-12", "2025-12"]
    assert summaries_after == summaries_before
    assert after == before
    # Not vacuous: each kind of record is there to lose.
    narrative = "Het project loopt volgens schema."
    money = (Decimal("90.00"), Decimal("10.00"), Decimal("100000.00"))
    assert ("2022-12", "VV001", "in_progress", "in_progress", narrative, *money) in after["fiches"]
    assert ("2023-12", "VV002", "action_required", "Geen aannemer gevonden") in after["flags"]
    assert ("2024-12", "VV002", "attention", "Aannemer gevonden, nog traag") in after["flags"]
    assert ("VV003", Decimal("30.00"), 0, 0, "2025-12", "Naar reguliere middelen") in after[
        "projects"
    ]
    assert ("VV001", Decimal("150.00"), 100, 40, None, "") in after["projects"]
    assert {row[0]: row[5] for row in after["rounds"]}["2022-12"] == Decimal("200.00")
    assert {(row[0], row[3]) for row in after["definitions"]} == {
        ("2022-12", "Km fietspad (oud)"),
        ("2023-12", "Km"),
        ("2024-12", "Km fietspad"),
    }
    assert {row[0]: row[5:8] for row in after["milestones"]} == {
        "2022-12": (dt.date(2023, 3, 31), "Bezwaarprocedure", 1),
        "2023-12": (dt.date(2024, 3, 31), "Nieuwe aanbesteding", 2),
    }
    assert ReportingRound.objects.get(code="2022-12").is_closed
    assert ReportingRound.objects.get(code="2024-12").is_open
    # Exported again, it is the same workbook, cell for cell.
    assert cells(export()) == cells(data)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo plan: its figures, its records and its workbook; emptied again after."""
    from relance.demo.load import load_demo_plan

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_plan(today=dt.date(2026, 11, 22))
        state = summaries(), records(), export()
        transaction.set_rollback(True)
    return state


def test_every_round_of_the_demo_survives_export_and_import_into_an_empty_database(demo):
    summaries_before, before, data = demo
    assert not ReportingRound.objects.exists()

    result = import_workbook(io.BytesIO(data))

    assert result.ok, errors(result)
    assert summaries() == summaries_before
    after = records()
    for name in ("rounds", "projects", "fiches", "milestones", "definitions", "values"):
        assert after[name] == before[name], name
    # A flag of the demo that had no record of its own is one now; none is lost.
    assert before["flags"] <= after["flags"]
    assert len(summaries_before) == ReportingRound.objects.count() >= 2


# -- flags ------------------------------------------------------------------------------


@pytest.fixture
def red(open_round):
    """VV001 in the open round: its owner reported it started, the coordinators flagged it
    red."""
    project = ProjectFactory(code="VV001")
    fiche = _fiche(open_round, project, status=S.STARTED)
    _flag(fiche, FlagLevel.ACTION_REQUIRED, "Geen aannemer", raised_by=UserFactory())
    return fiche


def _reporting(fiche: Fiche, status: str, *more: Any, headers: list[str] | None = None):
    header = headers or HEADERS["rapportering"][:6]
    row = [fiche.round.code, fiche.project.code, status, None, None, None, *more]
    return xlsx({"rapportering": [header, row]}, headers=False)


def test_an_import_leaves_a_raised_flag_raised(red):
    result = import_workbook(_reporting(red, "in uitvoering"), filename="plan.xlsx")

    assert result.ok, errors(result)
    red.refresh_from_db()
    assert red.status == S.ACTION_REQUIRED
    assert red.owner_status == S.IN_PROGRESS
    flag = red.flags.get()
    assert flag.is_raised
    assert flag.level == FlagLevel.ACTION_REQUIRED
    assert not ReviewEvent.objects.exists()


def test_a_flag_word_in_the_status_is_the_flag_and_keeps_the_owners_status(red):
    result = import_workbook(_reporting(red, "oranje"), filename="oud.xlsx")

    assert result.ok, errors(result)
    red.refresh_from_db()
    assert (red.status, red.owner_status) == (S.ATTENTION, S.STARTED)
    raised = red.flags.get(lifted_at__isnull=True)
    assert raised.level == FlagLevel.ATTENTION
    lifted = red.flags.get(lifted_at__isnull=False)
    assert "oud.xlsx" in lifted.lift_reason
    assert ReviewEvent.objects.get().action == ReviewAction.IMPORTED


def test_an_empty_markering_cell_lifts_the_flag_and_logs_the_import(red, admin_user):
    header = [*HEADERS["rapportering"][:6], "markering", "motivatie"]

    result = import_workbook(
        _reporting(red, "in uitvoering", None, None, headers=header),
        user=admin_user,
        filename="maart.xlsx",
    )

    assert result.ok, errors(result)
    red.refresh_from_db()
    assert (red.status, red.owner_status) == (S.IN_PROGRESS, S.IN_PROGRESS)
    flag = red.flags.get()
    assert not flag.is_raised
    assert flag.lifted_by == admin_user
    assert "maart.xlsx" in flag.lift_reason
    event = ReviewEvent.objects.get(fiche=red)
    assert (event.action, event.by) == (ReviewAction.IMPORTED, admin_user)
    assert "maart.xlsx" in event.comment
    assert red.version == 2  # an open form of the fiche is stale


def test_a_markering_raises_a_flag_once(open_round, admin_user):
    fiche = _fiche(open_round, ProjectFactory(code="VV001"))
    header = [*HEADERS["rapportering"][:6], "markering", "motivatie"]
    workbook = _reporting(fiche, "in uitvoering", "Rood", "Vergunning geweigerd", headers=header)

    assert import_workbook(workbook, user=admin_user, filename="x.xlsx").ok
    again = import_workbook(workbook, user=admin_user, filename="x.xlsx")

    assert (again.created, again.updated) == (0, 0)
    fiche.refresh_from_db()
    assert fiche.status == S.ACTION_REQUIRED
    flag = fiche.flags.get()
    assert (flag.level, flag.motivation, flag.raised_by) == (
        FlagLevel.ACTION_REQUIRED,
        "Vergunning geweigerd",
        admin_user,
    )
    assert ReviewEvent.objects.filter(action=ReviewAction.IMPORTED).count() == 1


def test_a_round_the_file_creates_closed_takes_its_flags_and_budgets_before_closing():
    rows = plan_rows()
    rows["meetmomenten"][0][4] = "gesloten"
    rows["meetmomenten"][0].append(4000)
    rows["rapportering"][0] += [140000000, "rood", "Loopt vast"]

    result = import_workbook(xlsx(rows))

    assert result.ok, errors(result)
    reporting_round = ReportingRound.objects.get()
    assert reporting_round.is_closed
    assert reporting_round.envelope_eur == Decimal(4000)
    fiches = {f.project.code: f for f in Fiche.objects.select_related("project")}
    assert fiches["VV014"].status == S.ACTION_REQUIRED
    assert fiches["VV014"].flags.get().motivation == "Loopt vast"
    assert fiches["VV127"].status == S.ATTENTION  # "ORANJE" in the status, as older files
    assert dict(FinanceReport.objects.values_list("fiche__project__code", "budget_eur")) == {
        "VV014": Decimal("140000000.00"),  # the file's
        "VV127": Decimal("50000000.50"),  # the project's
    }


# -- closed rounds ----------------------------------------------------------------------


def _closed_plan() -> dict[str, list[list[Any]]]:
    rows = plan_rows()
    rows["meetmomenten"][0][4] = "gesloten"
    rows["meetmomenten"][0].append(4000)
    rows["rapportering"][0] += [140000000, "rood", "Loopt vast"]
    rows["mijlpaalstatus"][1] = ["2023-12", "VV014", 2, "vertraagd", None, None,
                                 dt.date(2025, 12, 31), "Bezwaar", 1]  # fmt: skip
    rows["indicatoren"][0][0] = "2023-12"
    rows["projecten"].append(["VV200", "Weg", 2, "MOW", None, 1, "nee", None, None, None])
    return rows


CLOSED_CHANGES = [
    ("meetmomenten", 0, {5: 5000}, "meetmomenten!2: code"),
    ("rapportering", 0, {6: 1}, "rapportering!2: meetmoment"),
    ("rapportering", 0, {7: "oranje"}, "rapportering!2: meetmoment"),
    ("rapportering", 0, {7: None, 8: None}, "rapportering!2: meetmoment"),
    ("rapportering", 0, {8: "Anders"}, "rapportering!2: meetmoment"),
    ("rapportering", 1, {2: "rood"}, "rapportering!3: meetmoment"),
    ("mijlpaalstatus", 1, {6: dt.date(2026, 1, 31)}, "mijlpaalstatus!3: meetmoment"),
    ("mijlpaalstatus", 1, {7: "Andere reden"}, "mijlpaalstatus!3: meetmoment"),
    ("mijlpaalstatus", 1, {8: 2}, "mijlpaalstatus!3: meetmoment"),
    ("indicatoren", 0, {3: "Andere naam"}, "indicatoren!2: meetmoment"),
]


@pytest.mark.parametrize(("sheet", "row", "changes", "where"), CLOSED_CHANGES)
def test_closed_rounds_refuse_changes_to_every_new_column(sheet, row, changes, where):
    rows = _closed_plan()
    assert import_workbook(xlsx(rows)).ok
    before = snapshot()
    line = rows[sheet][row]
    line += [None] * (len(HEADERS[sheet]) - len(line))
    for column, value in changes.items():
        line[column] = value

    result = import_workbook(xlsx(rows))

    assert errors(result) == [
        f"{where}: meetmoment 2023-12 is gesloten: zijn gegevens wijzigen niet meer"
    ]
    assert snapshot() == before


def test_a_closed_round_refuses_a_project_leaving_the_plan_from_it():
    rows = _closed_plan()
    assert import_workbook(xlsx(rows)).ok
    before = snapshot()
    rows["projecten"][2] += [0, 0, "2023-12", "Regulier"]

    result = import_workbook(xlsx(rows))

    assert errors(result) == [
        "projecten!4: buiten_plan_vanaf: meetmoment 2023-12 is gesloten: zijn gegevens "
        "wijzigen niet meer"
    ]
    assert snapshot() == before


# -- bad values -------------------------------------------------------------------------

BAD = [
    ("projecten", 0, [50], "projecten!2: klimaatcoefficient: geen coëfficiënt (0, 40 of 100): 50"),
    ("projecten", 0, [0, "veel"],
     "projecten!2: digitaalcoefficient: geen coëfficiënt (0, 40 of 100): veel"),
    ("projecten", 0, [0, 0, "2030-12", "Regulier"],
     "projecten!2: buiten_plan_vanaf: onbekend meetmoment: 2030-12"),
    ("projecten", 0, [0, 0, "2023-12"],
     ["projecten!2: reden_buiten_plan: verplicht voor een project dat het plan verlaat",
      "rapportering!2: project: VV014 is buiten het plan vanaf 2023-12: geen rapportering meer"]),
    ("rapportering", 0, [None, "rood"], "rapportering!2: motivatie: verplicht bij een markering"),
    ("rapportering", 0, [None, "paars", "x"], "rapportering!2: markering: geen markering "
     "(oranje of rood): paars"),
    ("rapportering", 0, [None, None, "Waarom"],
     "rapportering!2: motivatie: alleen bij een markering"),
    ("rapportering", 1, [None, "rood", "x"],
     "rapportering!3: markering: de status zegt oranje, de markering rood"),
    ("meetmomenten", 0, [-1], "meetmomenten!2: envelop_eur: negatief bedrag: -1"),
    ("mijlpaalstatus", 0, [None, None, -1], "mijlpaalstatus!2: uitgesteld: -1 ligt niet tussen "
     "0 en 32767"),
    ("mijlpaalstatus", 0, ["morgen"], "mijlpaalstatus!2: verwachte_datum: geen datum "
     "(JJJJ-MM-DD of DD/MM/JJJJ): morgen"),
]  # fmt: skip


# Where the columns of the first version end: the new ones follow.
FIRST_VERSION = {"projecten": 10, "meetmomenten": 5, "rapportering": 6, "mijlpaalstatus": 6}


@pytest.mark.parametrize(("sheet", "row", "extra", "message"), BAD)
def test_a_bad_new_value_is_an_error_and_nothing_is_written(sheet, row, extra, message):
    rows = plan_rows()
    line = rows[sheet][row]
    line += [None] * (FIRST_VERSION[sheet] - len(line))
    line += extra
    before = snapshot()

    result = import_workbook(xlsx(rows))

    assert errors(result) == (message if isinstance(message, list) else [message])
    assert snapshot() == before


def test_a_project_out_of_the_plan_gets_no_reporting_from_that_round_on():
    rows = plan_rows()
    rows["projecten"][1] += [0, 0, "2023-12", "Naar reguliere middelen"]

    result = import_workbook(xlsx(rows))

    assert errors(result) == [
        "rapportering!3: project: VV127 is buiten het plan vanaf 2023-12: geen rapportering meer"
    ]


# -- milestones and indicators ----------------------------------------------------------


def test_postponements_left_empty_are_counted_round_after_round():
    rows = plan_rows()
    rows["meetmomenten"] = [
        ["2023-06", "Juni 2023", dt.date(2023, 6, 30), None, "gesloten"],
        ["2023-12", "December 2023", dt.date(2023, 12, 31), None, "gesloten"],
        ["2024-12", "December 2024", dt.date(2024, 12, 31), None, "open"],
    ]
    rows["rapportering"] = []
    delayed = ["vertraagd", None, None]
    rows["mijlpaalstatus"] = [
        # The deadline is 2022-06-30: a later date is a first postponement, the same date
        # again none, a later one another.
        ["2024-12", "VV014", 1, *delayed, dt.date(2025, 6, 30), "Beroep"],
        ["2023-06", "VV014", 1, *delayed, dt.date(2024, 6, 30), "Bezwaar"],
        ["2023-12", "VV014", 1, *delayed, dt.date(2024, 6, 30), "Bezwaar"],
        ["2023-12", "VV014", 2, "op schema", None, None, None, None, 3],  # given: kept
    ]

    result = import_workbook(xlsx(rows))

    assert result.ok, errors(result)
    counts = dict(
        MilestoneStatus.objects.filter(milestone__number=1).values_list(
            "round__code", "postponements"
        )
    )
    assert counts == {"2023-06": 1, "2023-12": 1, "2024-12": 2}
    status = MilestoneStatus.objects.get(milestone__number=2)
    assert status.postponements == 3
    first = MilestoneStatus.objects.get(round__code="2023-06", milestone__number=1)
    assert (first.forecast_date, first.delay_reason) == (dt.date(2024, 6, 30), "Bezwaar")


def test_indicator_definitions_belong_to_rounds():
    rows = plan_rows()
    rows["meetmomenten"] = [
        ["2022-12", "December 2022", dt.date(2022, 12, 31), None, "gesloten"],
        ["2023-12", "December 2023", dt.date(2023, 12, 31), None, "open"],
    ]
    rows["indicatoren"] = [
        ["2022-12", "VV014", "OUT1", "Km (oud)", "output", "km", 0, 200, None, None],
        [None, "VV014", "OUT1", "Km fietspad", "outcome", "km", 0, 300, None, None],
    ]

    result = import_workbook(xlsx(rows))

    assert result.ok, errors(result)
    assert Indicator.objects.count() == 1
    assert dict(IndicatorDefinition.objects.values_list("round__code", "name")) == {
        "2022-12": "Km (oud)",
        "2023-12": "Km fietspad",  # no meetmoment: the open round's
    }


def test_without_an_open_round_a_definition_waits_for_the_next_round():
    rows = plan_rows()
    rows["meetmomenten"][0][4] = None  # in preparation
    rows["indicatoren"][0][3] = "Km fietspad"

    result = import_workbook(xlsx(rows))

    assert result.ok, errors(result)
    definition = IndicatorDefinition.objects.get()
    assert (definition.round, definition.name) == (None, "Km fietspad")
    # And the export writes it back without a meetmoment; the file imports unchanged.
    again = import_workbook(io.BytesIO(export()))
    assert (again.created, again.updated) == (0, 0), errors(again)


def test_a_row_without_meetmoment_and_one_with_the_open_round_are_one_key():
    rows = plan_rows()
    rows["indicatoren"].append(["2023-12", "VV014", "OUT1", "Km", "output"])

    result = import_workbook(xlsx(rows))

    assert errors(result) == ["indicatoren!2: meetmoment: dubbel: 2023-12 / VV014 / OUT1 staat "
                              "ook op rij 3"]  # fmt: skip


def test_one_rounds_export_holds_that_rounds_definitions_and_records():
    with transaction.atomic():
        build_plan()
    workbook_rows = _sheet_rows(export("2023-12"))

    assert {row[0] for row in workbook_rows["indicatoren"]} == {"2023-12"}
    assert {row[0] for row in workbook_rows["rapportering"]} == {"2023-12"}
    flagged = [row for row in workbook_rows["rapportering"] if row[1] == "VV002"]
    assert flagged[0][2] == "in uitvoering"  # what the owner reported
    assert flagged[0][6:9] == (50, "rood", "Geen aannemer gevonden")
    assert [row[0] for row in workbook_rows["meetmomenten"]] == ["2023-12"]


def _sheet_rows(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: list(sheet.iter_rows(min_row=2, values_only=True))
        for sheet in workbook.worksheets
    }


def test_the_command_names_the_file_in_the_review_history(red, tmp_path):
    path = tmp_path / "coordinatie.xlsx"
    header = [*HEADERS["rapportering"][:6], "markering", "motivatie"]
    path.write_bytes(_reporting(red, "opgestart", None, None, headers=header).getvalue())

    call_command("import_workbook", str(path), stdout=io.StringIO())

    event = ReviewEvent.objects.get(fiche=red)
    assert event.action == ReviewAction.IMPORTED
    assert "coordinatie.xlsx" in event.comment
    assert event.by is None


def test_one_rounds_workbook_leaves_out_the_rounds_projects_leave_from_and_imports_alone():
    with transaction.atomic():
        build_plan()
        data = export("2023-12")
        header = _sheet_header(data, "projecten")
        # Imported back into the whole plan, it changes nothing (leaving included).
        again = import_workbook(io.BytesIO(data))
        assert (again.created, again.updated) == (0, 0), errors(again)
        assert Project.objects.get(code="VV003").left_plan_from.code == "2025-12"
        transaction.set_rollback(True)

    assert "buiten_plan_vanaf" not in header
    assert header == [c for c in HEADERS["projecten"] if c not in FIRST_VERSION_LEAVING]
    result = import_workbook(io.BytesIO(data))
    assert result.ok, errors(result)
    assert round_summary("2023-12").as_json()["projects"]["total"] == 3


FIRST_VERSION_LEAVING = ("buiten_plan_vanaf", "reden_buiten_plan")


def _sheet_header(data: bytes, name: str) -> list[str]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return list(next(workbook[name].iter_rows(values_only=True)))


def test_a_closed_round_keeps_the_reason_of_a_project_that_left_in_it():
    rows = _closed_plan()
    rows["projecten"][2] += [0, 0, "2023-12", "Regulier"]
    assert import_workbook(xlsx(rows)).ok
    assert Project.objects.get(code="VV200").left_plan_from.code == "2023-12"
    before = snapshot()
    rows["projecten"][2][13] = "Andere reden"

    result = import_workbook(xlsx(rows))

    assert errors(result) == [
        "projecten!4: reden_buiten_plan: meetmoment 2023-12 is gesloten: zijn gegevens "
        "wijzigen niet meer"
    ]
    assert snapshot() == before


def test_the_upload_page_names_the_file_and_the_admin_in_the_review_history(
    client, red, admin_user
):
    client.force_login(admin_user)
    header = [*HEADERS["rapportering"][:6], "markering", "motivatie"]
    workbook = _reporting(red, "opgestart", "oranje", "Minder ernstig", headers=header)
    client.post("/imports/", {"file": SimpleUploadedFile("juni.xlsx", workbook.getvalue())})
    upload = WorkbookUpload.objects.get()
    preview = client.get(f"/imports/{upload.pk}/")
    assert "Minder ernstig" in preview.content.decode()
    assert not ReviewEvent.objects.exists()  # the preview writes nothing

    response = client.post(f"/imports/{upload.pk}/confirm/")

    assert response.status_code == 302
    event = ReviewEvent.objects.get(fiche=red)
    assert (event.action, event.by) == (ReviewAction.IMPORTED, admin_user)
    assert "juni.xlsx" in event.comment
    assert "Minder ernstig" in event.comment
    red.refresh_from_db()
    assert red.status == S.ATTENTION


def test_importing_new_rows_leaves_the_reviews_of_the_rounds_other_fiches_alone(open_round):
    """A new row of a round marks only itself carried; a draft that repeats its project's
    finished status stays its owners' draft."""
    closed = ReportingRoundFactory(
        reference_date=open_round.reference_date - dt.timedelta(days=365)
    )
    done = ProjectFactory(code="VV001")
    _fiche(closed, done, status=S.REALISED)
    ReportingRound.objects.filter(pk=closed.pk).update(
        state=RoundState.CLOSED, closed_at=timezone.now()
    )
    draft = _fiche(open_round, done, status=S.REALISED)
    newcomer = ProjectFactory(code="VV002")

    header = HEADERS["rapportering"][:6]
    row = [open_round.code, newcomer.code, "in uitvoering", None, None, None]
    result = import_workbook(xlsx({"rapportering": [header, row]}, headers=False))

    assert result.ok, errors(result)
    draft.refresh_from_db()
    assert (draft.carried_forward, draft.review_state) == (False, ReviewState.DRAFT)


def test_a_project_holding_a_fiche_from_the_round_it_would_leave_is_refused(open_round):
    fiche = _fiche(open_round, ProjectFactory(code="VV001"))
    rows = export()
    book = load_workbook(io.BytesIO(rows))
    sheet = book["projecten"]
    names = [cell.value for cell in sheet[1]]
    sheet.cell(2, names.index("buiten_plan_vanaf") + 1, open_round.code)
    sheet.cell(2, names.index("reden_buiten_plan") + 1, "Reguliere middelen")
    changed = io.BytesIO()
    book.save(changed)
    changed.seek(0)
    before = snapshot()

    result = import_workbook(changed)

    assert errors(result) == [
        f"projecten!2: buiten_plan_vanaf: VV001 heeft een fiche in meetmoment {open_round.code}: "
        "het verlaat het plan ten vroegste na dat meetmoment (de actie 'Buiten het plan' op de "
        "projectpagina verwijdert een conceptfiche van het open meetmoment)"
    ]
    assert snapshot() == before
    assert Fiche.objects.filter(pk=fiche.pk).exists()
