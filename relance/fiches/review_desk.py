"""The coordinators' review desk: what changed in a fiche since the project's fiche of the
previous round (``changes``), which submitted fiches changed nothing (``is_unchanged``),
and approving those in one step (``approve_unchanged``).

"Unchanged" is precise: the fiche has a fiche of the previous (closed) round to compare
with, and its owner's status, VAK (committed), VEK (paid), narrative (ignoring whitespace
at its ends) and every milestone's status, realisation date, expected date and delay reason
are the same as there. Indicator values and the coordinators' flags are not compared: a
flag is the coordinators' own decision, and a raised one keeps its own queue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from projects.models import (
    Fiche,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    User,
)

from .review import ReviewError
from .snapshots import FicheView, MilestoneView, snapshots

Value = str | Decimal | dt.date | None

# The fiche's own fields the diff compares, with their labels.
FICHE_FIELDS = (
    ("owner_status", gettext_lazy("Status")),
    ("committed_eur", gettext_lazy("VAK")),
    ("paid_eur", gettext_lazy("VEK")),
    ("narrative", gettext_lazy("Toelichting")),
)
# A milestone's fields the diff compares, with their labels.
MILESTONE_FIELDS = (
    ("status", gettext_lazy("status")),
    ("realised_on", gettext_lazy("gerealiseerd op")),
    ("forecast_date", gettext_lazy("verwacht op")),
    ("delay_reason", gettext_lazy("reden van vertraging")),
)


@dataclass(frozen=True)
class Change:
    """One field that differs from the previous round: ``milestone`` is the milestone's
    number for a milestone's field, None for the fiche's own."""

    field: str
    label: str
    before: Value
    after: Value
    milestone: int | None = None


def _same(field: str, before: Value, after: Value) -> bool:
    if field == "narrative":
        return str(before or "").strip() == str(after or "").strip()
    return before == after


def changes(view: FicheView) -> list[Change] | None:
    """What differs between the fiche and the project's fiche of the previous round, the
    fiche's fields first, then each milestone's; None when there is no previous fiche."""
    previous = view.previous
    if previous is None:
        return None
    found = [
        Change(field, str(label), getattr(previous, field), getattr(view, field))
        for field, label in FICHE_FIELDS
        if not _same(field, getattr(previous, field), getattr(view, field))
    ]
    before: dict[int, MilestoneView] = {m.id: m for m in previous.milestones}
    for milestone in view.milestones:
        earlier = before.get(milestone.id)
        for field, label in MILESTONE_FIELDS:
            old = getattr(earlier, field) if earlier else None
            new = getattr(milestone, field)
            if not _same(field, old, new):
                found.append(Change(field, str(label), old or None, new or None, milestone.number))
    return found


def is_unchanged(view: FicheView) -> bool:
    """The fiche says what the project's fiche of the previous round said (module doc)."""
    return changes(view) == []


def unchanged_ids(fiches: Iterable[Fiche]) -> set[int]:
    """The ids of those of these fiches that are unchanged, in a constant number of queries."""
    return {pk for pk, view in snapshots(fiches).items() if is_unchanged(view)}


@transaction.atomic
def approve_unchanged(
    *, reporting_round: ReportingRound, fiche_ids: Iterable[int], by: User
) -> list[Fiche]:
    """Approve these submitted fiches of the round in one step, each logged as an approval.

    All or nothing: when one of them is not in the round, not submitted, or not unchanged,
    ``ReviewError`` says which and nothing is approved.
    """
    wanted = sorted(set(fiche_ids))
    if not wanted:
        raise ReviewError(_("Kies minstens één fiche om goed te keuren."))
    locked_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not locked_round.is_open:
        raise ReviewError(
            _("Meetmoment %(round)s is niet open: de fiches kunnen niet meer beoordeeld worden.")
            % {"round": locked_round}
        )
    fiches = list(
        Fiche.objects.select_for_update()
        .filter(pk__in=wanted, round=locked_round, review_state=ReviewState.SUBMITTED)
        .select_related("project")
        .order_by("pk")
    )
    if len(fiches) != len(wanted):
        raise ReviewError(
            _(
                "Een of meer gekozen fiches zijn niet (meer) ingediend in dit meetmoment; "
                "er is niets goedgekeurd."
            )
        )
    unchanged = unchanged_ids(fiches)
    refused = [fiche.project.code for fiche in fiches if fiche.pk not in unchanged]
    if refused:
        raise ReviewError(
            _(
                "Deze fiches zijn gewijzigd sinds het vorige meetmoment en vragen een eigen "
                "beoordeling: %(codes)s. Er is niets goedgekeurd."
            )
            % {"codes": ", ".join(refused)}
        )
    now = timezone.now()
    for fiche in fiches:
        fiche.review_state = ReviewState.APPROVED
        fiche.reviewed_at, fiche.reviewed_by = now, by
        fiche.version += 1
        fiche.carried_forward = False
        fiche.updated_at = now
    bulk_update_with_history(
        fiches,
        Fiche,
        ["review_state", "reviewed_at", "reviewed_by", "version", "carried_forward", "updated_at"],
        default_user=by,
    )
    comment = _("Samen goedgekeurd: ongewijzigd sinds het vorige meetmoment.")
    ReviewEvent.objects.bulk_create(
        ReviewEvent(fiche=fiche, action=ReviewAction.APPROVED, by=by, at=now, comment=comment)
        for fiche in fiches
    )
    return fiches


FINDINGS_CHOICES = ("", "yes", "no")


@dataclass(frozen=True)
class DeskFilter:
    """The desk's filter: a policy domain's code ("" for all) and "yes"/"no" for fiches
    with or without findings ("" for both). Anything else in the query string is ignored."""

    domain: str = ""
    findings: str = ""

    @classmethod
    def of(cls, query: QueryDict) -> DeskFilter:
        domain = query.get("domain", "")
        findings = query.get("findings", "")
        return cls(
            domain=domain if re.fullmatch(r"[A-Za-z0-9_-]{1,20}", domain) else "",
            findings=findings if findings in FINDINGS_CHOICES else "",
        )

    @property
    def query(self) -> str:
        """The filter as a query string ("" when none)."""
        params = {k: v for k, v in (("domain", self.domain), ("findings", self.findings)) if v}
        return urlencode(params)
