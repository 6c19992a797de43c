"""Reporting rounds: the list, one round's progress and review queue, and the coordinators'
actions (create, open, close)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.http import AuthenticatedRequest
from projects.models import Fiche, FollowUpAction, ReportingRound, StatusFlag
from projects.permissions import can_check_quality, can_manage_rounds, can_review
from relance import services
from relance.fiches.checks import check_fiches
from relance.fiches.early_warnings import split_suggestion
from relance.fiches.notes import standing_notes
from relance.forms import CloseRoundForm, RoundForm
from relance.quality.report import unexplained_counts
from relance.reporting.access import may_see_figures, rrf_only

# Open follow-up actions due within this many days are in the review queue, with the overdue.
FOLLOW_UP_HORIZON_DAYS = 14


def _visible_round(request: AuthenticatedRequest, code: str) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.visible_to(request.user), code=code)


@require_GET
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    # Newest first, said here: a query with an aggregate leaves Meta.ordering out.
    rounds = (
        ReportingRound.objects.visible_to(request.user)
        .with_fiche_count(request.user)
        .order_by("-reference_date")
    )
    return render(
        request,
        "relance/round_list.html",
        {"rounds": rounds, "may_manage": can_manage_rounds(request.user)},
    )


@require_GET
def round_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _render_detail(request, _visible_round(request, code), CloseRoundForm())


def _render_detail(
    request: AuthenticatedRequest,
    reporting_round: ReportingRound,
    close_form: CloseRoundForm,
    status: int = 200,
) -> HttpResponse:
    only_rrf = rrf_only(request.GET)
    fiches = (
        Fiche.objects.visible_to(request.user).in_round(reporting_round).of_rrf_projects(only_rrf)
    )
    per_domain = fiches.review_counts_by_domain()
    queue = fiches.for_review_queue() if can_review(request.user) else Fiche.objects.none()
    # What the fiche's rules find in each submitted fiche, in a constant number of queries.
    findings = check_fiches(queue)
    # The early warning's suggestion apart, with its standing dismissal (one query), and
    # how many of the other findings no coordinator's explanation covers (one query more).
    notes = standing_notes(reporting_round) if findings else {}
    for fiche in queue:
        fiche.findings, fiche.suggested = split_suggestion(  # type: ignore[attr-defined]
            findings[fiche.pk], fiche.project_id, notes
        )
    shown = {fiche.pk: fiche.findings for fiche in queue}  # type: ignore[attr-defined]
    counts = unexplained_counts(reporting_round, shown, queue) if findings else {}
    for fiche in queue:
        fiche.finding_count = counts.get(fiche.pk, 0)  # type: ignore[attr-defined]
    may_manage = can_manage_rounds(request.user)
    today = timezone.localdate()
    if can_review(request.user) and reporting_round.is_open:
        to_confirm = (
            StatusFlag.objects.awaiting_confirmation(reporting_round)
            .of_rrf_projects(only_rrf)
            .for_queue()
        )
        follow_ups = (
            FollowUpAction.objects.in_round(reporting_round)
            .of_rrf_projects(only_rrf)
            .of_raised_flags()
            .open()
            .due_by(today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS))
            .for_queue()
        )
    else:
        to_confirm, follow_ups = StatusFlag.objects.none(), FollowUpAction.objects.none()
    context = {
        "round": reporting_round,
        "totals": fiches.review_counts(),
        "per_domain": per_domain,
        "queue": queue,
        "may_manage": may_manage,
        "may_check_quality": can_check_quality(request.user),
        "readiness": services.round_readiness(reporting_round) if may_manage else None,
        "close_form": close_form,
        "to_confirm": to_confirm,
        "follow_ups": follow_ups,
        "rrf_only": only_rrf,
        "may_export_rrf": may_see_figures(request.user, reporting_round),
    }
    return render(request, "relance/round_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporting_round = form.save()
        messages.success(
            request, _("Meetmoment %(round)s is aangemaakt.") % {"round": reporting_round}
        )
        return redirect(reporting_round)
    return render(request, "relance/round_form.html", {"form": form})


@require_POST
def round_open(request: AuthenticatedRequest, code: str) -> HttpResponse:
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    reporting_round = _visible_round(request, code)
    try:
        created = services.open_round(reporting_round=reporting_round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        carried = Fiche.objects.in_round(reporting_round).carried().count()
        messages.success(
            request,
            _(
                "Meetmoment %(round)s is open: %(count)s fiches staan klaar, waarvan "
                "%(carried)s overgenomen van afgeronde projecten."
            )
            % {"round": reporting_round, "count": created, "carried": carried},
        )
    return redirect(reporting_round)


@require_POST
def round_close(request: AuthenticatedRequest, code: str) -> HttpResponse:
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    reporting_round = _visible_round(request, code)
    form = CloseRoundForm(request.POST)
    form.is_valid()
    try:
        services.close_round(
            reporting_round=reporting_round,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        # Keep what was typed: the round again, with the reason filled in.
        return _render_detail(request, reporting_round, form, status=400)
    messages.success(request, _("Meetmoment %(round)s is gesloten.") % {"round": reporting_round})
    return redirect(reporting_round)
