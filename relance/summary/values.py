"""A round's figures as values: what ``round_summary`` (figures.py) computes, with their
JSON (interfaces.md), and the rounding that every figure shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from milestones.models import MilestoneState
from projects.models import ProjectStatus, ReportingRound

from .extras import Changes, Forecast, Observation, TransitionTotals

PROJECT_STATUSES: tuple[str, ...] = tuple(ProjectStatus.values)
MILESTONE_STATUSES: tuple[str, ...] = tuple(MilestoneState.values)
GOOD_MILESTONES = (MilestoneState.REALISED, MilestoneState.ON_SCHEDULE)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def round_half_up(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part`` as an exact percentage of ``whole`` (None of nothing)."""
    return Decimal(part) * HUNDRED / Decimal(whole) if whole else None


@dataclass(frozen=True)
class ProjectFigures:
    total: int
    counts: Mapping[str, int]  # every ProjectStatus value, 0 where none
    # Of the total: finished projects' fiches carried unchanged into this round.
    carried_forward: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **{status: self.counts[status] for status in PROJECT_STATUSES},
            "carried_forward": self.carried_forward,
        }


@dataclass(frozen=True)
class MilestoneFigures:
    total: int
    counts: Mapping[str, int]  # every MilestoneState value
    on_schedule_or_realised: int
    on_schedule_or_realised_pct: Decimal | None

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **{status: self.counts[status] for status in MILESTONE_STATUSES},
            "on_schedule_or_realised": self.on_schedule_or_realised,
            "on_schedule_or_realised_pct": _number(self.on_schedule_or_realised_pct),
        }


@dataclass(frozen=True)
class MoneyFigures:
    """VAK and VEK as a share of the round's envelope (the whole plan) or of the scope's
    budget (a speerpunt, a filtered summary: ``envelope_eur`` is None there); the change
    since the previous round."""

    budget_eur: Decimal
    envelope_eur: Decimal | None
    committed_eur: Decimal
    paid_eur: Decimal
    committed_pct: Decimal | None
    paid_pct: Decimal | None
    committed_change_eur: Decimal | None
    paid_change_eur: Decimal | None
    committed_change_pct_points: Decimal | None
    paid_change_pct_points: Decimal | None

    @property
    def base_eur(self) -> Decimal:
        """What the percentages are of: the envelope, else the budget."""
        return self.envelope_eur if self.envelope_eur is not None else self.budget_eur

    def as_json(self) -> dict[str, Any]:
        return {
            "budget_eur": _amount(self.budget_eur),
            "envelope_eur": _amount(self.envelope_eur),
            "committed_eur": _amount(self.committed_eur),
            "committed_pct": _number(self.committed_pct),
            "paid_eur": _amount(self.paid_eur),
            "paid_pct": _number(self.paid_pct),
            "committed_change_eur": _amount(self.committed_change_eur),
            "paid_change_eur": _amount(self.paid_change_eur),
            "paid_change_pct_points": _number(self.paid_change_pct_points),
            "committed_change_pct_points": _number(self.committed_change_pct_points),
        }


@dataclass(frozen=True)
class Figures:
    projects: ProjectFigures
    milestones: MilestoneFigures
    finance: MoneyFigures

    def as_json(self) -> dict[str, Any]:
        return {
            "projects": self.projects.as_json(),
            "milestones": self.milestones.as_json(),
            "finance": self.finance.as_json(),
        }


@dataclass(frozen=True)
class SpeerpuntFigures:
    number: int
    name: str
    figures: Figures
    name_en: str = ""  # for English text; not part of the JSON

    def as_json(self) -> dict[str, Any]:
        return {"speerpunt": self.number, "naam": self.name, **self.figures.as_json()}


# From bad to good: the status that colours a cluster in the dashboard's heat map.
WORST_FIRST: tuple[str, ...] = (
    ProjectStatus.ACTION_REQUIRED,
    ProjectStatus.ATTENTION,
    ProjectStatus.NOT_STARTED,
    ProjectStatus.STARTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.REALISED,
    ProjectStatus.STOPPED,
)


@dataclass(frozen=True)
class ClusterFigures:
    """The projects of one cluster per status; not part of the JSON."""

    number: int
    name: str
    speerpunt: int  # the speerpunt's number
    projects: ProjectFigures

    @property
    def worst_status(self) -> str | None:
        return next((s for s in WORST_FIRST if self.projects.counts[s]), None)


@dataclass(frozen=True)
class RoundSummary:
    round: ReportingRound
    previous: ReportingRound | None
    totals: Figures
    by_speerpunt: tuple[SpeerpuntFigures, ...]
    # Counted by the same query as the speerpunten's projects, for the heat map.
    by_cluster: tuple[ClusterFigures, ...] = ()
    # What the figures are restricted to (round_summary's keyword filters).
    speerpunt: int | None = None
    domain: str | None = None
    rrf_only: bool = False
    # What the summary says beyond the counts (extras.py); empty where not computed.
    changes: Changes = Changes()
    milestone_years: tuple[int, int] | None = None  # the first and last deadline's year
    transitions: TransitionTotals | None = None
    forecast: Forecast | None = None
    observations: tuple[Observation, ...] = ()

    @property
    def is_filtered(self) -> bool:
        return self.speerpunt is not None or self.domain is not None or self.rrf_only

    @property
    def code(self) -> str:
        return self.round.code

    @property
    def reference_date(self) -> dt.date:
        return self.round.reference_date

    def as_json(self) -> dict[str, Any]:
        """The object ``manage.py round_summary --json`` prints (interfaces.md)."""
        return {
            "round": self.round.code,
            "reference_date": self.round.reference_date.isoformat(),
            "previous_round": self.previous.code if self.previous else None,
            **self.totals.as_json(),
            "by_speerpunt": [speerpunt.as_json() for speerpunt in self.by_speerpunt],
            "changes": self.changes.as_json(),
            "milestone_years": (
                None
                if self.milestone_years is None
                else {"first": self.milestone_years[0], "last": self.milestone_years[1]}
            ),
            "transitions": None if self.transitions is None else self.transitions.as_json(),
            "forecast": None if self.forecast is None else self.forecast.as_json(),
            "observations": [observation.as_json() for observation in self.observations],
        }


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENT):f}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
