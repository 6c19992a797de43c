"""The coordinators' review screen (/projects/<code>/fiche/review/): the fiche read, not
edited, with what changed since the project's fiche of the previous round highlighted, and
the decision beside it. Editing is the explicit "Bewerken" (the fiche form), whose save is
logged as a review step (``services.save_fiche``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.views.decorators.http import require_GET

from milestones.models import MilestoneState
from projects.http import AuthenticatedRequest
from projects.models import Fiche, ProjectStatus
from projects.permissions import can_review_fiche

from . import checks, early_warnings
from .forms import ReturnForm
from .notes import standing_notes
from .review_desk import FICHE_FIELDS, MILESTONE_FIELDS, DeskFilter, Value, changes
from .snapshots import FicheView, MilestoneView, snapshot
from .views import open_fiche


def shown(field: str, value: Value) -> str:
    """A compared value as the page shows it ("—" for none)."""
    if value is None or value == "":
        return "—"
    if field == "owner_status":
        return str(ProjectStatus(str(value)).label)
    if field == "status":
        return str(MilestoneState(str(value)).label)
    if isinstance(value, Decimal):
        return "€ " + formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@dataclass(frozen=True)
class Row:
    """One compared field: its label, the previous round's value and this round's, shown."""

    field: str
    label: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class MilestoneRows:
    milestone: MilestoneView
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def _rows(fields: Any, now: Any, before: Any, changed: set[str]) -> list[Row]:
    return [
        Row(
            field,
            str(label),
            shown(field, getattr(before, field) if before is not None else None),
            shown(field, getattr(now, field)),
            field in changed,
        )
        for field, label in fields
    ]


def comparison(view: FicheView) -> tuple[list[Row], list[MilestoneRows], bool]:
    """The fiche's rows and each milestone's rows against the previous round, and whether
    there is a previous fiche at all (without one, nothing is marked changed)."""
    found = changes(view)
    previous = view.previous
    own = {c.field for c in found or [] if c.milestone is None}
    fiche_rows = _rows(FICHE_FIELDS, view, previous, own)
    before = {m.id: m for m in previous.milestones} if previous else {}
    milestone_rows = []
    for milestone in view.milestones:
        changed = {c.field for c in found or [] if c.milestone == milestone.number}
        rows = _rows(MILESTONE_FIELDS, milestone, before.get(milestone.id), changed)
        milestone_rows.append(MilestoneRows(milestone, rows))
    return fiche_rows, milestone_rows, previous is not None


@require_GET
def fiche_review(request: AuthenticatedRequest, code: str) -> HttpResponse:
    fiche = open_fiche(request, code)
    if not can_review_fiche(request.user, fiche):
        raise PermissionDenied
    return render_review(request, fiche, DeskFilter.of(request.GET))


def render_review(
    request: AuthenticatedRequest,
    fiche: Fiche,
    chosen: DeskFilter,
    *,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The review screen; a refused decision shows it again with what was typed."""
    view = snapshot(fiche)
    fiche_rows, milestone_rows, has_previous = comparison(view)
    findings, suggested = early_warnings.split_suggestion(
        checks.run_checks(view), fiche.project_id, standing_notes(fiche.round)
    )
    context = {
        "fiche": fiche,
        "project": fiche.project,
        "round": fiche.round,
        "fiche_rows": fiche_rows,
        "milestone_rows": milestone_rows,
        "has_previous": has_previous,
        "changed_count": sum(r.changed for r in fiche_rows)
        + sum(m.changed for m in milestone_rows),
        "findings": findings,
        "suggested": suggested,
        "flag": fiche.flags.filter(lifted_at__isnull=True).first(),
        "events": fiche.events.select_related("by")[:20],
        "return_form": return_form or ReturnForm(),
        "filter": chosen,
    }
    return render(request, "relance/fiche_review.html", context, status=status)
