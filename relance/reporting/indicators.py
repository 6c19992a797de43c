"""The two indicator notes of a round: the impact-indicator note (impact and outcome
indicators: the plan's effects) and the output-indicator overview (output indicators).

Each lists the indicators of the round's projects as the round defines them (a later draft
never rewrites a closed round), grouped per speerpunt: target against the value reported in
the round, and the change since the previous round. Three queries whatever the plan's size.
The caller decides who may read the round (access.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from projects.models import (
    Fiche,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    ReportingRound,
)
from relance.summary.values import round_half_up

NOTES: dict[str, tuple[str, ...]] = {
    "impact": (IndicatorKind.IMPACT, IndicatorKind.OUTCOME),
    "output": (IndicatorKind.OUTPUT,),
}


@dataclass(frozen=True)
class IndicatorRow:
    project_code: str
    project_title: str
    code: str
    name: str
    kind: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    target_date: object
    value: Decimal | None
    previous_value: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def progress_pct(self) -> Decimal | None:
        """How far from the baseline (0%) to the target (100%) the value is."""
        if self.value is None or self.target is None:
            return None
        start = self.baseline or Decimal(0)
        if self.target == start:
            return None
        return round_half_up((self.value - start) * 100 / (self.target - start))

    @property
    def target_reached(self) -> bool:
        pct = self.progress_pct
        return pct is not None and pct >= 100


@dataclass
class IndicatorGroup:
    number: int
    name: str
    name_en: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class IndicatorNote:
    note: str  # "impact" or "output"
    round: ReportingRound
    previous: ReportingRound | None
    groups: list[IndicatorGroup]

    @property
    def count(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    @property
    def reached(self) -> int:
        return sum(row.target_reached for group in self.groups for row in group.rows)

    @property
    def reported(self) -> int:
        return sum(row.value is not None for group in self.groups for row in group.rows)

    def as_json(self) -> dict[str, object]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else f"{value.normalize():f}"

        return {
            "note": self.note,
            "round": self.round.code,
            "previous_round": self.previous.code if self.previous else None,
            "by_speerpunt": [
                {
                    "speerpunt": group.number,
                    "indicators": [
                        {
                            "project": row.project_code,
                            "code": row.code,
                            "name": row.name,
                            "kind": row.kind,
                            "unit": row.unit,
                            "baseline": text(row.baseline),
                            "target": text(row.target),
                            "value": text(row.value),
                            "previous_value": text(row.previous_value),
                            "change": text(row.change),
                            "progress_pct": None
                            if row.progress_pct is None
                            else float(row.progress_pct),
                        }
                        for row in group.rows
                    ],
                }
                for group in self.groups
            ],
        }


def indicator_note(reporting_round: ReportingRound, note: str) -> IndicatorNote:
    """The ``note`` ("impact" or "output") of ``reporting_round``; KeyError for another."""
    kinds = NOTES[note]
    previous = reporting_round.previous()
    rounds = [reporting_round.pk] + ([previous.pk] if previous else [])
    definitions = (
        IndicatorDefinition.objects.as_of(reporting_round)
        .filter(
            kind__in=kinds,
            indicator__project_id__in=Fiche.objects.filter(round=reporting_round).values(
                "project_id"
            ),
        )
        .select_related("indicator__project__cluster__speerpunt")
        .prefetch_related(
            Prefetch(
                "indicator__values",
                queryset=IndicatorValue.objects.filter(round_id__in=rounds),
                to_attr="note_values",
            )
        )
        .order_by(
            "indicator__project__cluster__speerpunt__number",
            "indicator__project__code",
            "indicator__code",
        )
    )
    groups: dict[int, IndicatorGroup] = {}
    for definition in definitions:
        indicator = definition.indicator
        project = indicator.project
        speerpunt = project.cluster.speerpunt
        values = {v.round_id: v.value for v in indicator.note_values}  # type: ignore[attr-defined]
        group = groups.setdefault(
            speerpunt.number, IndicatorGroup(speerpunt.number, speerpunt.name, speerpunt.name_en)
        )
        group.rows.append(
            IndicatorRow(
                project_code=project.code,
                project_title=project.title,
                code=indicator.code,
                name=definition.name,
                kind=definition.kind,
                unit=definition.unit,
                baseline=definition.baseline,
                target=definition.target,
                target_date=definition.target_date,
                value=values.get(reporting_round.pk),
                previous_value=values.get(previous.pk) if previous else None,
            )
        )
    return IndicatorNote(
        note=note, round=reporting_round, previous=previous, groups=list(groups.values())
    )
