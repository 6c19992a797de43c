"""The coordinators' review of a fiche: approve, return, flag, confirm and lift a flag; the
flags carried into a newly opened round; the follow-up actions of a flag.

Each review function checks that the round is open and the step is allowed from the fiche's
current review state, writes the change and its ReviewEvent in one transaction, and raises
``ReviewError`` (a ValidationError with a message for people) when it cannot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    Fiche,
    FlagLevel,
    FollowUpAction,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
    User,
)


class ReviewError(ValidationError):
    """A review step that cannot be taken now; the message says why."""


@dataclass(frozen=True)
class FollowUp:
    description: str
    owner: str
    due_date: dt.date


def _locked(fiche: Fiche, seen_version: int | None) -> Fiche:
    """The fiche as it is now, locked for this transaction, in an open round, and still
    the version the reviewer decided on (when given)."""
    current = Fiche.objects.select_for_update().select_related("round", "project").get(pk=fiche.pk)
    if not current.round.is_open:
        raise ReviewError(
            _("Meetmoment %(round)s is niet open: de fiche kan niet meer beoordeeld worden.")
            % {"round": current.round}
        )
    if seen_version is not None and seen_version != current.version:
        raise ReviewError(
            _("De fiche is gewijzigd sinds u ze opende; bekijk de nieuwe versie voor u beslist."),
            code="stale",
        )
    return current


def _log(fiche: Fiche, action: ReviewAction, by: User, comment: str = "") -> None:
    ReviewEvent.objects.create(fiche=fiche, action=action, by=by, comment=comment)


def _bump(fiche: Fiche, fields: list[str]) -> None:
    """Save a review change; it moves the version on, so an open form goes stale. A carried
    fiche that a coordinator reviews (returns, flags) is an ordinary fiche from then on, as
    when one is saved: its owners can work on it again."""
    fiche.version += 1
    if fiche.carried_forward:
        fiche.carried_forward = False
        fields = [*fields, "carried_forward"]
    fiche.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def approve_fiche(*, fiche: Fiche, by: User, seen_version: int | None = None) -> Fiche:
    """Approve a submitted fiche."""
    fiche = _locked(fiche, seen_version)
    if fiche.review_state != ReviewState.SUBMITTED:
        raise ReviewError(_("Alleen een ingediende fiche kan goedgekeurd worden."))
    fiche.review_state = ReviewState.APPROVED
    fiche.reviewed_at, fiche.reviewed_by = timezone.now(), by
    _bump(fiche, ["review_state", "reviewed_at", "reviewed_by"])
    _log(fiche, ReviewAction.APPROVED, by)
    return fiche


@transaction.atomic
def return_fiche(*, fiche: Fiche, by: User, comment: str, seen_version: int | None = None) -> Fiche:
    """Send a submitted or approved fiche back to its owners, who can edit it again."""
    comment = comment.strip()
    if not comment:
        raise ReviewError(_("Zeg de projecteigenaar waarom de fiche teruggaat."))
    fiche = _locked(fiche, seen_version)
    if fiche.review_state not in (ReviewState.SUBMITTED, ReviewState.APPROVED):
        raise ReviewError(
            _("Alleen een ingediende of goedgekeurde fiche kan teruggestuurd worden.")
        )
    fiche.review_state = ReviewState.RETURNED
    fiche.review_comment = comment
    fiche.reviewed_at, fiche.reviewed_by = timezone.now(), by
    _bump(fiche, ["review_state", "review_comment", "reviewed_at", "reviewed_by"])
    _log(fiche, ReviewAction.RETURNED, by, comment)
    return fiche


@transaction.atomic
def flag_project(
    *,
    fiche: Fiche,
    by: User,
    level: FlagLevel,
    motivation: str,
    actions: Iterable[FollowUp],
    seen_version: int | None = None,
) -> StatusFlag:
    """Raise an orange or red flag: it becomes the project's status for the round."""
    motivation = motivation.strip()
    actions = list(actions)
    if not motivation:
        raise ReviewError(_("Een markering heeft een motivering nodig."))
    if not actions:
        raise ReviewError(_("Een markering heeft minstens één opvolgingsactie nodig."))
    fiche = _locked(fiche, seen_version)
    if fiche.flags.filter(lifted_at__isnull=True).exists():
        raise ReviewError(_("Dit project is al gemarkeerd; hef die markering eerst op."))
    flag = StatusFlag.objects.create(fiche=fiche, level=level, motivation=motivation, raised_by=by)
    FollowUpAction.objects.bulk_create(
        FollowUpAction(flag=flag, description=a.description, owner=a.owner, due_date=a.due_date)
        for a in actions
    )
    fiche.status = ProjectStatus.of_round(fiche.owner_status, flag.level)
    _bump(fiche, ["status"])
    _log(fiche, ReviewAction.FLAGGED, by, f"{flag.get_level_display()}: {motivation}")
    return flag


@transaction.atomic
def lift_flag(
    *, fiche: Fiche, by: User, reason: str, seen_version: int | None = None
) -> StatusFlag:
    """Lift the raised flag; the owner's own status is the project's status again."""
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Zeg waarom de markering opgeheven wordt."))
    fiche = _locked(fiche, seen_version)
    flag = fiche.flags.filter(lifted_at__isnull=True).first()
    if flag is None:
        raise ReviewError(_("Dit project is niet gemarkeerd."))
    flag.lifted_at, flag.lifted_by, flag.lift_reason = timezone.now(), by, reason
    flag.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    fiche.status = ProjectStatus.of_round(fiche.owner_status, None)
    _bump(fiche, ["status"])
    _log(fiche, ReviewAction.FLAG_LIFTED, by, reason)
    return flag


@transaction.atomic
def confirm_flag(*, fiche: Fiche, by: User, seen_version: int | None = None) -> StatusFlag:
    """Confirm a flag carried from the previous round: it stays, and leaves the queue of
    flags awaiting confirmation. Lifting it instead is ``lift_flag``."""
    fiche = _locked(fiche, seen_version)
    flag = fiche.flags.filter(lifted_at__isnull=True).first()
    if flag is None:
        raise ReviewError(_("Dit project is niet gemarkeerd."))
    if not flag.awaits_confirmation:
        raise ReviewError(_("Deze markering wacht niet op bevestiging."))
    flag.confirmed_at, flag.confirmed_by = timezone.now(), by
    flag.save(update_fields=["confirmed_at", "confirmed_by"])
    _log(fiche, ReviewAction.FLAG_CONFIRMED, by, flag.get_level_display())
    return flag


@transaction.atomic
def carry_flags(*, previous: ReportingRound | None, into: ReportingRound) -> int:
    """Carry the flags still raised when ``previous`` closed into the fiches of ``into``.

    Each carried flag keeps its level, motivation and who raised it, points back at the
    flag it continues, and awaits the coordinators' confirmation; the flag's open follow-up
    actions come along (done ones stay behind). The new fiche's status is the flag's level,
    as for any raised flag; the owner's own status is kept beside it. A fiche that has a
    raised flag already is left alone, so carrying twice carries nothing twice. Returns the
    number of flags carried. A fixed number of queries, whatever the number of flags.
    """
    if previous is None:
        return 0
    old_flags = {
        flag.fiche.project_id: flag
        for flag in StatusFlag.objects.in_round(previous)
        .raised()
        .select_related("fiche")
        .prefetch_related(
            Prefetch("actions", queryset=FollowUpAction.objects.open(), to_attr="open_actions")
        )
    }
    if not old_flags:
        return 0
    fiches = list(
        Fiche.objects.filter(round=into, project_id__in=old_flags)
        .exclude(pk__in=StatusFlag.objects.in_round(into).raised().values("fiche_id"))
        .order_by("pk")
    )
    now = timezone.now()
    new_flags = StatusFlag.objects.bulk_create(
        StatusFlag(
            fiche=fiche,
            level=old_flags[fiche.project_id].level,
            motivation=old_flags[fiche.project_id].motivation,
            raised_by_id=old_flags[fiche.project_id].raised_by_id,
            raised_at=now,
            carried_from=old_flags[fiche.project_id],
        )
        for fiche in fiches
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            flag=flag,
            description=action.description,
            owner=action.owner,
            due_date=action.due_date,
        )
        for flag in new_flags
        for action in flag.carried_from.open_actions  # type: ignore[union-attr]
    )
    for fiche, flag in zip(fiches, new_flags, strict=True):
        fiche.status = ProjectStatus.of_round(fiche.owner_status, flag.level)
    Fiche.objects.bulk_update(fiches, ["status"])
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            fiche=fiche,
            action=ReviewAction.FLAG_CARRIED,
            by=None,
            at=now,
            comment=_("%(level)s, overgenomen uit meetmoment %(round)s: %(motivation)s")
            % {
                "level": flag.get_level_display(),
                "round": previous,
                "motivation": flag.motivation,
            },
        )
        for fiche, flag in zip(fiches, new_flags, strict=True)
    )
    return len(new_flags)


# -- follow-up actions -----------------------------------------------------------------------


def _locked_action(action: FollowUpAction) -> FollowUpAction:
    """The action as it is now, locked, in a round that is open."""
    current = (
        FollowUpAction.objects.select_for_update()
        .select_related("flag__fiche__round")
        .get(pk=action.pk)
    )
    reporting_round = current.flag.fiche.round
    reporting_round.ensure_changeable()
    if not reporting_round.is_open:
        raise ReviewError(
            _("Meetmoment %(round)s is niet open: de opvolgingsactie kan niet wijzigen.")
            % {"round": reporting_round}
        )
    return current


@transaction.atomic
def complete_follow_up(*, action: FollowUpAction, by: User) -> FollowUpAction:
    """Mark an open follow-up action done: it leaves the reminders and the review queue."""
    action = _locked_action(action)
    if not action.is_open:
        raise ReviewError(_("Deze opvolgingsactie is al afgerond."))
    action.done_at, action.done_by = timezone.now(), by
    action.save(update_fields=["done_at", "done_by"])
    return action


@transaction.atomic
def reopen_follow_up(*, action: FollowUpAction, by: User) -> FollowUpAction:
    """Open a follow-up action marked done by mistake again."""
    action = _locked_action(action)
    if action.is_open:
        raise ReviewError(_("Deze opvolgingsactie staat nog open."))
    action.done_at, action.done_by = None, None
    action.save(update_fields=["done_at", "done_by"])
    return action
