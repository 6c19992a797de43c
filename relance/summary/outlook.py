"""The summary's look back and ahead: the change of the headline figures since earlier
rounds, the money tagged per transition, and the forecast (extras.py holds the values).

The forecast takes one query whatever the plan's size; the rest is computed from what
``round_summary`` already counted.

The forecast's method, as the report states it beside the figures:

- **Final milestones**: each project of the round that is neither realised nor stopped is
  counted once, in the year of its final milestone (its milestone with the latest deadline;
  the round's expected date where a delay gave one, else the deadline). A final milestone
  dated on or before the reference date is *past due*; a project without milestones in the
  round is counted apart.
- **VEK per year**: each project's pace is its VEK so far over the days since its start date;
  at that pace it pays the rest of its budget, year after year, never more than the budget.
  A project with no start date, started less than a year before the reference date, or
  without any VEK yet is *not forecast* (too little data): listed, never guessed. A stopped
  project pays nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, ProjectStatus, ReportingRound

from .extras import (
    FORECAST_YEARS,
    TRANSITIONS,
    Change,
    Forecast,
    Headline,
    Tagged,
    Transitions,
    YearAmount,
    YearCount,
)
from .values import GOOD_MILESTONES, round_half_up, share

FINISHED = (ProjectStatus.REALISED, ProjectStatus.STOPPED)
MIN_DAYS = 365  # a pace needs a year of spending at least


def headline(
    reporting_round: ReportingRound,
    projects: Mapping[str, int],
    milestones: Mapping[str, int],
    committed: Decimal,
    paid: Decimal,
) -> Headline:
    return Headline(
        code=reporting_round.code,
        name=reporting_round.name or reporting_round.code,
        values={
            "projects_total": Decimal(sum(projects.values())),
            "projects_realised": Decimal(projects.get(ProjectStatus.REALISED, 0)),
            "projects_stopped": Decimal(projects.get(ProjectStatus.STOPPED, 0)),
            "projects_flagged": Decimal(sum(projects.get(s, 0) for s in ProjectStatus.flags())),
            "milestones_total": Decimal(sum(milestones.values())),
            "milestones_on_schedule_or_realised": Decimal(
                sum(milestones.get(s, 0) for s in GOOD_MILESTONES)
            ),
            "committed_eur": committed,
            "paid_eur": paid,
        },
    )


def change(now: Headline, then: Headline | None) -> Change | None:
    if then is None:
        return None
    return Change(
        since=then, deltas={key: now.values[key] - then.values[key] for key in now.values}
    )


def transitions(budget: Decimal, tagged: Mapping[str, int]) -> Transitions:
    """``tagged``: per transition and amount (``climate_budget``…), the sum of each
    project's cents times its coefficient: exact, rounded half-up to cents once here."""

    def euro(key: str) -> Decimal:
        return round_half_up(Decimal(tagged.get(key, 0)) / 10_000) or Decimal(0)

    made = {
        name: Tagged(
            budget_eur=euro(f"{name}_budget"),
            committed_eur=euro(f"{name}_committed"),
            paid_eur=euro(f"{name}_paid"),
            budget_pct=round_half_up(share(euro(f"{name}_budget"), budget)),
        )
        for name in TRANSITIONS
    }
    return Transitions(**made)


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


def _periods(reference: dt.date) -> list[tuple[int, int]]:
    """(year, days) from the day after the reference date: the rest of its year, if any,
    then FORECAST_YEARS whole years."""
    periods = []
    rest = (dt.date(reference.year, 12, 31) - reference).days
    if rest:
        periods.append((reference.year, rest))
    for year in range(reference.year + 1, reference.year + 1 + FORECAST_YEARS):
        periods.append((year, (dt.date(year, 12, 31) - dt.date(year - 1, 12, 31)).days))
    return periods


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
