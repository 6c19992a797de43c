"""The plan workbook's import: each rule of workbook.md, each refusal with the database
unchanged after it, all or nothing, idempotence."""

import datetime as dt
from decimal import Decimal

import pytest

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    Speerpunt,
)
from projects.models.rounds import RoundState
from relance.workbook import import_workbook
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.workbooks import HEADERS, errors, plan_rows, plan_workbook, snapshot, xlsx

pytestmark = pytest.mark.django_db


def test_a_whole_plan_is_created_with_every_value_form():
    result = import_workbook(plan_workbook())

    assert result.ok, errors(result)
    assert result.written
    assert {s.name: s.created for s in result.sheets} == {
        "beleidsdomeinen": 1, "speerpunten": 1, "clusters": 1, "projecten": 2, "mijlpalen": 2,
        "meetmomenten": 1, "rapportering": 2, "mijlpaalstatus": 2, "indicatoren": 1,
        "indicatorwaarden": 1,
    }  # fmt: skip
    digibanken = Project.objects.get(code="VV127")
    assert digibanken.budget_eur == Decimal("50000000.50")
    assert digibanken.is_rrf
    assert digibanken.rrf_measure == "I-4.02"
    assert digibanken.start_date == dt.date(2021, 3, 1)  # text YYYY-MM-DD
    assert digibanken.end_date == dt.date(2025, 12, 31)  # text DD/MM/YYYY
    assert digibanken.entity == ""
    finance = FinanceReport.objects.get(fiche__project__code="VV014")
    assert finance.committed_eur == Decimal("1234567.89")  # a float cell, exact to the cent
    assert finance.paid_eur == Decimal("1000.50")  # text with a comma
    assert finance.budget_eur is None  # the round is open: the project's budget counts
    realised = MilestoneStatus.objects.get(milestone__number=1)
    assert realised.status == MilestoneState.REALISED
    assert realised.realised_on == dt.date(2022, 6, 1)
    assert IndicatorValue.objects.get().value == Decimal("120.5")
    assert Indicator.objects.get().definitions.get().target == Decimal("300")
    assert ReportingRound.objects.get().state == RoundState.OPEN


def test_a_second_import_of_the_same_file_changes_nothing():
    assert import_workbook(plan_workbook()).ok
    before = snapshot()

    again = import_workbook(plan_workbook())

    assert again.ok
    assert (again.created, again.updated) == (0, 0)
    assert sum(sheet.unchanged for sheet in again.sheets) == 14
    assert snapshot() == before


def test_a_row_updates_its_record_and_reports_old_and_new():
    assert import_workbook(plan_workbook()).ok
    rows = plan_rows()["projecten"]
    rows[0][1] = "Fietspaden langs gemeentewegen"
    rows[0][5] = "150000000,25"

    result = import_workbook(xlsx({"projecten": rows}))

    assert result.ok, errors(result)
    report = result.sheet("projecten")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    [change] = report.changed_rows
    assert (change.row, change.key) == (2, "VV014")
    assert [(c.column, c.old, c.new) for c in change.cells] == [
        ("titel", "Fietsinfrastructuur aan gemeentewegen", "Fietspaden langs gemeentewegen"),
        ("budget_eur", "150000000.00", "150000000.25"),
    ]
    assert Project.objects.get(code="VV014").budget_eur == Decimal("150000000.25")


def test_columns_in_any_order_any_case_with_spaces_and_empty_rows():
    sheet = [
        ["  NAAM ", "Code"],
        [" Mobiliteit en Openbare Werken ", "mow"],
        [None, None],
        ["Omgeving", "OMG"],
    ]
    result = import_workbook(xlsx({"Beleidsdomeinen": sheet}, headers=False))

    assert result.ok, errors(result)
    assert dict(PolicyDomain.objects.values_list("code", "name")) == {
        "MOW": "Mobiliteit en Openbare Werken",
        "OMG": "Omgeving",
    }


def test_an_absent_sheet_and_an_absent_column_are_left_alone():
    project = ProjectFactory(code="VV001", title="Oude titel", entity="AWV", is_rrf=True,
                             rrf_measure="I-1.01")  # fmt: skip
    header = ["code", "titel", "cluster", "beleidsdomein", "budget_eur"]
    row = ["VV001", "Nieuwe titel", project.cluster.number, project.domain.code, 5]

    result = import_workbook(xlsx({"projecten": [header, row]}, headers=False))

    assert result.ok, errors(result)
    project.refresh_from_db()
    assert (project.title, project.budget_eur) == ("Nieuwe titel", Decimal("5.00"))
    assert (project.entity, project.is_rrf, project.rrf_measure) == ("AWV", True, "I-1.01")
    assert Project.objects.count() == 1


def test_an_empty_cell_empties_its_field():
    project = ProjectFactory(code="VV001", entity="AWV")
    header = ["code", "titel", "cluster", "beleidsdomein", "budget_eur", "entiteit", "einddatum"]
    row = ["VV001", "T", project.cluster.number, project.domain.code, 5, None, None]

    result = import_workbook(xlsx({"projecten": [header, row]}, headers=False))

    assert result.ok, errors(result)
    project.refresh_from_db()
    assert (project.entity, project.end_date) == ("", None)


def test_references_may_point_to_what_the_database_holds():
    project = ProjectFactory(code="VV002")
    MilestoneFactory(project=project, number=1)
    ReportingRoundFactory(code="2024-12", reference_date=dt.date(2024, 12, 31))

    result = import_workbook(
        xlsx({
            "rapportering": [["2024-12", "VV002", "opgestart", None, None, None]],
            "mijlpaalstatus": [["2024-12", "VV002", 1, "vertraagd", None, None]],
        })
    )  # fmt: skip

    assert result.ok, errors(result)
    assert MilestoneStatus.objects.get().status == MilestoneState.DELAYED


def test_the_owner_keeps_their_status_behind_a_flag():
    existing = FicheFactory(
        project__code="VV003", status=ProjectStatus.STARTED, owner_status=ProjectStatus.STARTED
    )
    ProjectFactory(code="VV004")
    code = existing.round.code

    result = import_workbook(
        xlsx({
            "rapportering": [
                [code, "VV003", "Rood", None, None, None],
                [code, "VV004", "oranje", None, None, None],
            ]
        })
    )  # fmt: skip

    assert result.ok, errors(result)
    flagged = Fiche.objects.get(project__code="VV003")
    assert (flagged.status, flagged.owner_status) == ("action_required", "started")
    assert flagged.version == 2  # an open form of the fiche has gone stale
    new = Fiche.objects.get(project__code="VV004")
    assert (new.status, new.owner_status) == ("attention", "in_progress")


@pytest.mark.parametrize(
    ("word", "code"),
    [("gerealiseerd", "realised"), ("GEEL", "realised"), ("in_progress", "in_progress"),
     ("Niet  Gestart", "not_started"), ("lichtgroen", "started"), ("stopgezet", "stopped"),
     ("actie nodig", "action_required"), ("donkergroen", "in_progress")],
)  # fmt: skip
def test_a_status_is_a_word_a_code_or_a_colour_in_any_case(word, code):
    fiche = FicheFactory(project__code="VV005")

    result = import_workbook(
        xlsx({"rapportering": [[fiche.round.code, "VV005", word, None, None, None]]})
    )

    assert result.ok, errors(result)
    fiche.refresh_from_db()
    assert fiche.status == code


def test_a_round_created_closed_takes_its_rows_then_closes(admin_user):
    rows = plan_rows()
    rows["meetmomenten"][0][4] = "Gesloten"

    result = import_workbook(xlsx(rows), user=admin_user)

    assert result.ok, errors(result)
    assert result.closed_rounds == ["2023-12"]
    reporting_round = ReportingRound.objects.get()
    assert reporting_round.is_closed
    assert reporting_round.closed_by == admin_user
    assert Fiche.objects.filter(round=reporting_round).count() == 2
    # The round keeps each project's budget of this moment.
    assert dict(FinanceReport.objects.values_list("fiche__project__code", "budget_eur")) == {
        "VV014": Decimal("150000000.00"),
        "VV127": Decimal("50000000.50"),
    }
    assert MilestoneStatus.objects.filter(round=reporting_round).count() == 2
    # And the same file again is no change to the closed round.
    again = import_workbook(xlsx(rows), user=admin_user)
    assert again.ok, errors(again)
    assert (again.created, again.updated) == (0, 0)


def test_rows_that_would_change_a_closed_round_are_refused(closed_round):
    fiche = closed_round.fiches.get()
    milestone_status = closed_round.milestone_statuses.get()
    before = snapshot()

    result = import_workbook(
        xlsx({
            "rapportering": [[closed_round.code, fiche.project.code, "gerealiseerd", None, None,
                              None]],
            "mijlpaalstatus": [[closed_round.code, fiche.project.code,
                                milestone_status.milestone.number, "vertraagd", None, None]],
            "meetmomenten": [[closed_round.code, "Andere naam", closed_round.reference_date,
                              closed_round.deadline, "gesloten"]],
        })
    )  # fmt: skip

    assert not result.written
    assert errors(result) == [
        f"meetmomenten!2: code: meetmoment {closed_round.code} is gesloten: zijn gegevens "
        "wijzigen niet meer",
        f"rapportering!2: meetmoment: meetmoment {closed_round.code} is gesloten: zijn "
        "gegevens wijzigen niet meer",
        f"mijlpaalstatus!2: meetmoment: meetmoment {closed_round.code} is gesloten: zijn "
        "gegevens wijzigen niet meer",
    ]
    assert snapshot() == before


def test_a_new_row_for_a_closed_round_is_refused_too(closed_round):
    ProjectFactory(code="VV099")
    before = snapshot()

    result = import_workbook(
        xlsx({"rapportering": [[closed_round.code, "VV099", "opgestart", None, None, None]]})
    )

    assert errors(result) == [
        f"rapportering!2: meetmoment: meetmoment {closed_round.code} is gesloten: zijn "
        "gegevens wijzigen niet meer"
    ]
    assert snapshot() == before


def test_an_unchanged_row_of_a_closed_round_passes(closed_round):
    fiche = closed_round.fiches.select_related("project", "finance").get()

    result = import_workbook(
        xlsx({
            "rapportering": [[closed_round.code, fiche.project.code, fiche.status,
                              fiche.finance.committed_eur, fiche.finance.paid_eur, fiche.narrative]]
        })
    )  # fmt: skip

    assert result.ok, errors(result)
    assert result.sheet("rapportering").unchanged == 1


BAD_CELLS = [
    # sheet, row, expected error
    ("projecten", ["VV014", "T", 2, "MOW", None, -5, "nee", None, None, None],
     "projecten!2: budget_eur: negatief bedrag: -5"),
    ("projecten", ["VV014", "T", 2, "MOW", None, "12,345", "nee", None, None, None],
     "projecten!2: budget_eur: meer dan twee decimalen: 12,345"),
    ("projecten", ["VV014", "T", 2, "MOW", None, "1.234.567,00", "nee", None, None, None],
     "projecten!2: budget_eur: geen getal: 1.234.567,00"),
    ("projecten", ["VV014", "T", 2, "MOW", None, 1, "ja", None, None, None],
     "projecten!2: rrf_maatregel: verplicht voor een RRF-project"),
    ("projecten", ["VV014", "T", 2, "MOW", None, 1, "nee", None, "2024-01-01", "2023-12-31"],
     "projecten!2: einddatum: 2023-12-31 ligt vóór de startdatum 2024-01-01"),
    ("projecten", ["VV014", "T", 2, "MOW", None, 1, "nee", None, "31/02/2023", None],
     "projecten!2: startdatum: onmogelijke datum: 31/02/2023"),
    ("projecten", ["VV014", "T", 2, "MOW", None, 1, "misschien", None, None, None],
     "projecten!2: rrf: geen ja of nee: misschien"),
    ("projecten", ["VV-14", "T", 2, "MOW", None, 1, "nee", None, None, None],
     "projecten!2: code: geen projectcode (letters en dan cijfers, bv. VV001): VV-14"),
    ("projecten", ["VV014", "T", 99, "MOW", None, 1, "nee", None, None, None],
     "projecten!2: cluster: onbekende cluster: 99"),
    ("projecten", ["VV014", "T", 2, "XYZ", None, 1, "nee", None, None, None],
     "projecten!2: beleidsdomein: onbekend beleidsdomein: XYZ"),
    ("projecten", ["VV014", None, 2, "MOW", None, 1, "nee", None, None, None],
     "projecten!2: titel: verplicht"),
    ("rapportering", ["2023-12", "VV014", "bijna klaar", None, None, None],
     "rapportering!2: status: geen projectstatus: bijna klaar"),
    ("rapportering", ["2023-12", "VV999", "opgestart", None, None, None],
     "rapportering!2: project: onbekend project: VV999"),
    ("rapportering", ["2024-12", "VV014", "opgestart", None, None, None],
     "rapportering!2: meetmoment: onbekend meetmoment: 2024-12"),
    ("mijlpaalstatus", ["2023-12", "VV014", 1, "gerealiseerd", None, None],
     "mijlpaalstatus!2: realisatiedatum: verplicht voor een gerealiseerde mijlpaal"),
    ("mijlpaalstatus", ["2023-12", "VV014", 7, "op schema", None, None],
     "mijlpaalstatus!2: mijlpaal: onbekende mijlpaal: VV014 / 7"),
    ("mijlpaalstatus", ["2023-12", "VV014", 1.5, "op schema", None, None],
     "mijlpaalstatus!2: mijlpaal: geen geheel getal: 1.5"),
    ("mijlpalen", ["VV014", 0, "Start", dt.date(2022, 1, 1), None],
     "mijlpalen!2: nummer: 0 ligt niet tussen 1 en 32767"),
    ("mijlpalen", ["VV014", 3, "Start", 45000, None],
     "mijlpalen!2: deadline: geen datum (JJJJ-MM-DD of DD/MM/JJJJ): 45000"),
    ("indicatorwaarden", ["2023-12", "VV014", "OUT9", 1, None],
     "indicatorwaarden!2: indicator: onbekende indicator: VV014 / OUT9"),
    ("indicatoren", [None, "VV014", "OUT2", "Naam", "resultaat", None, None, None, None, None],
     "indicatoren!2: soort: geen soort indicator (output, outcome, impact): resultaat"),
    ("meetmomenten", ["2023-13", None, dt.date(2023, 12, 31), None, None],
     "meetmomenten!2: code: geen code van een meetmoment (JJJJ-MM): 2023-13"),
    ("speerpunten", [100, "Te veel"], "speerpunten!2: nummer: 100 ligt niet tussen 1 en 99"),
]  # fmt: skip


@pytest.mark.parametrize(("sheet", "row", "expected"), BAD_CELLS)
def test_a_value_that_cannot_be_right_refuses_the_whole_workbook(sheet, row, expected):
    assert import_workbook(plan_workbook()).ok
    before = snapshot()

    result = import_workbook(xlsx({**plan_rows(), sheet: [row]}))

    assert errors(result) == [expected]
    assert not result.written
    assert snapshot() == before


def test_every_error_of_every_sheet_is_reported_and_nothing_is_written():
    rows = plan_rows()
    rows["projecten"][1][5] = -1
    rows["mijlpalen"].append(["VV014", 1, "Dubbel", dt.date(2022, 1, 1), None])
    rows["rapportering"][0][2] = "blauw"

    result = import_workbook(xlsx(rows))

    assert errors(result) == [
        "projecten!3: budget_eur: negatief bedrag: -1",
        "mijlpalen!4: nummer: dubbel: VV014 / 1 staat ook op rij 2",
        "rapportering!2: status: geen projectstatus: blauw",
    ]
    assert snapshot() == {name: [] for name in snapshot()}


def test_unknown_sheets_and_columns_and_missing_required_columns_are_errors():
    result = import_workbook(
        xlsx(
            {
                "projectenlijst": [["code"], ["VV001"]],
                "beleidsdomeinen": [["code", "naaam", "kleur"], ["MOW", "x", "rood"]],
            },
            headers=False,
        )
    )

    assert errors(result) == [
        "projectenlijst!1: —: onbekend werkblad; verwacht: " + ", ".join(HEADERS),
        "beleidsdomeinen!1: naaam: onbekende kolom",
        "beleidsdomeinen!1: kleur: onbekende kolom",
        "beleidsdomeinen!1: naam: verplichte kolom ontbreekt",
    ]
    assert not PolicyDomain.objects.exists()


def test_a_value_in_a_column_without_a_name_is_an_error():
    result = import_workbook(
        xlsx({"speerpunten": [["nummer", "naam"], [1, "Een", "verloren waarde"]]}, headers=False)
    )

    assert errors(result) == ["speerpunten!2: C: waarde in een kolom zonder naam"]
    assert not Speerpunt.objects.exists()


def test_one_mistake_is_reported_once_not_on_every_row_that_refers_to_it():
    rows = plan_rows()
    rows["projecten"][0][5] = "veel"  # VV014's budget; its milestones still know VV014

    result = import_workbook(xlsx(rows))

    assert errors(result) == ["projecten!2: budget_eur: geen getal: veel"]


def test_plausibility_is_not_validity():
    rows = plan_rows()
    # Paid more than committed, committed more than the budget, realised with open milestones.
    rows["rapportering"][0] = ["2023-12", "VV014", "gerealiseerd", 999999999, 1000000000, None]

    result = import_workbook(xlsx(rows))

    assert result.ok, errors(result)


def test_at_most_one_round_open():
    ReportingRoundFactory(code="2024-12", reference_date=dt.date(2024, 12, 31), state="open")
    before = snapshot()

    result = import_workbook(
        xlsx({"meetmomenten": [["2025-12", None, dt.date(2025, 12, 31), None, "open"]]})
    )

    assert errors(result) == [
        "meetmomenten!2: status: er kan maar één meetmoment open zijn; ook open: 2024-12"
    ]
    assert snapshot() == before


def test_a_file_may_close_the_open_round_and_open_the_next(admin_user):
    current = ReportingRoundFactory(
        code="2024-12", reference_date=dt.date(2024, 12, 31), state="open"
    )
    FinanceReportFactory(fiche=FicheFactory(round=current, project__budget_eur=Decimal("7.00")))

    result = import_workbook(
        xlsx({
            "meetmomenten": [
                ["2024-12", current.name, current.reference_date, current.deadline, "gesloten"],
                ["2025-12", "December 2025", dt.date(2025, 12, 31), None, "open"],
            ]
        }),
        user=admin_user,
    )  # fmt: skip

    assert result.ok, errors(result)
    assert dict(ReportingRound.objects.values_list("code", "state")) == {
        "2024-12": "closed",
        "2025-12": "open",
    }
    assert FinanceReport.objects.get().budget_eur == Decimal("7.00")


def test_an_open_round_does_not_go_back_to_preparation():
    ReportingRoundFactory(code="2024-12", reference_date=dt.date(2024, 12, 31), state="open")

    result = import_workbook(
        xlsx({"meetmomenten": [["2024-12", None, dt.date(2024, 12, 31), None, None]]})
    )

    assert errors(result) == [
        "meetmomenten!2: status: een open meetmoment gaat niet terug naar in voorbereiding"
    ]


def test_two_rounds_on_one_reference_date_are_refused():
    ReportingRoundFactory(code="2024-12", reference_date=dt.date(2024, 12, 31))

    result = import_workbook(
        xlsx({"meetmomenten": [["2024-11", None, dt.date(2024, 12, 31), None, None]]})
    )

    assert errors(result) == [
        "meetmomenten!2: referentiedatum: meetmoment 2024-12 heeft dezelfde referentiedatum"
    ]


def test_nothing_is_ever_deleted():
    assert import_workbook(plan_workbook()).ok
    Cluster.objects.create(number=3, speerpunt=Speerpunt.objects.get(), name="Niet in het bestand")

    result = import_workbook(xlsx({"clusters": [[2, 1, "Fietsinfrastructuur"]]}))

    assert result.ok
    assert Cluster.objects.count() == 2
    assert Milestone.objects.count() == 2


def test_a_formula_cell_gives_its_cached_value_and_never_runs():
    from tests.relance.workbooks import rewrite

    stream = xlsx({"speerpunten": [[1, "Placeholder"]]})
    # Excel stores a formula with the value it last computed.
    formula = '<c r="B2" t="str"><f>HYPERLINK("http://evil.example","x")</f><v>Berekend</v></c>'
    stream = rewrite(
        stream,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            '<c r="B2" t="inlineStr"><is><t>Placeholder</t></is></c>', formula
        ).replace('<c r="B2" t="s"><v>1</v></c>', formula),
    )

    result = import_workbook(stream)

    assert result.ok, errors(result)
    assert Speerpunt.objects.get().name == "Berekend"


def test_an_update_is_in_the_history_with_the_importing_user(admin_user):
    fiche = FicheFactory(project__code="VV006", narrative="Oud")
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("1.00"))

    result = import_workbook(
        xlsx({"rapportering": [[fiche.round.code, "VV006", fiche.status, 2, None, "Nieuw"]]}),
        user=admin_user,
    )

    assert result.ok, errors(result)
    latest = fiche.history.latest()
    assert (latest.narrative, latest.project_id, latest.history_type) == (
        "Nieuw",
        fiche.project_id,
        "~",
    )
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "werkboekimport")
    money = FinanceReport.history.filter(fiche_id=fiche.pk).latest()
    assert (money.committed_eur, money.history_user) == (Decimal("2.00"), admin_user)
