"""The coordinators' review desk (/rounds/<code>/desk/): the round's submitted fiches,
filtered by policy domain and by whether the rules find something, each with what changed
since the previous round, a page (``DESK_PAGE``) at a time; "next" after each decision;
bulk approval of the page's unchanged fiches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import Fiche, PolicyDomain, ReportingRound
from projects.models.fiches import FicheQuerySet
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


def not_open(request: AuthenticatedRequest, reporting_round: ReportingRound) -> HttpResponse:
    """A desk is for the open round, whose fiches are reviewed (a fiche's review screen is
    its open round's): a closed or draft round's desk sends to the round's page."""
    messages.info(
        request,
        _("Meetmoment %(round)s is niet open: er valt niets (meer) te beoordelen.")
        % {"round": reporting_round.code},
    )
    return redirect(reporting_round.get_absolute_url())


# The queue's fiches per page: what the page checks and shows, whatever the round's size.
DESK_PAGE = 50


def desk_fiches(
    request: AuthenticatedRequest, reporting_round: ReportingRound, chosen: DeskFilter
) -> FicheQuerySet:
    """The submitted fiches of the round in the chosen domain, first submitted first."""
    fiches = Fiche.objects.visible_to(request.user).in_round(reporting_round).for_review_queue()
    if chosen.domain:
        fiches = fiches.filter(project__domain__code=chosen.domain)
    return fiches.order_by("submitted_at", "pk")


def with_findings(reporting_round: ReportingRound, fiches: list[Fiche]) -> list[Fiche]:
    """The fiches, each with its ``findings``, ``suggested``, ``finding_count``,
    ``has_findings``, ``changes`` (None: no previous fiche) and ``unchanged``. A constant
    number of queries, whatever the number of fiches."""
    if not fiches:
        return fiches
    views = snapshots(fiches)
    notes = standing_notes(reporting_round)
    for fiche in fiches:
        view = views[fiche.pk]
        fiche.findings, fiche.suggested = split_suggestion(  # type: ignore[attr-defined]
            run_checks(view), fiche.project_id, notes
        )
        fiche.changes = desk.changes(view)  # type: ignore[attr-defined]
        fiche.unchanged = fiche.changes == []  # type: ignore[attr-defined]
    shown = {fiche.pk: fiche.findings for fiche in fiches}  # type: ignore[attr-defined]
    counts = unexplained_counts(reporting_round, shown, fiches)
    for fiche in fiches:
        fiche.finding_count = counts.get(fiche.pk, 0)  # type: ignore[attr-defined]
        suggested = fiche.suggested  # type: ignore[attr-defined]
        fiche.has_findings = bool(  # type: ignore[attr-defined]
            fiche.finding_count  # type: ignore[attr-defined]
            or (suggested is not None and suggested.dismissed is None)
        )
    return fiches


def _kept(fiches: list[Fiche], chosen: DeskFilter) -> list[Fiche]:
    if not chosen.findings:
        return fiches
    wanted = chosen.findings == "yes"
    return [f for f in fiches if f.has_findings == wanted]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its fiches, its number (from 1) and the queue's length."""

    fiches: list[Fiche]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // DESK_PAGE))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _page_number(value: str | None) -> int:
    """``?page=``: a page number from 1; anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 7:
        return max(1, int(value))
    return 1


def desk_page(
    request: AuthenticatedRequest, reporting_round: ReportingRound, chosen: DeskFilter
) -> QueuePage:
    """The page (``?page=``, past the last one: the last) of the queue the filter keeps,
    its fiches ``with_findings``. Without the findings filter, the fiches of that page only
    are read (with the queue's length) and checked; the findings
    filter checks every fiche of the domain (the rules run per fiche,
    relance/fiches/checks.py)."""
    fiches = desk_fiches(request, reporting_round, chosen)
    number = _page_number(request.GET.get("page"))
    if chosen.findings:
        kept = _kept(with_findings(reporting_round, list(fiches)), chosen)
        number = min(number, max(1, -(-len(kept) // DESK_PAGE)))
        start = (number - 1) * DESK_PAGE
        return QueuePage(kept[start : start + DESK_PAGE], number, len(kept))
    # The queue's length in the same query: a scalar subquery without outer reference,
    # which PostgreSQL computes once (an InitPlan), before the page's rows.
    length = fiches.order_by().values("round").annotate(n=Count("pk")).values("n")[:1]
    counted = fiches.annotate(queue_length=Coalesce(Subquery(length), 0))
    start = (number - 1) * DESK_PAGE
    shown = list(counted[start : start + DESK_PAGE])
    if not shown and number > 1:  # past the last page: the last one
        total = fiches.count()
        number = max(1, -(-total // DESK_PAGE))
        start = (number - 1) * DESK_PAGE
        shown = list(counted[start : start + DESK_PAGE])
    total = shown[0].queue_length if shown else 0  # type: ignore[attr-defined]
    return QueuePage(with_findings(reporting_round, shown), number, total)


def next_in_queue(
    request: AuthenticatedRequest, reporting_round: ReportingRound, chosen: DeskFilter, skip: str
) -> Fiche | None:
    """The first fiche of the filtered queue but ``skip``'s (a project code): read and
    checked a page at a time, until one is found."""
    fiches = desk_fiches(request, reporting_round, chosen).exclude(project__code=skip)
    if not chosen.findings:
        return fiches.first()
    start = 0
    while chunk := list(fiches[start : start + DESK_PAGE]):
        kept = _kept(with_findings(reporting_round, chunk), chosen)
        if kept:
            return kept[0]
        start += DESK_PAGE
    return None


@require_GET
def review_desk(request: AuthenticatedRequest, code: str) -> HttpResponse:
    reporting_round = desk_round(request, code)
    if not reporting_round.is_open:
        return not_open(request, reporting_round)
    chosen = DeskFilter.of(request.GET)
    page = desk_page(request, reporting_round, chosen)
    queue = page.fiches
    context: dict[str, Any] = {
        "round": reporting_round,
        "queue": queue,
        "page": page,
        "total": page.total,
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
    if not reporting_round.is_open:
        return not_open(request, reporting_round)
    chosen = DeskFilter.of(request.GET)
    found = next_in_queue(request, reporting_round, chosen, request.GET.get("after", ""))
    suffix = f"?{chosen.query}" if chosen.query else ""
    if found is None:
        messages.info(request, _("Er staan geen fiches meer in de wachtrij."))
        return redirect(reverse("rounds:desk", args=[reporting_round.code]) + suffix)
    return redirect(reverse("fiche-review", args=[found.project.code]) + suffix)


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
