"""The indicator notes of a round (issue 14): target against value per indicator, grouped
per speerpunt, with the change since the previous round; on a small constructed plan and
on the demo plan; as pages for those who may read the round, and nobody else."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.models import (
    Fiche,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    ReportingRound,
)
from projects.models.rounds import RoundState
from relance.reporting.indicators import indicator_note
from tests.factories import (
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.plans import PlanBuilder

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """Speerpunt 1: a project with an output indicator (100 → 250 of 300); speerpunt 2: one
    with an impact indicator (10 → 30 of 50, first valued in the second round) and a
    project without a fiche in the rounds, whose indicator is in no note."""
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    output_project, impact_project, absent = builder.add_projects(
        3, rrf=lambda n: False, budget=lambda n: Decimal(100)
    )
    first, second = builder.round(2022), builder.round(2023)
    for reporting_round in (first, second):
        builder.fiche(reporting_round, output_project, finance={})
        builder.fiche(reporting_round, impact_project, finance={})
    output = IndicatorFactory(project=output_project, code="OUT1")
    impact = IndicatorFactory(project=impact_project, code="IMP1")
    elsewhere = IndicatorFactory(project=absent, code="OUT1")
    for reporting_round in (first, second):
        IndicatorDefinitionFactory(
            indicator=output, round=reporting_round, name="Fietspad", unit="km",
            baseline=Decimal(0), target=Decimal(300),
        )  # fmt: skip
        IndicatorDefinitionFactory(
            indicator=impact, round=reporting_round, kind=IndicatorKind.IMPACT,
            name="Uitstoot vermeden", unit="kton", baseline=Decimal(10), target=Decimal(50),
            target_date=dt.date(2026, 12, 31),
        )  # fmt: skip
        IndicatorDefinitionFactory(indicator=elsewhere, round=reporting_round, name="Elders")
    IndicatorValueFactory(round=first, indicator=output, value=Decimal(100))
    IndicatorValueFactory(round=second, indicator=output, value=Decimal(250))
    IndicatorValueFactory(round=second, indicator=impact, value=Decimal(30))
    builder.close(first, second)
    opened = builder.round(2024, state=RoundState.OPEN)
    builder.fiche(opened, output_project, finance={})
    return {"first": first, "second": second, "opened": opened}


def test_the_output_overview_sets_target_against_value_with_the_change(plan):
    note = indicator_note(plan["second"], "output")

    assert [group.number for group in note.groups] == [1]
    (row,) = note.groups[0].rows
    assert (row.code, row.name, row.unit) == ("OUT1", "Fietspad", "km")
    assert (row.target, row.value, row.previous_value) == (300, 250, 100)
    assert row.change == 150
    assert row.progress_pct == Decimal("83.33")
    assert (note.count, note.reported, note.reached) == (1, 1, 0)
    assert note.as_json()["by_speerpunt"][0]["indicators"][0]["change"] == "150"


def test_the_impact_note_holds_the_impact_indicators_only(plan):
    note = indicator_note(plan["second"], "impact")

    assert [group.number for group in note.groups] == [2]
    (row,) = note.groups[0].rows
    assert (row.code, row.kind, row.value, row.previous_value) == ("IMP1", "impact", 30, None)
    assert row.change is None  # no value in the round before
    assert row.progress_pct == Decimal("50.00")  # from 10 to 50, at 30
    assert note.previous == plan["first"]


def test_the_first_round_has_no_change(plan):
    (row,) = indicator_note(plan["first"], "output").groups[0].rows

    assert (row.value, row.previous_value, row.change) == (100, None, None)


def test_notes_take_the_same_queries_whatever_the_plans_size(plan, django_assert_num_queries):
    with django_assert_num_queries(3):
        note = indicator_note(plan["second"], "output")
        note.as_json()


def test_the_demo_plans_notes_hold_every_indicator_of_the_round_once():
    call_command("load_demo", "--today", "2026-11-22")
    reporting_round = ReportingRound.objects.get(code="2023-12")
    in_round = IndicatorDefinition.objects.as_of(reporting_round).filter(
        indicator__project_id__in=Fiche.objects.filter(round=reporting_round).values("project_id")
    )
    output = indicator_note(reporting_round, "output")
    impact = indicator_note(reporting_round, "impact")

    assert output.count == in_round.filter(kind=IndicatorKind.OUTPUT).count() > 0
    assert impact.count == in_round.exclude(kind=IndicatorKind.OUTPUT).count()
    numbers = [group.number for group in output.groups]
    assert numbers == sorted(numbers)
    values = {
        (project, code): value
        for project, code, value in IndicatorValue.objects.filter(
            round=reporting_round
        ).values_list("indicator__project__code", "indicator__code", "value")
    }
    for group in output.groups:
        for row in group.rows:
            assert row.value == values.get((row.project_code, row.code))


def get(client, user, code, note, suffix=""):
    client.force_login(user)
    return client.get(reverse(f"rounds:indicators{suffix}", args=[code, note]))


@pytest.mark.parametrize("note", ["impact", "output"])
def test_a_reader_reads_a_closed_rounds_notes_in_their_language(client, reader, plan, note):
    response = get(client, reader, plan["second"].code, note)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Taal van dit document: Nederlands" in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse("rounds:indicators", args=[plan["second"].code, note]))
    assert '<html lang="en">' in english.content.decode()
    assert "Language of this document: English" in english.content.decode()


def test_the_open_rounds_notes_are_for_those_who_may_read_it(client, reader, coordinator, plan):
    code = plan["opened"].code

    assert get(client, reader, code, "output").status_code == 404
    assert get(client, reader, code, "output", "-pdf").status_code == 404
    assert get(client, coordinator, code, "output").status_code == 200


def test_an_unknown_note_or_round_is_not_found(client, reader, plan):
    assert get(client, reader, plan["second"].code, "outcome").status_code == 404
    assert get(client, reader, "2099-12", "output").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("rounds:indicators", args=[plan["second"].code, "output"]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
