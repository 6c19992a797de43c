"""What a round's summary says beyond its counts (values only; figures.py, outlook.py and
observations.py compute them): the change of the headline figures since the previous round
and the year before, the money tagged for the climate and digital transitions, the
forecast of final milestones and of VEK per year, and the observations per speerpunt.

Every amount is a ``Decimal`` of euro with two decimals; the JSON gives it as a string, as
the rest of ``round_summary --json`` does (interfaces.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENTS = Decimal("0.01")


def amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENTS, rounding=ROUND_HALF_UP):f}"


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# The headline figures whose change the summary tells.
HEADLINE = (
    "projects_total",
    "projects_realised",
    "projects_stopped",
    "projects_flagged",
    "milestones_total",
    "milestones_on_schedule_or_realised",
    "committed_eur",
    "paid_eur",
)


@dataclass(frozen=True)
class Headline:
    """A round's headline figures (the same scope as the summary's)."""

    code: str
    name: str
    values: Mapping[str, Decimal]  # every key of HEADLINE


@dataclass(frozen=True)
class Change:
    """The headline figures now, less those of an earlier round."""

    since: Headline
    deltas: Mapping[str, Decimal]

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.since.code,
            **{
                key: amount(delta) if key.endswith("_eur") else int(delta)
                for key, delta in self.deltas.items()
            },
        }


@dataclass(frozen=True)
class Changes:
    since_previous_round: Change | None = None
    since_year_before: Change | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "since_previous_round": _json(self.since_previous_round),
            "since_year_before": _json(self.since_year_before),
        }


TRANSITIONS = ("climate", "digital")


@dataclass(frozen=True)
class Tagged:
    """The part of budget, VAK and VEK that counts for one transition: each project's amount
    times its coefficient (0, 40 or 100) over 100."""

    budget_eur: Decimal
    committed_eur: Decimal
    paid_eur: Decimal
    budget_pct: Decimal | None  # of the scope's whole budget

    def as_json(self) -> dict[str, Any]:
        return {
            "budget_eur": amount(self.budget_eur),
            "committed_eur": amount(self.committed_eur),
            "paid_eur": amount(self.paid_eur),
            "budget_pct": number(self.budget_pct),
        }


@dataclass(frozen=True)
class Transitions:
    climate: Tagged
    digital: Tagged

    def as_json(self) -> dict[str, Any]:
        return {"climate": self.climate.as_json(), "digital": self.digital.as_json()}


@dataclass(frozen=True)
class TransitionTotals:
    plan: Transitions
    by_speerpunt: tuple[tuple[int, Transitions], ...]  # (the speerpunt's number, its amounts)

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.as_json(),
            "by_speerpunt": [
                {"speerpunt": number_, **tagged.as_json()} for number_, tagged in self.by_speerpunt
            ],
        }


FORECAST_YEARS = 5  # the years after the reference year that the VEK forecast covers
FORECAST_METHOD = "linear_pace_since_start"


@dataclass(frozen=True)
class YearCount:
    year: int
    projects: int


@dataclass(frozen=True)
class YearAmount:
    year: int
    paid_eur: Decimal


@dataclass(frozen=True)
class Forecast:
    """Per year, the projects whose final milestone falls due (each project counted once:
    the projects expected to be realised that year), and the VEK expected per year at each
    project's pace of spending so far. What cannot be forecast is counted, never guessed."""

    reference_year: int
    final_milestones: tuple[YearCount, ...]  # years from the reference year on
    past_due: int  # open projects whose final milestone's date has passed
    without_milestones: int  # open projects without a milestone in the round
    paid: tuple[YearAmount, ...]
    paid_later_eur: Decimal  # expected after the last year shown
    forecast_projects: int
    not_forecast: tuple[str, ...] = field(default=())  # project codes: too little data

    @property
    def open_projects(self) -> int:
        return (
            sum(y.projects for y in self.final_milestones)
            + self.past_due
            + (self.without_milestones)
        )

    @property
    def years(self) -> list[tuple[int, int | None, Decimal | None]]:
        """(year, final milestones, expected VEK) for every year either covers."""
        counts = {y.year: y.projects for y in self.final_milestones}
        amounts = {y.year: y.paid_eur for y in self.paid}
        return [(year, counts.get(year), amounts.get(year)) for year in sorted({*counts, *amounts})]

    @property
    def peak_years(self) -> list[YearCount]:
        """The (up to three) years with the most final milestones, in calendar order."""
        busiest = sorted(self.final_milestones, key=lambda y: (-y.projects, y.year))[:3]
        return sorted((y for y in busiest if y.projects), key=lambda y: y.year)

    def as_json(self) -> dict[str, Any]:
        return {
            "method": FORECAST_METHOD,
            "final_milestones": {
                "by_year": [
                    {"year": y.year, "projects": y.projects} for y in self.final_milestones
                ],
                "past_due": self.past_due,
                "without_milestones": self.without_milestones,
            },
            "paid": {
                "by_year": [{"year": y.year, "paid_eur": amount(y.paid_eur)} for y in self.paid],
                "later_eur": amount(self.paid_later_eur),
                "forecast_projects": self.forecast_projects,
                "not_forecast_projects": len(self.not_forecast),
                "not_forecast": list(self.not_forecast),
            },
        }


@dataclass(frozen=True)
class Observation:
    """A statement about speerpunten, chosen by a stated rule (observations.py), with the
    numbers it rests on: for each speerpunt named, ``part`` of ``whole`` and their share."""

    rule: str
    unit: str  # what part and whole count: "milestones", "projects" or "eur"
    speerpunten: tuple[int, ...]
    values: tuple[tuple[int, Decimal, Decimal, Decimal | None], ...]  # number, part, whole, pct
    threshold_pct: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        def plain(value: Decimal) -> int | str | None:
            return amount(value) if self.unit == "eur" else int(value)

        return {
            "rule": self.rule,
            "unit": self.unit,
            "speerpunten": list(self.speerpunten),
            "values": [
                {"speerpunt": n, "part": plain(part), "whole": plain(whole), "pct": number(pct)}
                for n, part, whole, pct in self.values
            ],
            "threshold_pct": number(self.threshold_pct),
        }


def _json(value: Any) -> Any:
    return None if value is None else value.as_json()
