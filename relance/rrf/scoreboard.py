"""A round's RRF milestones and targets as rows of the Recovery and Resilience Scoreboard.

The columns are the Scoreboard's, in its order (shared/data/reference/
rrf_scoreboard_fields.csv). One row per RRF milestone (a milestone with an RRF reference of
an RRF project that has a fiche in the round) and one per RRF target (an indicator with an
RRF reference, as the round defines it). Two queries, whatever the plan's size.

What the Scoreboard holds and Relance does not is written as the Scoreboard writes an empty
value, ``-``: the Commission's own assessment and the disbursement date (Relance records
what the owners report, not what the Commission decided or paid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Subquery

from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import Fiche, IndicatorDefinition, IndicatorValue, ReportingRound

COLUMNS = (
    "Country",
    "Measure Reference",
    "Measure Title",
    "Milestone/Target Reference",
    "Milestone/Target Name",
    "Milestone/Target Description",
    "Milestone or Target",
    "Loans/Grants",
    "Completion Year-Quarter",
    "Unit of Measure",
    "Baseline",
    "Goal",
    "Assessment Status",
    "Milestone/Target Instalment Nr",
    "Disbursement Date",
    "Load Date",
)

EMPTY = "-"
COUNTRY = "Belgium"
# Belgium's recovery plan asked the Facility for grants only.
FINANCING = "Grants"
MILESTONE, TARGET = "Milestone", "Target"

# A milestone's status in the round, as the owner reported it, in the Scoreboard's words.
# The Scoreboard's "Satisfactorily fulfilled" is the Commission's verdict on a payment
# request: no status of ours can say it, so a realised milestone is completed, not yet
# assessed.
ASSESSMENT = {
    MilestoneState.REALISED: "Completed - not yet assessed",
    MilestoneState.ON_SCHEDULE: "On track",
    MilestoneState.DELAYED: "Delayed",
    MilestoneState.FUTURE: "Not started",
    MilestoneState.STOPPED: "Cancelled",
}
# A target's value in the round against its goal.
TARGET_REACHED = ASSESSMENT[MilestoneState.REALISED]
TARGET_UNDER_WAY = "In progress"


@dataclass(frozen=True)
class ScoreboardRow:
    """One milestone or target, its values in the order of ``COLUMNS``."""

    values: tuple[Any, ...]

    def __getitem__(self, column: str) -> Any:
        return self.values[COLUMNS.index(column)]


def _number(value: Decimal | None) -> Decimal | str:
    """A quantity without its trailing zeros (100.0000 is 100), or ``-``."""
    if value is None:
        return EMPTY
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _or_empty(value: Any) -> Any:
    return EMPTY if value in (None, "") else value


def _target_assessment(
    value: Decimal | None, baseline: Decimal | None, goal: Decimal | None
) -> str:
    """Reached when the round's value is at the goal or past it, in the direction from the
    baseline to the goal (a goal below the baseline is reached going down)."""
    if value is None:
        return EMPTY
    if goal is None:
        return TARGET_UNDER_WAY
    down = baseline is not None and goal < baseline
    reached = value <= goal if down else value >= goal
    return TARGET_REACHED if reached else TARGET_UNDER_WAY


def scoreboard_rows(reporting_round: ReportingRound, *, load_date: dt.date) -> list[ScoreboardRow]:
    """The round's RRF milestones, then its RRF targets, per project in code order."""
    reported = Fiche.objects.filter(round=reporting_round, project__is_rrf=True).values(
        "project_id"
    )
    status = MilestoneStatus.objects.filter(round=reporting_round, milestone=OuterRef("pk"))
    milestones = (
        Milestone.objects.filter(project_id__in=reported)
        .exclude(rrf_reference="")
        .annotate(
            round_status=Subquery(status.values("status")[:1]),
            round_note=Subquery(status.values("note")[:1]),
        )
        .values(
            "rrf_reference",
            "description",
            "rrf_quarter",
            "rrf_instalment",
            "round_status",
            "round_note",
            code=F("project__code"),
            measure=F("project__rrf_measure"),
            title=F("project__title"),
            order=F("number"),
        )
    )
    value = IndicatorValue.objects.filter(round=reporting_round, indicator=OuterRef("indicator"))
    targets = (
        IndicatorDefinition.objects.as_of(reporting_round)
        .filter(indicator__project_id__in=reported)
        .exclude(rrf_reference="")
        .annotate(
            round_value=Subquery(value.values("value")[:1]),
            round_note=Subquery(value.values("note")[:1]),
        )
        .values(
            "rrf_reference",
            "name",
            "unit",
            "baseline",
            "target",
            "rrf_quarter",
            "rrf_instalment",
            "round_value",
            "round_note",
            code=F("indicator__project__code"),
            measure=F("indicator__project__rrf_measure"),
            title=F("indicator__project__title"),
            order=F("indicator__code"),
        )
    )
    loaded = load_date.isoformat()
    rows: list[tuple[tuple[str, int, Any], ScoreboardRow]] = []
    for m in milestones:
        values: tuple[Any, ...] = (
            COUNTRY,
            m["measure"],
            m["title"],
            m["rrf_reference"],
            m["description"],
            _or_empty(m["round_note"]),
            MILESTONE,
            FINANCING,
            _or_empty(m["rrf_quarter"]),
            EMPTY,
            EMPTY,
            EMPTY,
            ASSESSMENT.get(m["round_status"], EMPTY),
            _or_empty(m["rrf_instalment"]),
            EMPTY,
            loaded,
        )
        rows.append(((m["code"], 0, m["order"]), ScoreboardRow(values)))
    for t in targets:
        values = (
            COUNTRY,
            t["measure"],
            t["title"],
            t["rrf_reference"],
            t["name"],
            _or_empty(t["round_note"]),
            TARGET,
            FINANCING,
            _or_empty(t["rrf_quarter"]),
            _or_empty(t["unit"]),
            _number(t["baseline"]),
            _number(t["target"]),
            _target_assessment(t["round_value"], t["baseline"], t["target"]),
            _or_empty(t["rrf_instalment"]),
            EMPTY,
            loaded,
        )
        rows.append(((t["code"], 1, t["order"]), ScoreboardRow(values)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _key, row in rows]
