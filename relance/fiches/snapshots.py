"""A fiche as the rules in ``checks`` see it: a snapshot of what it says, with the same
project's fiche of the previous round, built for many fiches at once (``snapshots``) in a
constant number of queries. A workbook's rows can be turned into the same views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import (
    Fiche,
    FollowUpAction,
    Indicator,
    IndicatorValue,
    ProjectStatus,
    ReportingRound,
)
from projects.models.rounds import RoundState


@dataclass(frozen=True)
class MilestoneView:
    """A milestone with its status in the fiche's round; ``status`` is "" when it has none."""

    id: int
    number: int
    description: str
    deadline: dt.date
    status: str = ""
    realised_on: dt.date | None = None
    forecast_date: dt.date | None = None
    delay_reason: str = ""
    # -- early warnings (``early_warnings``) --
    # The milestone's EU milestone or target reference ("" outside the RRF) and in how many
    # rounds up to this one its expected date moved later.
    rrf_reference: str = ""
    postponements: int = 0


@dataclass(frozen=True)
class IndicatorView:
    """One of the project's indicators with its value in the fiche's round (None: none)."""

    id: int
    code: str
    value: Decimal | None


@dataclass(frozen=True)
class FicheView:
    """A fiche as the rules see it. ``status`` is the project's status at the round (the
    coordinators' flag while one is raised), ``owner_status`` what the owner reported;
    ``budget_eur`` the project's budget at the round (frozen when it closed);
    ``previous`` the project's fiche in the previous round (whose own ``previous`` is None),
    or None when it had none."""

    project: str
    reference_date: dt.date
    status: str
    owner_status: str
    narrative: str
    committed_eur: Decimal | None
    paid_eur: Decimal | None
    budget_eur: Decimal | None
    milestones: tuple[MilestoneView, ...] = ()
    indicators: tuple[IndicatorView, ...] = ()
    previous: FicheView | None = None
    # -- early warnings (``early_warnings``) --
    # The project's start and end dates; the earliest due date of an open follow-up action
    # of the flag raised on the fiche (None: none); the day a follow-up is overdue against
    # (today in the open round, the reference date in a closed one; None: the reference
    # date).
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    follow_up_due: dt.date | None = None
    checked_on: dt.date | None = None

    @property
    def flag(self) -> str | None:
        """The level of the coordinators' raised flag, if any (it is then the status)."""
        return self.status if self.status in ProjectStatus.flags() else None


def snapshot(fiche: Fiche) -> FicheView:
    """One fiche's view (see ``snapshots``)."""
    return snapshots([fiche])[fiche.pk]


def snapshots(fiches: Iterable[Fiche]) -> dict[int, FicheView]:
    """The views of these fiches, by fiche id, each with its project's fiche of the previous
    round (the closed round before its own). Seven queries, however many fiches; none for none.
    """
    ids = [fiche.pk for fiche in fiches]
    if not ids:
        return {}
    return loaded_snapshots(list(for_snapshots(Fiche.objects.filter(pk__in=ids))))


def for_snapshots(fiches: QuerySet[Fiche]) -> QuerySet[Fiche]:
    """``fiches`` with what ``loaded_snapshots`` reads of them: a caller that needs the
    fiches too (a round's, ``relance/quality/report.py``) loads them once."""
    return fiches.select_related("project", "finance").annotate(
        follow_up_due=FollowUpAction.objects.open().of_raised_flags().earliest_due()
    )


def loaded_snapshots(current: list[Fiche]) -> dict[int, FicheView]:
    """``snapshots`` of fiches loaded by ``for_snapshots``: six queries; none for none."""
    if not current:
        return {}
    # The rounds (a handful) once, not one per fiche.
    rounds_by_id = {r.pk: r for r in ReportingRound.objects.order_by("-reference_date")}
    closed = [
        (r.pk, r.reference_date) for r in rounds_by_id.values() if r.state == RoundState.CLOSED
    ]
    previous_round = {
        fiche.round_id: next(
            (pk for pk, date in closed if date < rounds_by_id[fiche.round_id].reference_date),
            None,
        )
        for fiche in current
    }
    # One condition per previous round (a handful), not per fiche.
    projects_before: dict[int, set[int]] = {}
    for fiche in current:
        if (round_id := previous_round[fiche.round_id]) is not None:
            projects_before.setdefault(round_id, set()).add(fiche.project_id)
    earlier = (
        list(
            Fiche.objects.filter(
                reduce(
                    or_,
                    (Q(round_id=r, project_id__in=p) for r, p in projects_before.items()),
                )
            ).select_related("project", "finance")
        )
        if projects_before
        else []
    )
    every = current + earlier
    projects = {fiche.project_id for fiche in every}
    rounds = {fiche.round_id for fiche in every}
    # Plain rows, not model instances: at a hundred plans' size a round holds 175,000.
    milestones: dict[int, list[_MilestoneRow]] = {}
    for row in (
        Milestone.objects.filter(project_id__in=projects)
        .order_by("number")
        .values_list("project_id", "pk", "number", "description", "deadline", "rrf_reference")
    ):
        milestones.setdefault(row[0], []).append(row[1:])
    statuses: dict[tuple[int, int], _StatusRow] = {
        (round_id, milestone_id): rest
        for round_id, milestone_id, *rest in MilestoneStatus.objects.filter(
            round_id__in=rounds, milestone__project_id__in=projects
        ).values_list(
            "round_id",
            "milestone_id",
            "status",
            "realised_on",
            "forecast_date",
            "delay_reason",
            "postponements",
        )
    }
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(project_id__in=projects).order_by("code"):
        indicators.setdefault(indicator.project_id, []).append(indicator)
    values = {
        (value.round_id, value.indicator_id): value.value
        for value in IndicatorValue.objects.filter(
            round_id__in=rounds, indicator__project_id__in=projects
        )
    }

    def view(fiche: Fiche, previous: FicheView | None) -> FicheView:
        fiche_round = rounds_by_id[fiche.round_id]
        finance: FinanceReport | None = getattr(fiche, "finance", None)
        # A closed round keeps the budget of its moment; an open one counts today's.
        budget = finance.budget_eur if finance else None
        return FicheView(
            project=fiche.project.code,
            reference_date=fiche_round.reference_date,
            status=fiche.status,
            owner_status=fiche.owner_status,
            narrative=fiche.narrative,
            committed_eur=finance.committed_eur if finance else None,
            paid_eur=finance.paid_eur if finance else None,
            budget_eur=budget if budget is not None else fiche.project.budget_eur,
            milestones=tuple(
                _milestone_view(m, statuses.get((fiche.round_id, m[0])))
                for m in milestones.get(fiche.project_id, [])
            ),
            indicators=tuple(
                IndicatorView(id=i.pk, code=i.code, value=values.get((fiche.round_id, i.pk)))
                for i in indicators.get(fiche.project_id, [])
            ),
            previous=previous,
            # -- early warnings --
            start_date=fiche.project.start_date,
            end_date=fiche.project.end_date,
            follow_up_due=getattr(fiche, "follow_up_due", None),
            checked_on=today if fiche_round.is_open else fiche_round.reference_date,
        )

    today = timezone.localdate()
    before = {(fiche.round_id, fiche.project_id): view(fiche, None) for fiche in earlier}
    return {
        fiche.pk: view(fiche, before.get((previous_round[fiche.round_id] or 0, fiche.project_id)))
        for fiche in current
    }


# (id, number, description, deadline, rrf_reference) and
# (status, realised_on, forecast_date, delay_reason, postponements).
_MilestoneRow = tuple[int, int, str, dt.date, str]
_StatusRow = list[Any]


def _milestone_view(milestone: _MilestoneRow, status: _StatusRow | None) -> MilestoneView:
    pk, number, description, deadline, rrf_reference = milestone
    if status is None:
        return MilestoneView(pk, number, description, deadline, rrf_reference=rrf_reference)
    state, realised_on, forecast_date, delay_reason, postponements = status
    return MilestoneView(
        pk,
        number,
        description,
        deadline,
        status=state,
        realised_on=realised_on,
        forecast_date=forecast_date,
        delay_reason=delay_reason,
        rrf_reference=rrf_reference,
        postponements=postponements,
    )
