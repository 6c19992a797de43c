"""The RRF's indicative year-quarter and payment-request instalment of milestones and
targets: in the database, the plan workbook (rrf_kwartaal, rrf_schijf), the admin site, the
fiche's indicators and open data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from milestones.models import Milestone
from projects.models import IndicatorDefinition
from projects.models.rounds import RoundState
from relance.fiches.indicators import IndicatorInput, save_indicator_definitions
from relance.workbook import export_workbook, import_workbook
from tests.factories import (
    FicheFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.open_data_plan import make_plan
from tests.relance.workbooks import cells, errors, plan_rows, plan_workbook, snapshot, xlsx

pytestmark = pytest.mark.django_db


def export() -> bytes:
    stream = io.BytesIO()
    export_workbook(stream)
    return stream.getvalue()


def rrf_rows():
    """The small plan, with RRF timing on Digibanken's milestones and target."""
    rows = plan_rows()
    rows["mijlpalen"] += [
        ["VV127", 1, "Oproep gelanceerd", dt.date(2022, 3, 31), "I-4.02-M1", "2022-q1", 1],
        ["VV127", 2, "Digibanken open", dt.date(2023, 12, 31), "I-4.02-M2", " 2023-Q4 ", "2"],
    ]
    rows["indicatoren"] += [
        [None, "VV127", "OUT1", "Digibanken", "output", "locaties", 0, 100,
         dt.date(2024, 6, 30), "I-4.02-T1", "2024-Q2", 3.0],
    ]  # fmt: skip
    return rows


def test_the_workbook_reads_quarter_and_instalment():
    result = import_workbook(xlsx(rrf_rows()))

    assert result.ok, errors(result)
    stored = Milestone.objects.filter(project__code="VV127").order_by("number")
    assert [(m.rrf_quarter, m.rrf_instalment) for m in stored] == [("2022-Q1", 1), ("2023-Q4", 2)]
    target = IndicatorDefinition.objects.get(indicator__project__code="VV127")
    assert (target.rrf_reference, target.rrf_quarter, target.rrf_instalment) == (
        "I-4.02-T1",
        "2024-Q2",
        3,
    )
    assert Milestone.objects.get(project__code="VV014", number=1).rrf_quarter == ""
    assert Milestone.objects.get(project__code="VV014", number=1).rrf_instalment is None


def test_quarter_and_instalment_go_round_trip_into_an_empty_database():
    with transaction.atomic():
        assert import_workbook(xlsx(rrf_rows())).ok
        exported = export()
        transaction.set_rollback(True)
    assert not Milestone.objects.exists()

    result = import_workbook(io.BytesIO(exported))

    assert result.ok, errors(result)
    assert list(
        Milestone.objects.filter(project__code="VV127")
        .order_by("number")
        .values_list("rrf_reference", "rrf_quarter", "rrf_instalment")
    ) == [("I-4.02-M1", "2022-Q1", 1), ("I-4.02-M2", "2023-Q4", 2)]
    assert IndicatorDefinition.objects.get(indicator__project__code="VV127").rrf_instalment == 3
    assert cells(export()) == cells(exported)


def test_a_file_without_the_new_columns_leaves_them_as_they_are():
    assert import_workbook(xlsx(rrf_rows())).ok
    header = ["project", "nummer", "omschrijving", "deadline", "rrf_referentie"]
    row = ["VV127", 1, "Oproep vernieuwd", dt.date(2022, 3, 31), "I-4.02-M1"]

    result = import_workbook(xlsx({"mijlpalen": [header, row]}, headers=False))

    assert result.ok, errors(result)
    milestone = Milestone.objects.get(project__code="VV127", number=1)
    assert (milestone.description, milestone.rrf_quarter, milestone.rrf_instalment) == (
        "Oproep vernieuwd",
        "2022-Q1",
        1,
    )


MILESTONE = ["VV127", 1, "Oproep", dt.date(2022, 3, 31), "I-4.02-M1"]
TARGET = [None, "VV127", "OUT1", "Digibanken", "output", None, None, None, None, "I-4.02-T1"]
QUARTER = "geen RRF-kwartaal (JJJJ-Qn, bv. 2024-Q2; jaar 2020 tot 2039)"
MS, IS = "mijlpalen!2: rrf_schijf:", "indicatoren!2: rrf_schijf:"
BAD_CELLS = [
    ("mijlpalen", [*MILESTONE, "2024-Q5", 1], f"mijlpalen!2: rrf_kwartaal: {QUARTER}: 2024-Q5"),
    ("mijlpalen", [*MILESTONE, "Q2 2024", 1], f"mijlpalen!2: rrf_kwartaal: {QUARTER}: Q2 2024"),
    ("mijlpalen", [*MILESTONE, "2019-Q4", 1], f"mijlpalen!2: rrf_kwartaal: {QUARTER}: 2019-Q4"),
    ("mijlpalen", [*MILESTONE, 2024, 1], f"mijlpalen!2: rrf_kwartaal: {QUARTER}: 2024"),
    ("mijlpalen", [*MILESTONE, "2024-Q2", 0], f"{MS} 0 ligt niet tussen 1 en 20"),
    ("mijlpalen", [*MILESTONE, "2024-Q2", 21], f"{MS} 21 ligt niet tussen 1 en 20"),
    ("mijlpalen", [*MILESTONE, "2024-Q2", 2.5], f"{MS} geen geheel getal: 2.5"),
    ("mijlpalen", [*MILESTONE, "2024-Q2", "twee"], f"{MS} geen geheel getal: twee"),
    ("indicatoren", [*TARGET, "2024-Q0", 1], f"indicatoren!2: rrf_kwartaal: {QUARTER}: 2024-Q0"),
    ("indicatoren", [*TARGET, "2024-Q1", -1], f"{IS} -1 ligt niet tussen 1 en 20"),
]  # fmt: skip


@pytest.mark.parametrize(("sheet", "row", "expected"), BAD_CELLS)
def test_a_bad_quarter_or_instalment_refuses_the_whole_workbook(sheet, row, expected):
    assert import_workbook(plan_workbook()).ok
    before = snapshot()

    result = import_workbook(xlsx({**plan_rows(), sheet: [row]}))

    assert errors(result) == [expected]
    assert not result.written
    assert snapshot() == before


# ---- The database ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"rrf_quarter": "2024-Q5"},
        {"rrf_quarter": "2024Q1"},
        {"rrf_quarter": "1999-Q1"},
        {"rrf_instalment": 0},
        {"rrf_instalment": 21},
    ],
)
@pytest.mark.parametrize("factory", [MilestoneFactory, IndicatorDefinitionFactory])
def test_the_database_refuses_a_quarter_or_instalment_out_of_bounds(factory, fields):
    model = factory._meta.model
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)
    assert model.objects.count() == before


@pytest.mark.parametrize("factory", [MilestoneFactory, IndicatorDefinitionFactory])
def test_the_database_takes_a_quarter_and_instalment_in_bounds(factory):
    stored = factory(rrf_quarter="2026-Q2", rrf_instalment=20)
    stored.refresh_from_db()
    assert (stored.rrf_quarter, stored.rrf_instalment) == ("2026-Q2", 20)


# ---- The admin site ----------------------------------------------------------------------


def milestone_form(milestone, **changes):
    return {
        "project": milestone.project_id,
        "number": milestone.number,
        "description": milestone.description,
        "deadline": milestone.deadline.isoformat(),
        "rrf_reference": "I-2.09-M1",
        "rrf_quarter": "2024-Q2",
        "rrf_instalment": "3",
        **changes,
    }


def test_the_admin_edits_a_milestones_quarter_and_instalment(client, admin_user):
    milestone = MilestoneFactory()
    client.force_login(admin_user)
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])

    response = client.post(url, milestone_form(milestone))

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.rrf_reference, milestone.rrf_quarter, milestone.rrf_instalment) == (
        "I-2.09-M1",
        "2024-Q2",
        3,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"rrf_quarter": "2024-Q9"}, "rrf_quarter"), ({"rrf_instalment": "0"}, "rrf_instalment")],
)
def test_the_admin_refuses_a_bad_quarter_or_instalment(client, admin_user, changes, field):
    milestone = MilestoneFactory()
    client.force_login(admin_user)
    before = snapshot()

    response = client.post(
        reverse("admin:milestones_milestone_change", args=[milestone.pk]),
        milestone_form(milestone, **changes),
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert snapshot() == before


# ---- The fiche ---------------------------------------------------------------------------


def test_a_fiches_change_to_an_indicator_keeps_its_rrf_timing(editor, domain):
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    opened = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31))
    project = ProjectFactory(domain=domain, is_rrf=True, rrf_measure="I-1.01")
    FicheFactory(round=closed, project=project)
    indicator = IndicatorFactory(project=project, code="OUT1")
    IndicatorDefinitionFactory(
        indicator=indicator,
        round=closed,
        rrf_reference="I-1.01-T1",
        rrf_quarter="2025-Q2",
        rrf_instalment=4,
    )
    closed.close(by=None)
    opened.state = RoundState.OPEN
    opened.save(update_fields=["state"])
    fiche = FicheFactory(round=opened, project=project)

    save_indicator_definitions(
        fiche=fiche,
        entries=[
            IndicatorInput(
                indicator=indicator,
                code="OUT1",
                name="Nieuwe naam",
                kind="output",
                target=Decimal("500"),
            )
        ],
        by=editor,
    )

    changed = IndicatorDefinition.objects.get(round=opened)
    assert (changed.name, changed.rrf_reference, changed.rrf_quarter, changed.rrf_instalment) == (
        "Nieuwe naam",
        "I-1.01-T1",
        "2025-Q2",
        4,
    )


# ---- Open data ---------------------------------------------------------------------------


def test_the_api_gives_a_milestones_quarter_and_instalment(client):
    data = make_plan()
    Milestone.objects.filter(project__code="VV001", number=1).update(
        rrf_reference="I-2.09-M1", rrf_quarter="2022-Q4", rrf_instalment=3
    )

    statuses = client.get(f"/api/rounds/{data.closed.code}/milestones/?project=VV001").json()
    project = client.get("/api/projects/VV001/").json()

    first = next(row for row in statuses["results"] if row["milestone"] == 1)
    assert (first["rrf_reference"], first["rrf_quarter"], first["rrf_instalment"]) == (
        "I-2.09-M1",
        "2022-Q4",
        3,
    )
    assert project["milestones"][0] | {"description": ""} == {
        "number": 1,
        "description": "",
        "deadline": project["milestones"][0]["deadline"],
        "rrf_reference": "I-2.09-M1",
        "rrf_quarter": "2022-Q4",
        "rrf_instalment": 3,
    }
