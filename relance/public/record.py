"""A project's published record (/public/projects/<code>/): its fiches of the closed rounds,
its milestones with their status in each of them, its money over time and its indicators.

Six queries whatever the project's size or the plan's; nothing of an open round or a draft:
every read filters on the round being closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, IndicatorDefinition, IndicatorValue, Project, ReportingRound
from projects.models.rounds import RoundState
from relance.opendata.queries import published_fiches
from relance.reporting.charts import INK, MONEY_COLOURS

CLOSED = RoundState.CLOSED
# A project's code as the database allows it (project_code_format): anything else is no
# project, and never reaches a query (a NUL byte would make PostgreSQL refuse it).
PROJECT_CODE = re.compile(r"[A-Z]+[0-9]+")


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    statuses: list[MilestoneStatus | None]  # per round of the record, oldest first


@dataclass(frozen=True)
class IndicatorRow:
    definition: IndicatorDefinition
    values: list[Decimal | None]  # per round of the record, oldest first


@dataclass(frozen=True)
class MoneyRow:
    round: ReportingRound
    budget_eur: Decimal | None
    committed_eur: Decimal | None
    paid_eur: Decimal | None


@dataclass(frozen=True)
class PublishedRecord:
    project: Project
    fiches: list[Fiche]  # newest first
    rounds: list[ReportingRound]  # the fiches' rounds, oldest first
    milestones: list[MilestoneRow]
    money: list[MoneyRow]  # oldest first
    indicators: list[IndicatorRow]

    @property
    def latest(self) -> Fiche:
        return self.fiches[0]

    def charts(self) -> dict[str, Any]:
        """What static/js/dashboard.js draws: the money per closed round."""
        return {"moneyHistory": money_history_chart(self.money)}


def money_history_chart(money: list[MoneyRow]) -> dict[str, Any]:
    """The ``moneyHistory`` chart of static/js/dashboard.js: budget, VAK and VEK per round,
    oldest first. The public record and the project page draw it."""
    return {
        "title": _("Budget, VAK en VEK per meetmoment"),
        "axis": _("euro"),
        "unit": _("euro"),
        "labels": [str(row.round) for row in money],
        "datasets": [
            {
                "label": label,
                "data": [float(getattr(row, name) or 0) for row in money],
                "color": MONEY_COLOURS[key],
                "border": MONEY_COLOURS[key] if key != "budget" else INK,
            }
            for key, name, label in (
                ("budget", "budget_eur", _("Budget")),
                ("committed", "committed_eur", _("Vastgelegd (VAK)")),
                ("paid", "paid_eur", _("Vereffend (VEK)")),
            )
        ],
    }


def published_record(code: str) -> PublishedRecord:
    """The record of project ``code``; 404 when it has no fiche in a closed round (a project
    that only the open round knows is not published yet)."""
    if not PROJECT_CODE.fullmatch(code):
        raise Http404("No published project with this code.")
    project = (
        Project.objects.with_structure().filter(code=code, fiches__round__state=CLOSED).first()
    )
    if project is None:
        raise Http404("No published project with this code.")
    fiches = list(published_fiches().filter(project=project))
    rounds = [fiche.round for fiche in reversed(fiches)]
    column = {r.pk: index for index, r in enumerate(rounds)}

    statuses: dict[int, list[MilestoneStatus | None]] = {}
    for status in MilestoneStatus.objects.filter(
        milestone__project=project, round__state=CLOSED
    ).order_by("milestone_id"):
        if status.round_id in column:
            row = statuses.setdefault(status.milestone_id, [None] * len(rounds))
            row[column[status.round_id]] = status
    milestones = [
        MilestoneRow(milestone=milestone, statuses=statuses[milestone.pk])
        for milestone in Milestone.objects.filter(project=project, pk__in=list(statuses)).order_by(
            "number"
        )
    ]

    values: dict[int, list[Decimal | None]] = {}
    for value in IndicatorValue.objects.filter(
        indicator__project=project, round__state=CLOSED
    ).order_by("indicator_id"):
        if value.round_id in column:
            row_values = values.setdefault(value.indicator_id, [None] * len(rounds))
            row_values[column[value.round_id]] = value.value
    indicators = [
        IndicatorRow(
            definition=definition,
            values=values.get(definition.indicator_id, [None] * len(rounds)),
        )
        for definition in IndicatorDefinition.objects.published()
        .of_project(project)
        .select_related("indicator")
        .order_by("indicator__code")
    ]

    money = [
        MoneyRow(
            round=fiche.round,
            budget_eur=fiche.round_budget_eur,  # type: ignore[attr-defined]
            committed_eur=getattr(getattr(fiche, "finance", None), "committed_eur", None),
            paid_eur=getattr(getattr(fiche, "finance", None), "paid_eur", None),
        )
        for fiche in reversed(fiches)
    ]
    return PublishedRecord(
        project=project,
        fiches=fiches,
        rounds=rounds,
        milestones=milestones,
        money=money,
        indicators=indicators,
    )
