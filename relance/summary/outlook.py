"""The summary's look back and ahead: the change of the headline figures since earlier
rounds, the money tagged per transition, and the forecast (extras.py holds the values).

The forecast takes one set-based query whatever the plan's size (forecast.py); the rest is
computed from what ``round_summary`` already counted.

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

from collections.abc import Mapping
from decimal import Decimal

from projects.models import ProjectStatus, ReportingRound

from .extras import TRANSITIONS, Change, Headline, Tagged, Transitions
from .forecast import forecast
from .values import GOOD_MILESTONES, round_half_up, share

__all__ = ["change", "forecast", "headline", "transitions"]


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
