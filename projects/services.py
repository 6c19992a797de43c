"""The coordinators' review of fiches: approve, return, flag and lift a flag.

Each function checks that the round is open and the step is allowed from the fiche's
current review state, writes the change and its ReviewEvent in one transaction, and raises
``ReviewError`` (a ValidationError with a message for people) when it cannot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Fiche,
    FlagLevel,
    FollowUpAction,
    ProjectStatus,
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
    """Save a review change; it moves the version on, so an open form goes stale."""
    fiche.version += 1
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
    fiche.status = ProjectStatus(level)
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
    fiche.status = fiche.owner_status
    _bump(fiche, ["status"])
    _log(fiche, ReviewAction.FLAG_LIFTED, by, reason)
    return flag
