"""A plan for the review desk: a closed round and the open one after it, in which each
project's fiche is submitted, either unchanged since the closed round or changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from milestones.models import MilestoneState
from projects.models import Fiche, PolicyDomain, ProjectStatus, ReportingRound, ReviewState
from projects.models.rounds import RoundState
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

FORECAST = dt.date(2031, 6, 30)


@dataclass
class DeskPlan:
    closed: ReportingRound
    open: ReportingRound
    unchanged: list[Fiche] = field(default_factory=list)
    changed: list[Fiche] = field(default_factory=list)


def _fiche(reporting_round: ReportingRound, project, narrative: str, paid: str, status: str):
    fiche = FicheFactory(
        round=reporting_round,
        project=project,
        narrative=narrative,
        status=ProjectStatus.IN_PROGRESS,
        owner_status=ProjectStatus.IN_PROGRESS,
    )
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("1000.00"), paid_eur=Decimal(paid))
    for milestone in project.milestones.order_by("number"):
        moved = status == MilestoneState.DELAYED and milestone.number == 2
        MilestoneStatusFactory(
            round=reporting_round,
            milestone=milestone,
            status=status if milestone.number == 2 else MilestoneState.ON_SCHEDULE,
            forecast_date=FORECAST if moved else None,
            delay_reason="Vergunning" if moved else "",
        )
    return fiche


def desk_plan(domains: list[PolicyDomain], unchanged: int, changed: int) -> DeskPlan:
    """``unchanged`` projects whose open fiche says what the closed round's said, and
    ``changed`` ones whose VEK and second milestone moved (delayed now); the projects take
    the domains in turn. Every open fiche is submitted."""
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    projects = []
    for number in range(unchanged + changed):
        project = ProjectFactory(domain=domains[number % len(domains)])
        for milestone in (1, 2):
            MilestoneFactory(project=project, number=milestone, deadline=dt.date(2030, 6, 30))
        _fiche(closed, project, "Loopt volgens plan.", "600.00", MilestoneState.ON_SCHEDULE)
        projects.append(project)
    closed.close(by=None)
    current = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    plan = DeskPlan(closed=closed, open=current)
    for number, project in enumerate(projects):
        if number < unchanged:
            # The same, but for whitespace around the narrative.
            fiche = _fiche(current, project, " Loopt volgens plan.\n", "600.00", "on_schedule")
            plan.unchanged.append(fiche)
        else:
            fiche = _fiche(current, project, "Loopt volgens plan.", "450.00", "delayed")
            plan.changed.append(fiche)
    Fiche.objects.filter(round=current).update(
        review_state=ReviewState.SUBMITTED, submitted_at=timezone.now()
    )
    for fiche in plan.unchanged + plan.changed:
        fiche.refresh_from_db()
    return plan
