"""Saving a fiche: the owners' form as one transaction (``save_fiche``); the indicators
it defines are ``indicators.save_indicator_definitions``.

Each raises ``ValidationError`` with a message for people when it cannot be done; what a
fiche lacks before it can be submitted is judged by the rules in ``checks``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus, count_postponements
from projects.models import (
    Fiche,
    Indicator,
    IndicatorValue,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    User,
)
from relance.audit.channels import REASONS, Channel

from .checks import run_checks
from .snapshots import FicheView, MilestoneView, snapshot


class StaleFicheError(ValidationError):
    """Someone saved the fiche after this form was opened."""


@dataclass
class MilestoneInput:
    milestone: Milestone
    status: str
    realised_on: dt.date | None = None
    forecast_date: dt.date | None = None
    delay_reason: str = ""
    note: str = ""


@dataclass
class FicheInput:
    """What an owner fills in on the fiche form, already checked field by field."""

    version: int
    owner_status: str
    narrative: str
    committed_eur: Decimal | None
    paid_eur: Decimal | None
    milestones: list[MilestoneInput] = field(default_factory=list)
    indicator_values: Mapping[int, tuple[Decimal | None, str]] = field(default_factory=dict)


def input_view(stored: FicheView, data: FicheInput) -> FicheView:
    """The fiche as it would be with the form's input, for the rules (``checks``): its
    status follows the owner's unless a flag is raised; a milestone the input gives no
    status has none."""
    entries = {entry.milestone.pk: entry for entry in data.milestones if entry.status}
    return replace(
        stored,
        status=ProjectStatus.of_round(data.owner_status, stored.flag),
        owner_status=data.owner_status,
        narrative=data.narrative,
        committed_eur=data.committed_eur,
        paid_eur=data.paid_eur,
        milestones=tuple(
            _milestone_input_view(milestone, entries.get(milestone.id))
            for milestone in stored.milestones
        ),
        indicators=tuple(
            replace(indicator, value=data.indicator_values[indicator.id][0])
            if indicator.id in data.indicator_values
            else indicator
            for indicator in stored.indicators
        ),
    )


def _milestone_input_view(stored: MilestoneView, entry: MilestoneInput | None) -> MilestoneView:
    if entry is None:
        return replace(stored, status="", realised_on=None, forecast_date=None, delay_reason="")
    # As _save_milestones stores it: a date or a reason only where the status has one.
    delayed = entry.status == MilestoneState.DELAYED
    return replace(
        stored,
        status=entry.status,
        realised_on=entry.realised_on if entry.status == MilestoneState.REALISED else None,
        forecast_date=entry.forecast_date if delayed else None,
        delay_reason=entry.delay_reason if delayed else "",
    )


def missing_for_submission(fiche: Fiche, data: FicheInput) -> list[str]:
    """What a fiche still lacks before it can be submitted, each in one sentence: the
    errors the rules find in it as the input has it."""
    view = input_view(snapshot(fiche), data)
    return [finding.sentence for finding in run_checks(view) if finding.is_error]


def _recorded(instance: Model, *, by: User, channel: Channel) -> None:
    """Mark the history record this save or delete makes: who, and through which channel
    (the fiche form or the API). The request's user is not enough: the API signs its
    caller in with a token, which Django's request never sees."""
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = REASONS[channel]  # type: ignore[attr-defined]


@transaction.atomic
def save_fiche(
    *,
    fiche: Fiche,
    data: FicheInput,
    by: User,
    submit: bool = False,
    channel: Channel = Channel.FORM,
) -> Fiche:
    """Save the owner's fiche (and submit it when asked); its history records who and
    ``channel`` (the form's, or the API's).

    The version the form started from must still be the fiche's version: otherwise
    someone saved in between and ``StaleFicheError`` refuses the write. Submitting first
    checks completeness and lists everything missing. Every history record the save makes
    names ``by`` and the ``channel`` it came through (its change reason).
    """
    # Lock the round: a save and the round's closing take turns, so a save never slips in
    # between closing's readiness check and its commit.
    reporting_round = ReportingRound.objects.select_for_update().get(pk=fiche.round_id)
    reporting_round.ensure_changeable()
    if not reporting_round.is_open:
        raise ValidationError(_("De fiche kan alleen in het open meetmoment ingevuld worden."))
    if submit:
        missing = missing_for_submission(fiche, data)
        if missing:
            raise ValidationError(missing, code="incomplete")
    # Claim the version: one conditional UPDATE, so two saves can never both win.
    # F() rather than the posted number + 1: a posted version at the column's maximum
    # must find no row, not overflow the integer in PostgreSQL's UPDATE.
    claimed = Fiche.objects.filter(pk=fiche.pk, version=data.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleFicheError(
            _("Iemand anders heeft deze fiche intussen opgeslagen."), code="stale"
        )
    fiche.refresh_from_db()
    flag = fiche.flags.filter(lifted_at__isnull=True).values_list("level", flat=True).first()
    fiche.owner_status = data.owner_status
    fiche.status = ProjectStatus.of_round(data.owner_status, flag)
    fiche.narrative = data.narrative
    # Changed by hand (a coordinator's, say a project taken up again): no longer a copy.
    fiche.carried_forward = False
    fields = ["owner_status", "status", "narrative", "carried_forward", "updated_at"]
    # A submitted or approved fiche is only saved by a coordinator (``can_edit_fiche``):
    # the edit is logged, and an approval does not survive it (the fiche is submitted
    # again, back in the review queue).
    edited = fiche.review_state in (ReviewState.SUBMITTED, ReviewState.APPROVED)
    if edited:
        approval_lapses = fiche.review_state == ReviewState.APPROVED
        fiche.review_state = ReviewState.SUBMITTED
        fields += ["review_state"]
    elif submit:
        fiche.review_state = ReviewState.SUBMITTED
        fiche.submitted_at, fiche.submitted_by = timezone.now(), by
        fields += ["review_state", "submitted_at", "submitted_by"]
    _recorded(fiche, by=by, channel=channel)
    fiche.save(update_fields=fields)

    finance = FinanceReport.objects.filter(fiche=fiche).first() or FinanceReport(fiche=fiche)
    money = (data.committed_eur, data.paid_eur)
    if finance.pk is None or (finance.committed_eur, finance.paid_eur) != money:
        finance.committed_eur, finance.paid_eur = money
        _recorded(finance, by=by, channel=channel)
        finance.save()

    record = partial(_recorded, by=by, channel=channel)
    _save_milestones(fiche, data.milestones, record)
    _save_indicator_values(fiche, data.indicator_values, record)
    if edited:
        comment = (
            _("Bewerkt na goedkeuring: de goedkeuring vervalt, de fiche wacht weer op beoordeling.")
            if approval_lapses
            else _("Bewerkt tijdens de beoordeling.")
        )
        ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.EDITED, by=by, comment=comment)
    elif submit:
        ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.SUBMITTED, by=by)
    return fiche


def cleared_milestones(fiche: Fiche, data: FicheInput) -> list[Milestone]:
    """The milestones whose status this save clears: a status in the round now, none in the
    form. Saving removes their status, so the page says so."""
    cleared = {entry.milestone.pk for entry in data.milestones if not entry.status}
    if not cleared:
        return []
    return list(
        Milestone.objects.filter(
            pk__in=cleared,
            project=fiche.project,
            statuses__round=fiche.round,
        ).order_by("number")
    )


def _save_milestones(
    fiche: Fiche, entries: Iterable[MilestoneInput], record: Callable[[Model], None]
) -> None:
    """Write the milestones' statuses of the fiche's round as the form has them.

    A status cleared in the form is a draft state: its row goes (the fiche cannot be
    submitted until it has one again). Postponements are counted from the previous round
    with ``count_postponements``, never per save: saving twice counts once.
    """
    existing = {
        status.milestone_id: status
        for status in MilestoneStatus.objects.filter(
            round=fiche.round, milestone__project=fiche.project
        )
    }
    previous_round = fiche.round.previous()
    before = (
        {
            status.milestone_id: status
            for status in MilestoneStatus.objects.filter(
                round=previous_round, milestone__project=fiche.project
            )
        }
        if previous_round
        else {}
    )
    for entry in entries:
        status = existing.get(entry.milestone.pk)
        if not entry.status:
            if status is not None:
                record(status)
                status.delete()
            continue
        delayed = entry.status == MilestoneState.DELAYED
        earlier = before.get(entry.milestone.pk)
        wanted = {
            "postponements": count_postponements(
                before=earlier.postponements if earlier else 0,
                expected_before=earlier.forecast_date if earlier else None,
                deadline=entry.milestone.deadline,
                forecast=entry.forecast_date if delayed else None,
            ),
            "status": entry.status,
            "realised_on": (entry.realised_on if entry.status == MilestoneState.REALISED else None),
            "forecast_date": entry.forecast_date if delayed else None,
            "delay_reason": entry.delay_reason if delayed else "",
            "note": entry.note,
        }
        if status is not None and _holds(status, wanted):
            continue  # unchanged: no write, and no history record that says nothing
        status = status or MilestoneStatus(round=fiche.round, milestone=entry.milestone)
        for name, value in wanted.items():
            setattr(status, name, value)
        record(status)
        status.save()


def _holds(instance: Model, values: Mapping[str, object]) -> bool:
    """Whether the stored row already holds these values."""
    return all(getattr(instance, name) == value for name, value in values.items())


def _save_indicator_values(
    fiche: Fiche,
    values: Mapping[int, tuple[Decimal | None, str]],
    record: Callable[[Model], None],
) -> None:
    indicators = Indicator.objects.filter(project=fiche.project, pk__in=values)
    existing = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(round=fiche.round, indicator__in=indicators)
    }
    for indicator in indicators:
        amount, note = values[indicator.pk]
        current = existing.get(indicator.pk)
        if amount is None:
            if current:
                record(current)
                current.delete()
            continue
        if current is not None and _holds(current, {"value": amount, "note": note}):
            continue  # unchanged
        current = current or IndicatorValue(round=fiche.round, indicator=indicator)
        current.value, current.note = amount, note
        record(current)
        current.save()
