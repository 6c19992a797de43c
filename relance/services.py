"""Workflows across the plan: opening and closing rounds, and a project leaving the plan.

They touch projects, milestones and finance together, so they live here, the one package
that imports all three. Each is one transaction and raises ``ValidationError`` with a
message for people when it cannot be done. Saving a fiche and its review are the fiche's
own (``relance.fiches``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import FinanceReport
from finance.services import freeze_budgets
from milestones.models import MilestoneStatus
from projects.analyze import analyze_after_commit
from projects.models import (
    Fiche,
    FollowUpAction,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewEvent,
    ReviewState,
    StatusFlag,
    User,
)
from projects.models.rounds import RoundState
from relance.closed_rounds import after_close
from relance.fiches.review import carry_flags

R = TypeVar("R", bound=Model)

# -- rounds ----------------------------------------------------------------------------------


@transaction.atomic
def open_round(*, reporting_round: ReportingRound, by: User) -> int:
    """Open a round in preparation: a fiche for every project in the plan at this round
    (``Project.objects.in_plan_at``), each starting from the project's latest closed fiche.

    - A finished project (that fiche realised or stopped) has it carried forward unchanged:
      status, narrative, VAK/VEK, milestone statuses and indicator values, approved and
      marked ``carried_forward``. It needs no work and keeps counting, so realised counts
      and cumulative money never fall because projects finished.
    - A running project gets a draft pre-filled the same way, with the owner's status (a
      coordinators' flag belonged to its round).
    - A project new to the plan gets an empty draft.

    Every indicator of these projects gets this round's definition: its pending one (given
    while no round was open) is taken over, else its latest closed round's is copied.
    A constant number of queries, whatever the plan's size. Returns the number of fiches
    created, carried ones included.
    """
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if reporting_round.state != RoundState.DRAFT:
        raise ValidationError(_("Alleen een meetmoment in voorbereiding kan geopend worden."))
    current = ReportingRound.objects.open().first()
    if current:
        raise ValidationError(
            _("Meetmoment %(round)s is nog open: sluit het eerst.") % {"round": current}
        )
    # Each project's latest closed fiche before this round, in whichever round it was: an
    # imported history may lack a finished project's fiche in the rounds after it finished.
    latest_fiche = Subquery(
        _latest_closed_before(reporting_round, Fiche.objects.filter(project=OuterRef("pk")))
    )
    in_plan = list(
        Project.objects.in_plan_at(reporting_round)
        .annotate(latest_fiche=latest_fiche)
        .order_by("code")
        .values_list("pk", "latest_fiche")
    )
    sources = {
        fiche.project_id: fiche
        for fiche in Fiche.objects.filter(
            pk__in=[pk for _project, pk in in_plan if pk is not None]
        ).select_related("finance")
    }
    fiches = Fiche.objects.bulk_create(
        _fiche_from(reporting_round, project_id, sources.get(project_id))
        for project_id, _latest in in_plan
    )
    FinanceReport.objects.bulk_create(
        FinanceReport(
            fiche=fiche,
            committed_eur=_previous_finance(sources.get(fiche.project_id), "committed_eur"),
            paid_eur=_previous_finance(sources.get(fiche.project_id), "paid_eur"),
        )
        for fiche in fiches
    )
    # One condition per round the projects start from (a handful), not per project.
    from_rounds: dict[int, list[int]] = {}
    for fiche in sources.values():
        from_rounds.setdefault(fiche.round_id, []).append(fiche.project_id)
    copied = 0
    if from_rounds:
        milestones = Q()
        values = Q()
        for round_id, project_ids in from_rounds.items():
            milestones |= Q(round_id=round_id, milestone__project_id__in=project_ids)
            values |= Q(round_id=round_id, indicator__project_id__in=project_ids)
        copied += len(
            MilestoneStatus.objects.bulk_create(
                copied_into(reporting_round, MilestoneStatus.objects.filter(milestones))
            )
        )
        copied += len(
            IndicatorValue.objects.bulk_create(
                copied_into(reporting_round, IndicatorValue.objects.filter(values))
            )
        )
    _define_indicators(reporting_round, [project_id for project_id, _latest in in_plan])
    carry_flags(previous=reporting_round.previous(), into=reporting_round)
    reporting_round.state = RoundState.OPEN
    if reporting_round.opens_on is None:
        today = timezone.localdate()
        deadline = reporting_round.deadline
        reporting_round.opens_on = min(today, deadline) if deadline else today
    try:
        with transaction.atomic():
            reporting_round.save(update_fields=["state", "opens_on"])
    except IntegrityError as error:
        # PostgreSQL names the constraint, SQLite the column.
        marks = ("round_at_most_one_open", "projects_reportinground.state")
        if not any(mark in str(error) for mark in marks):
            raise
        # Another round was opened at the same moment.
        raise ValidationError(_("Er is al een open meetmoment.")) from error
    # A new round's rows in bulk leave PostgreSQL's statistics stale: refreshed once committed.
    analyze_after_commit(
        [Fiche, FinanceReport, MilestoneStatus, IndicatorValue, IndicatorDefinition],
        rows=2 * len(fiches) + copied,
    )
    return len(fiches)


def _fiche_from(reporting_round: ReportingRound, project_id: int, source: Fiche | None) -> Fiche:
    """The new round's fiche of a project, from its latest closed fiche (see open_round)."""
    if source is None:
        return Fiche(round=reporting_round, project_id=project_id)
    if source.status in ProjectStatus.finished():
        return Fiche(
            round=reporting_round,
            project_id=project_id,
            status=source.status,
            owner_status=source.owner_status,
            narrative=source.narrative,
            review_state=ReviewState.APPROVED,
            carried_forward=True,
        )
    return Fiche(
        round=reporting_round,
        project_id=project_id,
        # No flag yet in the new round: carry_flags raises the ones that carry over.
        status=ProjectStatus.of_round(source.owner_status, None),
        owner_status=source.owner_status,
        narrative=source.narrative,
    )


def copied_into(reporting_round: ReportingRound, rows: Iterable[R]) -> list[R]:
    """Unsaved copies of another round's ``rows`` (milestone statuses, indicator values or
    definitions) for ``reporting_round``: every field taken over but the key and the round."""
    return [
        type(row)(
            round=reporting_round,
            **{
                f.attname: getattr(row, f.attname)
                for f in row._meta.concrete_fields
                if not f.primary_key and f.name != "round"
            },
        )
        for row in rows
    ]


def _latest_closed_before(reporting_round: ReportingRound, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The key of the one of ``rows`` in the latest closed round before ``reporting_round``,
    to use as a subquery."""
    return (
        rows.filter(
            round__state=RoundState.CLOSED,
            round__reference_date__lt=reporting_round.reference_date,
        )
        .order_by("-round__reference_date")
        .values("pk")[:1]
    )


def _define_indicators(reporting_round: ReportingRound, project_ids: list[int]) -> None:
    """Give every indicator of these projects its definition in ``reporting_round``: the
    pending one (round empty) is taken over, else the latest closed round's is copied. An
    indicator that has one in this round already keeps it."""
    has_one = IndicatorDefinition.objects.filter(
        round=reporting_round, indicator=OuterRef("indicator")
    )
    IndicatorDefinition.objects.filter(
        round__isnull=True, indicator__project_id__in=project_ids
    ).alias(has_one=Exists(has_one)).filter(has_one=False).update(round=reporting_round)
    latest = _latest_closed_before(
        reporting_round, IndicatorDefinition.objects.filter(indicator=OuterRef("pk"))
    )
    to_copy = (
        Indicator.objects.filter(project_id__in=project_ids)
        .exclude(definitions__round=reporting_round)
        .annotate(latest=Subquery(latest))
        .values("latest")
    )
    IndicatorDefinition.objects.bulk_create(
        copied_into(reporting_round, IndicatorDefinition.objects.filter(pk__in=to_copy))
    )


def _previous_finance(fiche: Fiche | None, field_name: str) -> Decimal | None:
    finance = getattr(fiche, "finance", None) if fiche else None
    return getattr(finance, field_name) if finance else None


@dataclass(frozen=True)
class RoundReadiness:
    """How far a round is from closing: fiches not yet submitted, and not yet reviewed."""

    unsubmitted: int
    unreviewed: int

    @property
    def ready(self) -> bool:
        return not (self.unsubmitted or self.unreviewed)


def round_readiness(reporting_round: ReportingRound) -> RoundReadiness:
    counts = Fiche.objects.filter(round=reporting_round).aggregate(
        unsubmitted=Count(
            "pk", filter=Q(review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED])
        ),
        unreviewed=Count("pk", filter=Q(review_state=ReviewState.SUBMITTED)),
    )
    return RoundReadiness(**counts)


@transaction.atomic
def close_round(*, reporting_round: ReportingRound, by: User, reason: str = "") -> None:
    """Freeze the open round for good.

    Refused while fiches are unsubmitted or unreviewed, unless a reason is given (it is
    kept on the round). The round keeps each project's budget of this moment and its
    envelope (``ReportingRound.close``), so its percentages never move when money is
    shifted later.
    """
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not reporting_round.is_open:
        raise ValidationError(_("Alleen een open meetmoment kan gesloten worden."))
    readiness = round_readiness(reporting_round)
    reason = reason.strip()
    if not readiness.ready and not reason:
        raise ValidationError(
            _(
                "Nog %(unsubmitted)s fiches niet ingediend en %(unreviewed)s niet beoordeeld: "
                "geef een reden om toch te sluiten."
            )
            % {"unsubmitted": readiness.unsubmitted, "unreviewed": readiness.unreviewed}
        )
    freeze_budgets(round_ids=[reporting_round.pk])
    reporting_round.close(by=by, reason=reason)
    # Its documents, findings and pages never change again: the workers build them now,
    # once it is committed, so that the first reader is served from disk and the cache.
    after_close(reporting_round)


@transaction.atomic
def leave_plan(
    *, project: Project, from_round: ReportingRound, reason: str, by: User | None
) -> int:
    """Take ``project`` out of the plan's monitoring from ``from_round`` on, for ``reason``
    (as 22 projects moved to regular funding in December 2024). The rounds before keep it;
    no round from ``from_round`` on gives it a fiche (``open_round`` skips it).

    Refused when a closed round from ``from_round`` on holds the project's fiche: a closed
    round never changes, so the project leaves at the earliest from the round after its
    last closed fiche. The project's fiche in the open round (or one in preparation) from
    ``from_round`` on is removed, with its money, milestone statuses, indicator values, this
    round's indicator definitions, flags and review history, but only while it is nobody's
    finished work: a draft, a returned or a carried-forward fiche. A submitted or approved
    fiche is refused: return it first. Returns the number of fiches removed.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Geef een reden waarom %(project)s het plan verlaat.") % {"project": project.code}
        )
    project = Project.objects.select_for_update().get(pk=project.pk)
    # Take turns with saving fiches and opening or closing rounds.
    list(
        ReportingRound.objects.select_for_update()
        .exclude(state=RoundState.CLOSED)
        .values_list("pk", flat=True)
    )
    later = Fiche.objects.filter(
        project=project, round__reference_date__gte=from_round.reference_date
    ).select_related("round")
    closed = later.filter(round__state=RoundState.CLOSED).order_by("-round__reference_date")
    last_closed = closed.first()
    if last_closed is not None:
        raise ValidationError(
            _(
                "%(project)s heeft een fiche in het gesloten meetmoment %(round)s, en dat "
                "verandert niet meer: het project kan pas het plan verlaten vanaf een "
                "meetmoment na %(round)s."
            )
            % {"project": project.code, "round": last_closed.round}
        )
    removable = list(later.exclude(round__state=RoundState.CLOSED))
    for fiche in removable:
        if fiche.review_state in (ReviewState.SUBMITTED, ReviewState.APPROVED) and not (
            fiche.carried_forward
        ):
            raise ValidationError(
                _(
                    "De fiche van %(project)s in meetmoment %(round)s is %(state)s: stuur ze "
                    "eerst terug, dan wordt ze verwijderd wanneer het project het plan verlaat."
                )
                % {
                    "project": project.code,
                    "round": fiche.round,
                    "state": fiche.get_review_state_display(),
                }
            )
    if removable:
        _remove_fiches(removable)
    project.left_plan_from = from_round
    project.left_plan_reason = reason
    project.save(update_fields=["left_plan_from", "left_plan_reason"])
    return len(removable)


def _remove_fiches(fiches: list[Fiche]) -> None:
    """Delete fiches of rounds that are not closed, with everything of their round that
    belongs to their project."""
    fiche_ids = [fiche.pk for fiche in fiches]
    FollowUpAction.objects.filter(flag__fiche_id__in=fiche_ids).delete()
    StatusFlag.objects.filter(fiche_id__in=fiche_ids).delete()
    ReviewEvent.objects.filter(fiche_id__in=fiche_ids).delete()
    FinanceReport.objects.filter(fiche_id__in=fiche_ids).delete()
    for fiche in fiches:
        MilestoneStatus.objects.filter(
            round_id=fiche.round_id, milestone__project_id=fiche.project_id
        ).delete()
        IndicatorValue.objects.filter(
            round_id=fiche.round_id, indicator__project_id=fiche.project_id
        ).delete()
        IndicatorDefinition.objects.filter(
            round_id=fiche.round_id, indicator__project_id=fiche.project_id
        ).delete()
    Fiche.objects.filter(pk__in=fiche_ids).delete()
