"""The forecast's query (outlook.py states the method): one set-based query whatever the
plan's size, the final milestones, the pace and its years computed in SQL.

An open project's final milestone is read by one subquery (the first of its milestones
with a status in the round in the order of the index ``milestone_final_idx``: latest
deadline, then highest number), its date computed there: not four subqueries per fiche,
none for a finished project. (Ranking all the round's statuses at once, with a window or
DISTINCT ON, sorts every milestone of the round: slower at a hundred plans' size.)
Each project's pace is its VEK over the days since its start; what it pays in a period is
``min(pace × days of the period, max(rest − pace × days before the period, 0))``, which is
what paying the rest period after period, never more, comes to. The query returns a row
per year of the final milestones, one of the money and one per project not forecast.

PostgreSQL divides in ``numeric`` with 20 decimals (Python's ``Decimal`` keeps 28
significant digits: the sums agree to the cent); SQLite in floating point.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from milestones.models import MilestoneState
from projects.models import Fiche, ProjectStatus, ReportingRound

from .extras import FORECAST_YEARS, Forecast, YearAmount, YearCount
from .values import round_half_up

FINISHED = (ProjectStatus.REALISED, ProjectStatus.STOPPED)
MIN_DAYS = 365  # a pace needs a year of spending at least

# What differs between the databases.
_SQL = {
    "postgresql": {
        "days": "(CAST(%s AS date) - kept.f_start)",
        "pace": "CAST(kept.f_paid AS numeric(40, 20)) / {days}",
        "year": "CAST(EXTRACT(YEAR FROM due) AS integer)",
        "least": "LEAST",
        "greatest": "GREATEST",
        "amount": "numeric",
    },
    "sqlite": {
        "days": "CAST(julianday(%s) - julianday(kept.f_start) AS integer)",
        "pace": "CAST(kept.f_paid AS real) / {days}",
        "year": "CAST(strftime('%%Y', due) AS integer)",
        "least": "MIN",
        "greatest": "MAX",
        "amount": "real",
    },
}


def periods(reference: dt.date) -> list[tuple[int, int]]:
    """(year, days) from the day after the reference date: the rest of its year, if any,
    then FORECAST_YEARS whole years."""
    found = []
    rest = (dt.date(reference.year, 12, 31) - reference).days
    if rest:
        found.append((reference.year, rest))
    for year in range(reference.year + 1, reference.year + 1 + FORECAST_YEARS):
        found.append((year, (dt.date(year, 12, 31) - dt.date(year - 1, 12, 31)).days))
    return found


def _sql(kept_sql: str, spans: list[tuple[int, int]]) -> str:
    sql = _SQL[connection.vendor]
    least, greatest, amount = sql["least"], sql["greatest"], sql["amount"]
    paid, before = [], 0
    for _year, length in spans:
        paid.append(f"SUM({least}(pace * {length}, {greatest}(rest - pace * {before}, 0)))")
        before += length
    later = f"SUM({greatest}(rest - pace * {before}, 0))"
    no_amounts = ", ".join([f"CAST(NULL AS {amount})"] * (len(spans) + 1))
    stopped, finished, days = "%s", "%s, %s", sql["days"]
    return f"""
WITH kept AS ({kept_sql}),
projects AS (
    SELECT kept.f_status AS status, kept.f_code AS code,
           CASE WHEN kept.f_status IN ({finished}) THEN NULL ELSE (
               SELECT CASE WHEN s.status = %s AND s.realised_on IS NOT NULL THEN s.realised_on
                           ELSE COALESCE(s.forecast_date, m.deadline) END
               FROM milestones_milestone m
               JOIN milestones_milestonestatus s ON s.milestone_id = m.id AND s.round_id = %s
               WHERE m.project_id = kept.f_project
               ORDER BY m.deadline DESC, m.number DESC
               LIMIT 1
           ) END AS due,
           kept.f_paid AS paid, {days} AS days,
           -- Computed once here: the query below reads a CTE's columns, it may inline
           -- their expressions where they are read.
           CASE WHEN kept.f_status <> {stopped} AND kept.f_paid > 0 AND {days} >= {MIN_DAYS}
                THEN {sql["pace"].format(days=days)} END AS pace,
           {greatest}(COALESCE(kept.f_budget, 0) - kept.f_paid, 0) AS rest
    FROM kept
),
paced AS (SELECT pace, rest FROM projects WHERE pace IS NOT NULL)
SELECT 0 AS part, year, COUNT(*), CAST(NULL AS varchar(50)), {no_amounts}
FROM (
    SELECT CASE WHEN due IS NULL THEN -1 WHEN due <= %s THEN 0 ELSE {sql["year"]} END AS year
    FROM projects WHERE status NOT IN ({finished})
) finals
GROUP BY year
UNION ALL
SELECT 1, NULL, COUNT(*), NULL, {", ".join(paid)}, {later} FROM paced
UNION ALL
SELECT 2, NULL, NULL, code, {no_amounts}
FROM projects
WHERE status <> {stopped}
  AND (paid IS NULL OR paid <= 0 OR days IS NULL OR days < {MIN_DAYS})
ORDER BY 1, 4
"""


def _decimal(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _cents(value: Decimal) -> Decimal:
    return round_half_up(value) or Decimal(0)


def forecast(reporting_round: ReportingRound, kept: Q) -> Forecast:
    """The forecast of the round's projects that ``kept`` keeps, in one query."""
    reference = reporting_round.reference_date
    spans = periods(reference)
    fiches = (
        Fiche.objects.filter(kept, round=reporting_round)
        .values(
            f_status=F("status"),
            f_code=F("project__code"),
            f_start=F("project__start_date"),
            f_budget=Coalesce("finance__budget_eur", "project__budget_eur"),
            f_paid=F("finance__paid_eur"),
            f_project=F("project_id"),
        )
        .order_by()
    )
    kept_sql, kept_params = fiches.query.sql_with_params()
    finished = [status.value for status in FINISHED]
    params = [
        *kept_params,
        *finished,  # the final milestone of the open projects only
        MilestoneState.REALISED.value,
        reporting_round.pk,
        reference,  # days
        ProjectStatus.STOPPED.value,  # pace
        reference,  # days
        reference,  # days
        reference,  # past due
        *finished,
        ProjectStatus.STOPPED.value,  # not forecast
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(kept_sql, spans), params)
        rows = cursor.fetchall()

    by_year: dict[int, int] = {}
    past_due = without = forecast_projects = 0
    expected = [Decimal(0)] * (len(spans) + 1)
    not_forecast: list[str] = []
    for part, year, count, code, *amounts in rows:
        if part == 0:
            if year == -1:
                without = count
            elif year == 0:
                past_due = count
            else:
                by_year[year] = count
        elif part == 1:
            forecast_projects = count
            expected = [_decimal(amount) for amount in amounts]
        else:
            not_forecast.append(code)
    first = spans[0][0]  # the reference year while part of it is still to come
    years = range(first, max(by_year, default=first) + 1)
    return Forecast(
        reference_year=reference.year,
        final_milestones=tuple(YearCount(year, by_year.get(year, 0)) for year in years),
        past_due=past_due,
        without_milestones=without,
        paid=tuple(
            YearAmount(year, _cents(amount))
            for (year, _days), amount in zip(spans, expected, strict=False)
        ),
        paid_later_eur=_cents(expected[-1]),
        forecast_projects=forecast_projects,
        not_forecast=tuple(not_forecast),
    )
