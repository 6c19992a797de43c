"""One project (/projects/<code>/): its fiches per round with what changed, its milestones,
its money and its review history, as far as the user may see them; and the coordinators'
action of taking it out of the plan from a round on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import (
    Fiche,
    IndicatorDefinition,
    Project,
    ReportingRound,
    ReviewEvent,
)
from projects.permissions import can_report_for, can_take_out_of_plan
from relance import services
from relance.forms import LeavePlanForm
from relance.public.record import MoneyRow, money_history_chart


@dataclass(frozen=True)
class Change:
    label: Any
    before: Any
    after: Any


def _changes(fiche: Fiche, previous: Fiche | None) -> list[Change]:
    """What a fiche says differently from the project's fiche of the round before."""
    if previous is None:
        return []
    pairs = [
        (_("Status"), previous.get_status_display(), fiche.get_status_display()),
        (_("Toelichting"), previous.narrative, fiche.narrative),
        (_("Vastgelegd (VAK)"), _money(previous, "committed_eur"), _money(fiche, "committed_eur")),
        (_("Vereffend (VEK)"), _money(previous, "paid_eur"), _money(fiche, "paid_eur")),
    ]
    return [Change(label, before, after) for label, before, after in pairs if before != after]


def _money(fiche: Fiche, name: str) -> str | None:
    finance = getattr(fiche, "finance", None)
    amount = getattr(finance, name, None) if finance else None
    return None if amount is None else f"€ {number_format(amount, 2, force_grouping=True)}"


@require_GET
def project_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.with_structure().select_related("left_plan_from"), code=code
    )
    fiches = list(project.fiches.visible_to(request.user).for_history())
    rows = [
        {
            "fiche": fiche,
            "changes": _changes(fiche, older),
            "flag": next((flag for flag in fiche.flags.all() if flag.is_raised), None),
        }
        # Each fiche with the one before it (none before the first; no pairs without fiches).
        for fiche, older in zip(fiches, [*fiches[1:], None][: len(fiches)], strict=True)
    ]
    latest_round = fiches[0].round if fiches else None
    milestones = project.milestones.prefetch_status_in(latest_round).order_by("number")
    # The indicators as the latest round shown defines them, with their value in it: a
    # draft's change shows only to those who see the open round.
    indicators = (
        IndicatorDefinition.objects.as_of(latest_round)
        .of_project(project)
        .with_value_in(latest_round)
        .select_related("indicator")
        .order_by("indicator__code")
        if latest_round is not None
        else IndicatorDefinition.objects.none()
    )
    events = ReviewEvent.objects.of_fiches(fiches).for_history()
    money = _money_rows(project, fiches)
    open_round = ReportingRound.objects.open().first()
    may_report = (
        open_round is not None
        and can_report_for(request.user, project)
        and any(fiche.round_id == open_round.pk for fiche in fiches)
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "fiches": fiches,
            "rows": rows,
            "latest_round": latest_round,
            "milestones": milestones,
            "indicators": indicators,
            "events": events,
            "may_report": may_report,
            "money": money,
            "charts": {"moneyHistory": money_history_chart(money)} if money else None,
            "leave_form": _leave_form(project) if can_take_out_of_plan(request.user) else None,
        },
    )


def _money_rows(project: Project, fiches: list[Fiche]) -> list[MoneyRow]:
    """The project's budget, VAK and VEK in each round the user sees, oldest first: a
    closed round's budget as it froze, an open one's as it is today."""
    rows = []
    for fiche in reversed(fiches):
        finance = getattr(fiche, "finance", None)
        frozen = finance.budget_eur if finance else None
        rows.append(
            MoneyRow(
                round=fiche.round,
                budget_eur=frozen if frozen is not None else project.budget_eur,
                committed_eur=finance.committed_eur if finance else None,
                paid_eur=finance.paid_eur if finance else None,
            )
        )
    return rows


def _leave_form(project: Project) -> LeavePlanForm:
    """The form offers the rounds the project may leave from: those after its last fiche
    in a closed round (leave_plan refuses the others)."""
    rounds = ReportingRound.objects.after_closed(project.fiches.all())
    return LeavePlanForm(rounds=rounds, initial={"from_round": project.left_plan_from_id})


@require_POST
def project_leave_plan(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Take the project out of the plan from a round on (relance.services.leave_plan)."""
    if not can_take_out_of_plan(request.user):
        raise PermissionDenied
    project = get_object_or_404(Project, code=code)
    form = LeavePlanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                gettext("Kies een meetmoment en geef een reden om het project eruit te halen.")
            )
        removed = services.leave_plan(
            project=project,
            from_round=form.cleaned_data["from_round"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(project)
    message = gettext("%(project)s is buiten het plan vanaf %(round)s.") % {
        "project": project.code,
        "round": form.cleaned_data["from_round"],
    }
    if removed:
        message += " " + gettext(
            "De fiche van het open meetmoment is verwijderd, met haar bedragen, "
            "mijlpaalstatussen en indicatorwaarden."
        )
    messages.success(request, message)
    return redirect(project)
