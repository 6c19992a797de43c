"""The forecast's set-based query (relance/summary/forecast.py) gives, figure for figure,
what the forecast computed per fiche in Python gave (tests/relance/forecast_reference.py),
on the demo's rounds and filters and on the edge cases of its method."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q

from milestones.models import MilestoneState as M
from projects.models import ProjectStatus as S
from projects.models import ReportingRound
from relance.summary.figures import scope
from relance.summary.forecast import forecast
from tests.factories import MilestoneFactory, MilestoneStatusFactory
from tests.plans import PlanBuilder

from .forecast_reference import forecast as reference

pytestmark = pytest.mark.django_db


def test_the_query_gives_the_python_forecast_on_every_demo_round_and_filter(
    django_assert_num_queries,
):
    call_command("load_demo", "--today", "2026-11-22")
    filters = [{}, {"speerpunt": 1}, {"speerpunt": 3}, {"rrf_only": True}]
    compared = 0
    for reporting_round in ReportingRound.objects.all():
        for kept in filters:
            condition = scope(**kept)
            with django_assert_num_queries(1):
                found = forecast(reporting_round, condition)
            assert found == reference(reporting_round, condition), (reporting_round, kept)
            compared += bool(found.forecast_projects or found.not_forecast)
    assert compared >= 4  # the demo's rounds forecast something


def test_the_query_gives_the_python_forecast_at_the_edges():
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    projects = builder.add_projects(
        8, rrf=lambda n: False, budget=lambda n: Decimal("1000.01"), code=lambda n: f"VV{801 + n}"
    )
    a, b, c, d, e, f, g, h = projects
    reporting_round = builder.round(2023)
    reference_date = reporting_round.reference_date
    starts = {
        a: reference_date - dt.timedelta(days=365),  # exactly a year: forecast
        b: reference_date - dt.timedelta(days=364),  # a day short: not forecast
        c: dt.date(2020, 2, 29),
        d: dt.date(2019, 7, 3),
        e: dt.date(2021, 1, 1),
        f: dt.date(2022, 1, 1),
        g: dt.date(2018, 5, 5),
        h: dt.date(2020, 1, 1),
    }
    for project, start in starts.items():
        project.start_date = start
        project.save(update_fields=["start_date"])
    statuses = {d: S.REALISED, e: S.STOPPED}
    # VEK: thirds (paces that never end), more than the budget (nothing left), none.
    paid = {a: "333.33", b: "10", c: "1000.00", d: "999.99", e: "5", f: "1200", g: "0.01"}
    for project in projects:
        builder.fiche(
            reporting_round,
            project,
            status=statuses.get(project, S.IN_PROGRESS),
            finance={"committed_eur": 1000, "paid_eur": Decimal(paid.get(project, "0"))},
        )
    # (project, number, deadline, status, expected, realised)
    milestones = [
        (a, 1, dt.date(2025, 6, 30), M.ON_SCHEDULE, None, None),
        (a, 2, dt.date(2025, 6, 30), M.DELAYED, dt.date(2026, 1, 1), None),  # same day, higher
        (b, 1, dt.date(2024, 1, 31), M.REALISED, None, dt.date(2023, 11, 30)),  # past due
        (c, 1, reference_date, M.ON_SCHEDULE, None, None),  # due on the reference date
        (f, 1, dt.date(2030, 12, 31), M.ON_SCHEDULE, None, None),
        (g, 1, dt.date(2022, 1, 1), M.DELAYED, dt.date(2024, 12, 31), None),
    ]
    for project, number, deadline, status, expected, realised in milestones:
        MilestoneStatusFactory(
            round=reporting_round,
            milestone=MilestoneFactory(project=project, number=number, deadline=deadline),
            status=status,
            forecast_date=expected,
            realised_on=realised,
        )

    found = forecast(reporting_round, Q())
    assert found == reference(reporting_round, Q())
    assert found.not_forecast == (b.code, h.code)
    assert (found.past_due, found.without_milestones) == (2, 1)
    assert {year.year: year.projects for year in found.final_milestones}[2026] == 1
