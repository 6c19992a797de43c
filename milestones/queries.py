"""Reads of milestones for the lists: functions that take and return querysets.

A milestone's status in a round is part of its project's fiche: a user reads it exactly
when ``Fiche.objects.visible_to(user)`` lets them read that project's fiche in that
round. Another domain's draft in the open round stays hidden from an editor: in the
table, in its exports and in every count or filter built on these querysets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, DateField, OuterRef, Q, QuerySet, Subquery, Value

from projects.models import Fiche, ReportingRound

from .models import Milestone, MilestoneState, MilestoneStatus


def for_table() -> QuerySet[Milestone]:
    """Every milestone with what the table shows beside it, in the plan's order."""
    return Milestone.objects.select_related(
        "project__cluster__speerpunt", "project__domain"
    ).order_by("project__code", "number")


def statuses_visible_to(user: Any, reporting_round: ReportingRound) -> QuerySet[MilestoneStatus]:
    """The milestone statuses of ``reporting_round`` that ``user`` may read."""
    readable = Fiche.objects.visible_to(user).filter(round=reporting_round).values("project_id")
    return MilestoneStatus.objects.filter(round=reporting_round, milestone__project_id__in=readable)


def with_status_in(
    milestones: QuerySet[Milestone], reporting_round: ReportingRound | None, user: Any
) -> QuerySet[Milestone]:
    """Annotate ``round_status`` and ``round_forecast`` from each milestone's status in
    ``reporting_round``; None where it has none there or ``user`` may not read it."""
    if reporting_round is None:
        return milestones.annotate(
            round_status=Value(None, output_field=CharField()),
            round_forecast=Value(None, output_field=DateField()),
        )
    status = statuses_visible_to(user, reporting_round).filter(milestone=OuterRef("pk"))
    return milestones.annotate(
        round_status=Subquery(status.values("status")[:1]),
        round_forecast=Subquery(status.values("forecast_date")[:1]),
    )


def due_within(
    milestones: QuerySet[Milestone], days: int, *, today: dt.date
) -> QuerySet[Milestone]:
    """Milestones whose deadline falls in the coming ``days`` days, today included."""
    return milestones.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))


def overdue(
    milestones: QuerySet[Milestone], reporting_round: ReportingRound | None, *, today: dt.date
) -> QuerySet[Milestone]:
    """Milestones past their deadline and still open (on schedule, delayed or not begun) in
    ``reporting_round``, as annotated by ``with_status_in``.

    A closed round's statuses describe its reference date, so the deadline is compared
    with that date; the open round's (reference date still ahead) with today.
    """
    if reporting_round is None:
        return milestones.none()
    moment = min(today, reporting_round.reference_date)
    return milestones.filter(Q(round_status__in=MilestoneState.open()), deadline__lt=moment)


def search(milestones: QuerySet[Milestone], text: str) -> QuerySet[Milestone]:
    """Milestones whose description, or whose project's code or title, contains ``text``."""
    text = text.strip()
    if not text:
        return milestones
    return milestones.filter(
        Q(description__icontains=text)
        | Q(project__code__icontains=text)
        | Q(project__title__icontains=text)
    )
