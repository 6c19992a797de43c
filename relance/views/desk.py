"""The coordinators' review desk (/rounds/<code>/desk/): the round's submitted fiches,
filtered by policy domain and by whether the rules find something, each with what changed
since the previous round; "next" after each decision; bulk approval of unchanged fiches."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import Fiche, PolicyDomain, ReportingRound
from projects.permissions import can_review
from relance.fiches import review_desk as desk
from relance.fiches.checks import run_checks
from relance.fiches.early_warnings import split_suggestion
from relance.fiches.notes import standing_notes
from relance.fiches.review import ReviewError
from relance.fiches.review_desk import DeskFilter
from relance.fiches.snapshots import snapshots
from relance.notices import notices_for
from relance.quality.report import unexplained_counts


def desk_round(request: AuthenticatedRequest, code: str) -> ReportingRound:
    """The round whose desk this is, for coordinators and admins only."""
    if not can_review(request.user):
        raise PermissionDenied
    return get_object_or_404(ReportingRound.objects.visible_to(request.user), code=code)


def desk_queue(
    request: AuthenticatedRequest, reporting_round: ReportingRound, chosen: DeskFilter
) -> list[Fiche]:
    """The submitted fiches of the round the filter keeps, first submitted first, each with
    its ``findings``, ``suggested``, ``finding_count``, ``changes`` (None: no previous
    fiche) and ``unchanged``. A constant number of queries, whatever the number of fiches."""
    fiches = Fiche.objects.visible_to(request.user).in_round(reporting_round).for_review_queue()
    if chosen.domain:
        fiches = fiches.filter(project__domain__code=chosen.domain)
    queue = list(fiches)
    views = snapshots(queue)
    notes = standing_notes(reporting_round) if queue else {}
    for fiche in queue:
        view = views[fiche.pk]
        fiche.findings, fiche.suggested = split_suggestion(  # type: ignore[attr-defined]
            run_checks(view), fiche.project_id, notes
        )
        fiche.changes = desk.changes(view)  # type: ignore[attr-defined]
        fiche.unchanged = fiche.changes == []  # type: ignore[attr-defined]
    shown = {fiche.pk: fiche.findings for fiche in queue}  # type: ignore[attr-defined]
    counts = unexplained_counts(reporting_round, shown, queue) if queue else {}
    for fiche in queue:
        fiche.finding_count = counts.get(fiche.pk, 0)  # type: ignore[attr-defined]
        suggested = fiche.suggested  # type: ignore[attr-defined]
        fiche.has_findings = bool(  # type: ignore[attr-defined]
            fiche.finding_count  # type: ignore[attr-defined]
            or (suggested is not None and suggested.dismissed is None)
        )
    if chosen.findings:
        wanted = chosen.findings == "yes"
        queue = [f for f in queue if f.has_findings == wanted]  # type: ignore[attr-defined]
    return queue


@require_GET
def review_desk(request: AuthenticatedRequest, code: str) -> HttpResponse:
    reporting_round = desk_round(request, code)
    chosen = DeskFilter.of(request.GET)
    queue = desk_queue(request, reporting_round, chosen)
    context: dict[str, Any] = {
        "round": reporting_round,
        "queue": queue,
        "filter": chosen,
        "domains": PolicyDomain.objects.order_by("code"),
        "notices": notices_for(request.user),
        "unchanged_count": len([f for f in queue if f.unchanged]),  # type: ignore[attr-defined]
    }
    return render(request, "relance/review_desk.html", context)


@require_GET
def desk_next(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The next fiche in the (filtered) queue, on its review screen; the desk when none is
    left."""
    reporting_round = desk_round(request, code)
    chosen = DeskFilter.of(request.GET)
    skip = request.GET.get("after", "")
    queue = [
        fiche
        for fiche in desk_queue(request, reporting_round, chosen)
        if fiche.project.code != skip
    ]
    suffix = f"?{chosen.query}" if chosen.query else ""
    if not queue:
        messages.info(request, _("Er staan geen fiches meer in de wachtrij."))
        return redirect(reverse("rounds:desk", args=[reporting_round.code]) + suffix)
    return redirect(reverse("fiche-review", args=[queue[0].project.code]) + suffix)


@require_POST
def desk_bulk_approve(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Approve the chosen unchanged fiches (``fiche`` ids) in one step."""
    reporting_round = desk_round(request, code)
    chosen = DeskFilter.of(request.POST)
    ids = request.POST.getlist("fiche")
    back = reverse("rounds:desk", args=[reporting_round.code])
    back += f"?{chosen.query}" if chosen.query else ""
    if not all(value.isascii() and value.isdigit() and len(value) < 10 for value in ids):
        messages.error(request, _("De keuze van fiches is ongeldig; er is niets goedgekeurd."))
        return redirect(back)
    try:
        approved = desk.approve_unchanged(
            reporting_round=reporting_round, fiche_ids=[int(v) for v in ids], by=request.user
        )
    except ReviewError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("%(count)s ongewijzigde fiches zijn goedgekeurd.") % {"count": len(approved)},
    )
    return redirect(back)
