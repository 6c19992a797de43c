"""The forecast as outlook.py computed it before issue 16, per fiche in Python with four
correlated subqueries: the reference that the set-based query (relance/summary/forecast.py)
must match, figure for figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, ProjectStatus, ReportingRound
from relance.summary.extras import Forecast, YearAmount, YearCount
from relance.summary.forecast import FINISHED, MIN_DAYS
from relance.summary.forecast import periods as _periods
from relance.summary.values import round_half_up


def forecast(reporting_round: ReportingRound, kept: Q) -> Forecast:
    """The forecast of the round's projects that ``kept`` keeps, in one query."""
    final = MilestoneStatus.objects.filter(
        round=reporting_round, milestone__project=OuterRef("project")
    ).order_by("-milestone__deadline", "-milestone__number")
    rows = (
        Fiche.objects.filter(kept, round=reporting_round)
        .annotate(
            final_deadline=Subquery(final.values("milestone__deadline")[:1]),
            final_forecast=Subquery(final.values("forecast_date")[:1]),
            final_realised=Subquery(final.values("realised_on")[:1]),
            final_state=Subquery(final.values("status")[:1]),
        )
        .values(
            "status",
            "final_deadline",
            "final_forecast",
            "final_realised",
            "final_state",
            code=F("project__code"),
            start=F("project__start_date"),
            budget=Coalesce("finance__budget_eur", "project__budget_eur"),
            paid=F("finance__paid_eur"),
        )
        .order_by("project__code")
    )
    return _forecast(reporting_round.reference_date, rows)


def _cents(value: Decimal) -> Decimal:
    return round_half_up(value) or Decimal(0)


def _final_date(row: Mapping[str, Any]) -> dt.date | None:
    if row["final_state"] == MilestoneState.REALISED and row["final_realised"]:
        return row["final_realised"]
    return row["final_forecast"] or row["final_deadline"]


def _forecast(reference: dt.date, rows: Iterable[Mapping[str, Any]]) -> Forecast:
    by_year: dict[int, int] = {}
    past_due = without = forecast_projects = 0
    not_forecast: list[str] = []
    periods = _periods(reference)
    expected = dict.fromkeys((year for year, _ in periods), Decimal(0))
    later = Decimal(0)
    for row in rows:
        if row["status"] not in FINISHED:
            due = _final_date(row)
            if due is None:
                without += 1
            elif due <= reference:
                past_due += 1
            else:
                by_year[due.year] = by_year.get(due.year, 0) + 1
        if row["status"] == ProjectStatus.STOPPED:
            continue
        budget, paid, start = row["budget"] or Decimal(0), row["paid"], row["start"]
        days = (reference - start).days if start else 0
        if paid is None or paid <= 0 or days < MIN_DAYS:
            not_forecast.append(row["code"])
            continue
        forecast_projects += 1
        pace, left = paid / days, max(budget - paid, Decimal(0))
        for year, length in periods:
            step = min(pace * length, left)
            expected[year] += step
            left -= step
        later += left
    first = periods[0][0]  # the reference year while part of it is still to come
    years = range(first, max(by_year, default=first) + 1)
    return Forecast(
        reference_year=reference.year,
        final_milestones=tuple(YearCount(year, by_year.get(year, 0)) for year in years),
        past_due=past_due,
        without_milestones=without,
        paid=tuple(YearAmount(year, _cents(amount)) for year, amount in expected.items()),
        paid_later_eur=_cents(later),
        forecast_projects=forecast_projects,
        not_forecast=tuple(not_forecast),
    )
