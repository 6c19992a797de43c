"""Indicator definitions belong to rounds: what a draft changes stays the open round's.

A rename or a new indicator in the open round's draft (through the fiche form) reaches
neither the public (API, open data) nor any closed round (its definition row, its report,
its zip); those who see the open round see it on the project page.
"""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Indicator, IndicatorDefinition
from projects.models.rounds import RoundState
from relance.opendata.tables import INDICATORS
from tests.conftest import empty_cache
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ReportingRoundFactory,
)

from .fiche_helpers import fiche_post, snapshot
from .open_data_plan import unpacked

pytestmark = pytest.mark.django_db

OLD = {"name": "Lengte nieuw fietspad", "unit": "km", "target": Decimal("40")}
NEW = {"name": "Aantal gecreëerde jobs", "unit": "jobs", "target": "4000"}
ADDED = "Aantal opgeleide werkzoekenden"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    empty_cache()


@pytest.fixture
def rounds(project):
    """Two closed rounds in which OUT1 measured km of bicycle path (12 of 40 at the last),
    and the open round with the project's draft fiche."""
    closed = []
    indicator = IndicatorFactory(project=project, code="OUT1")
    for year, value in ((2022, "5"), (2023, "12")):
        reporting_round = ReportingRoundFactory(reference_date=dt.date(year, 12, 31))
        FinanceReportFactory(fiche=FicheFactory(round=reporting_round, project=project))
        IndicatorDefinitionFactory(
            indicator=indicator, round=reporting_round, baseline=Decimal(0), **OLD
        )
        IndicatorValueFactory(round=reporting_round, indicator=indicator, value=Decimal(value))
        reporting_round.close(by=None)
        closed.append(reporting_round)
    opened = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    fiche = FicheFactory(round=opened, project=project)
    FinanceReportFactory(fiche=fiche)
    return closed, opened, fiche


def closed_definitions():
    return list(
        IndicatorDefinition.objects.filter(round__state=RoundState.CLOSED).order_by("pk").values()
    )


def rename_and_add(client, editor, fiche):
    """The draft renames OUT1 (jobs, 4000) and adds OUT2, through the fiche form."""
    client.force_login(editor)
    post = fiche_post(fiche)
    post.update({f"ind-0-{name}": value for name, value in NEW.items()})
    post.update(
        {"ind-1-code": "OUT2", "ind-1-name": ADDED, "ind-1-kind": "outcome", "ind-1-unit": "p"}
    )
    response = client.post(reverse("fiche", args=[fiche.project.code]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()


@pytest.mark.parametrize("copied", [False, True], ids=["inherited", "own-copy"])
def test_a_draft_rename_and_addition_stay_in_the_open_round(
    client, editor, rounds, copied, project
):
    closed, opened, fiche = rounds
    if copied:  # the open round may start with its own copy of the definition
        IndicatorDefinitionFactory(
            indicator=Indicator.objects.get(code="OUT1"), round=opened, **OLD
        )
    before = closed_definitions()

    rename_and_add(client, editor, fiche)

    assert closed_definitions() == before
    own = IndicatorDefinition.objects.filter(round=opened).order_by("indicator__code")
    assert [(d.indicator.code, d.name, d.unit, d.target) for d in own] == [
        ("OUT1", NEW["name"], "jobs", Decimal("4000")),
        ("OUT2", ADDED, "p", None),
    ]
    assert IndicatorDefinition.objects.filter(round=opened).count() == 2
    assert set(project.indicators.values_list("code", flat=True)) == {"OUT1", "OUT2"}


def test_the_api_shows_only_the_closed_rounds_definition(client, editor, rounds):
    _closed, _opened, fiche = rounds
    rename_and_add(client, editor, fiche)

    body = client.get(f"/api/projects/{fiche.project.code}/").json()

    assert [(i["code"], i["name"], i["unit"], i["target"]) for i in body["indicators"]] == [
        ("OUT1", OLD["name"], "km", "40")
    ]
    assert NEW["name"].encode() not in client.get("/api/projects/").content


def test_every_closed_rounds_indicator_table_keeps_its_definition(editor, client, rounds):
    closed, opened, fiche = rounds
    rename_and_add(client, editor, fiche)

    for reporting_round in closed:
        rows = list(INDICATORS.rows(reporting_round))
        assert [(row[1], row[2], row[4], row[6]) for row in rows] == [
            ("OUT1", OLD["name"], "km", "40")
        ]
    assert list(INDICATORS.rows(opened)) == []


def _zip_csv(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return list(csv.reader(io.StringIO(zipped.read(name).decode("utf-8"), newline="")))


def test_every_closed_rounds_zip_keeps_its_definition(client, editor, rounds):
    closed, _opened, fiche = rounds
    rename_and_add(client, editor, fiche)

    for reporting_round in closed:
        response = client.get(f"/open-data/{reporting_round.code}.zip")
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        assert [row[1:3] for row in _zip_csv(data, "indicatoren.csv")[1:]] == [
            ["OUT1", OLD["name"]]
        ]
        # Every byte, the round's workbook included.
        everything = b"".join(content for _name, content in unpacked(data))
        assert OLD["name"].encode() in everything
        assert NEW["name"].encode() not in everything
        assert ADDED.encode() not in everything


def test_the_closed_rounds_report_keeps_its_definition(client, editor, reader, rounds):
    closed, _opened, fiche = rounds
    rename_and_add(client, editor, fiche)
    client.force_login(reader)

    page = client.get(reverse("rounds:report-page", args=[closed[1].code])).content.decode()

    assert OLD["name"] in page
    assert NEW["name"] not in page
    assert ADDED not in page
    assert "12" in page  # the value at that round


def test_the_open_rounds_report_shows_the_draft_to_a_coordinator(
    client, editor, coordinator, rounds
):
    _closed, opened, fiche = rounds
    rename_and_add(client, editor, fiche)
    client.force_login(coordinator)

    page = client.get(reverse("rounds:report-page", args=[opened.code])).content.decode()

    assert NEW["name"] in page
    assert ADDED in page
    assert OLD["name"] not in page


def test_the_project_page_shows_the_draft_only_to_who_sees_the_open_round(
    client, editor, coordinator, reader, rounds
):
    _closed, _opened, fiche = rounds
    rename_and_add(client, editor, fiche)
    url = fiche.project.get_absolute_url()

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert NEW["name"] in page
    assert ADDED in page

    client.force_login(reader)
    page = client.get(url).content.decode()
    assert OLD["name"] in page
    assert NEW["name"] not in page
    assert ADDED not in page


def test_a_second_save_edits_the_open_rounds_definition_again(client, editor, rounds):
    _closed, opened, fiche = rounds
    rename_and_add(client, editor, fiche)
    fiche.refresh_from_db()
    client.force_login(editor)
    post = fiche_post(fiche)
    post["ind-0-name"] = "Aantal jobs, voltijds"
    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 302

    names = IndicatorDefinition.objects.filter(round=opened).values_list("name", flat=True)
    assert sorted(names) == sorted([ADDED, "Aantal jobs, voltijds"])


def test_the_code_another_round_knows_cannot_change(client, editor, rounds):
    _closed, _opened, fiche = rounds
    client.force_login(editor)
    before = snapshot(fiche)
    post = fiche_post(fiche)
    post["ind-0-code"] = "OUT9"

    response = client.post(reverse("fiche", args=[fiche.project.code]), post)

    # The field is fixed: the code posted is ignored, the rest saved.
    assert response.status_code == 302
    assert list(Indicator.objects.values_list("code", flat=True)) == ["OUT1"]
    assert snapshot(fiche)[4:] == before[4:]


def test_a_new_indicators_code_can_be_corrected_in_its_round(client, editor, rounds):
    _closed, opened, fiche = rounds
    rename_and_add(client, editor, fiche)
    fiche.refresh_from_db()
    client.force_login(editor)
    post = fiche_post(fiche)
    post["ind-1-code"] = "OUT3"

    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 302
    assert sorted(Indicator.objects.values_list("code", flat=True)) == ["OUT1", "OUT3"]


def test_a_duplicate_new_code_is_refused_and_nothing_written(client, editor, rounds):
    _closed, _opened, fiche = rounds
    client.force_login(editor)
    before = snapshot(fiche)
    post = fiche_post(fiche)
    post.update({"ind-1-code": "OUT1", "ind-1-name": "Dubbel", "ind-1-kind": "output"})

    response = client.post(reverse("fiche", args=[fiche.project.code]), post)

    assert response.status_code == 400
    assert snapshot(fiche) == before


def test_an_indicator_of_another_project_is_refused(client, editor, rounds):
    _closed, _opened, fiche = rounds
    stranger = IndicatorFactory(code="OUT7")
    IndicatorDefinitionFactory(indicator=stranger, round=_opened, name="Vreemd")
    client.force_login(editor)
    before = snapshot(fiche)
    post = fiche_post(fiche)
    post["ind-0-id"] = str(stranger.pk)

    response = client.post(reverse("fiche", args=[fiche.project.code]), post)

    assert response.status_code == 400
    assert snapshot(fiche) == before
    assert IndicatorDefinition.objects.get(indicator=stranger).name == "Vreemd"


def test_a_reader_cannot_post_definitions(client, reader, rounds):
    _closed, _opened, fiche = rounds
    client.force_login(reader)
    before = snapshot(fiche)
    post = fiche_post(fiche)
    post.update({f"ind-0-{name}": value for name, value in NEW.items()})

    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 403
    assert snapshot(fiche) == before


def test_a_pending_definition_is_taken_over_by_the_open_round(client, editor, rounds):
    _closed, opened, fiche = rounds
    pending = IndicatorFactory(project=fiche.project, code="PND1")
    IndicatorDefinitionFactory(indicator=pending, round=None, name="Uit het werkboek")
    client.force_login(editor)
    post = fiche_post(fiche)
    assert post["ind-1-name"] == "Uit het werkboek"
    post["ind-1-name"] = "Uit het werkboek, herzien"

    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 302
    definition = IndicatorDefinition.objects.get(indicator=pending)
    assert (definition.round, definition.name) == (opened, "Uit het werkboek, herzien")


def test_a_closed_round_falls_back_only_on_closed_rounds_before_it(rounds, project):
    closed, opened, _fiche = rounds
    later_only = IndicatorFactory(project=project, code="OUT5", defined_in=[opened])

    first = IndicatorDefinition.objects.as_of(closed[0])
    assert {d.indicator.code for d in first} == {"OUT1"}
    assert later_only.pk not in set(first.values_list("indicator", flat=True))
    # The open round: its own definition where it has one, else the latest closed one.
    assert {(d.indicator.code, d.round) for d in IndicatorDefinition.objects.as_of(opened)} == {
        ("OUT1", closed[1]),
        ("OUT5", opened),
    }


def test_the_history_names_who_defined_the_indicator(client, editor, rounds):
    _closed, opened, fiche = rounds

    rename_and_add(client, editor, fiche)

    history = IndicatorDefinition.history.filter(round=opened)
    assert {record.history_user for record in history} == {editor}
