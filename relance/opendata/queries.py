"""The published rows: closed rounds only, whatever the caller passes in.

Each round-bound query filters on the round's state as well as on the round itself, so
that even a caller that hands in an open round gets nothing back.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, IndicatorDefinition, IndicatorValue, Project, ReportingRound
from projects.models.rounds import RoundState

CLOSED = RoundState.CLOSED


def published_rounds() -> QuerySet[ReportingRound]:
    """The closed rounds, newest first."""
    return ReportingRound.objects.closed().order_by("-reference_date")


def published_round(code: str) -> ReportingRound:
    """The closed round with this code, or 404 (an open or draft round is not published)."""
    return get_object_or_404(published_rounds(), code=code)


def plan_projects() -> QuerySet[Project]:
    return Project.objects.with_structure().order_by("code")


def round_fiches(reporting_round: ReportingRound) -> QuerySet[Fiche]:
    """The round's fiches with their project and money; ``round_budget_eur`` is the budget
    frozen when the round closed (the project's budget where none was frozen)."""
    return (
        Fiche.objects.filter(round=reporting_round, round__state=CLOSED)
        .select_related("round", "project__cluster__speerpunt", "project__domain", "finance")
        .annotate(
            project_code=F("project__code"),
            round_budget_eur=Coalesce("finance__budget_eur", "project__budget_eur"),
        )
        .order_by("project_code")
    )


def published_fiches() -> QuerySet[Fiche]:
    """The fiches of every closed round, newest round first (a project's, prefetched)."""
    return (
        Fiche.objects.filter(round__state=CLOSED)
        .select_related("round", "finance")
        .annotate(round_budget_eur=Coalesce("finance__budget_eur", "project__budget_eur"))
        .order_by("-round__reference_date")
    )


def plan_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("project").order_by("project__code", "number")


def round_milestone_statuses(reporting_round: ReportingRound) -> QuerySet[MilestoneStatus]:
    """The milestone statuses of the round, by project and milestone number."""
    return (
        MilestoneStatus.objects.filter(round=reporting_round, round__state=CLOSED)
        .select_related(
            "round", "milestone__project__cluster__speerpunt", "milestone__project__domain"
        )
        .annotate(
            project_code=F("milestone__project__code"), milestone_number=F("milestone__number")
        )
        .order_by("project_code", "milestone_number")
    )


def round_indicators(reporting_round: ReportingRound) -> QuerySet[IndicatorDefinition]:
    """Each indicator as the round defined it: its definition in the round, or in the latest
    closed round before it. Never a draft's definition: nothing for an open round."""
    if not reporting_round.is_closed:
        return IndicatorDefinition.objects.none()
    return (
        IndicatorDefinition.objects.as_of(reporting_round)
        .filter(round__state=CLOSED)
        .select_related("indicator__project")
        .order_by("indicator__project__code", "indicator__code")
    )


def published_indicators() -> QuerySet[IndicatorDefinition]:
    """Each indicator as the latest closed round that knows it defined it."""
    return (
        IndicatorDefinition.objects.published()
        .select_related("indicator")
        .order_by("indicator__project_id", "indicator__code")
    )


def round_indicator_values(reporting_round: ReportingRound) -> QuerySet[IndicatorValue]:
    return (
        IndicatorValue.objects.filter(round=reporting_round, round__state=CLOSED)
        .select_related("round", "indicator__project")
        .order_by("indicator__project__code", "indicator__code")
    )
