"""The fiche of the open round (/projects/<code>/fiche/): the owners' form, and the page
the coordinators review it on (their actions are in ``review_views``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.http import AuthenticatedRequest
from projects.models import (
    Fiche,
    FlagLevel,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ReportingRound,
)
from projects.permissions import (
    can_edit_fiche,
    can_follow_up,
    can_report_for,
    can_review_fiche,
    has_own_fiches,
)

from . import checks, early_warnings, indicators, services
from .editor_desk import editor_desk
from .forms import (
    BaseIndicatorFormSet,
    DismissSuggestionForm,
    FicheForm,
    FlagForm,
    FollowUpFormSet,
    IndicatorFormSet,
    IndicatorValueFormSet,
    LiftFlagForm,
    MilestoneStatusFormSet,
    ReturnForm,
    fiche_input,
)
from .kept_drafts import remember_saved, saved_tokens
from .labels import error_summary, name_fields
from .notes import standing_notes
from .snapshots import snapshot


def open_fiche(request: AuthenticatedRequest, code: str) -> Fiche:
    """The project's fiche in the open round, for those who report for the project."""
    project = get_object_or_404(Project.objects.with_structure(), code=code)
    if not can_report_for(request.user, project):
        raise PermissionDenied
    reporting_round = ReportingRound.objects.open().first()
    if reporting_round is None:
        raise Http404(_("Er is geen open meetmoment."))
    fiche = (
        Fiche.objects.filter(round=reporting_round, project=project)
        .select_related("round", "project__domain", "project__cluster__speerpunt")
        .first()
    )
    if fiche is None:
        raise Http404(_("Dit project heeft geen fiche in het open meetmoment."))
    return fiche


class FicheForms:
    """The fiche form with its milestone, indicator-value and indicator formsets."""

    def __init__(self, fiche: Fiche, data: Any = None) -> None:
        self.fiche = fiche
        project = fiche.project
        # The stored fiche as the rules see it: what the page shows them on, and the
        # context a milestone row's entry is judged in.
        self.view = snapshot(fiche)
        self.milestones = {
            m.pk: m for m in Milestone.objects.filter(project=project).order_by("number")
        }
        # The indicators as the open round defines them (its own definition, or the one
        # it starts from): what the form shows and edits.
        self.definitions = list(
            IndicatorDefinition.objects.as_of(fiche.round)
            .filter(indicator__project=project)
            .select_related("indicator")
            .order_by("indicator__code")
        )
        self.indicators = [definition.indicator for definition in self.definitions]
        statuses = {
            s.milestone_id: s
            for s in MilestoneStatus.objects.filter(round=fiche.round, milestone__project=project)
        }
        values = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(round=fiche.round, indicator__project=project)
        }
        finance = FinanceReport.objects.filter(fiche=fiche).first()
        self.main = FicheForm(
            data,
            prefix="fiche",
            initial={
                "version": fiche.version,
                "owner_status": fiche.owner_status,
                "narrative": fiche.narrative,
                "committed_eur": finance.committed_eur if finance else None,
                "paid_eur": finance.paid_eur if finance else None,
            },
        )
        self.milestone_forms = MilestoneStatusFormSet(
            data,
            prefix="ms",
            form_kwargs={"milestones": self.milestones, "fiche": self.view},
            initial=[_milestone_initial(m, statuses.get(m.pk)) for m in self.milestones.values()],
        )
        self.value_forms = IndicatorValueFormSet(
            data,
            prefix="iv",
            initial=[
                {
                    "indicator": i.pk,
                    "value": values[i.pk].value if i.pk in values else None,
                    "note": values[i.pk].note if i.pk in values else "",
                }
                for i in self.indicators
            ],
        )
        self.indicator_forms = IndicatorFormSet(
            data,
            prefix="ind",
            initial=[
                {"id": d.indicator_id, "code": d.indicator.code}
                | {name: getattr(d, name) for name in indicators.DEFINED_FIELDS}
                for d in self.definitions
            ],
            form_kwargs={
                "indicators": {i.pk: i for i in self.indicators},
                "fixed_codes": indicators.codes_in_use_elsewhere(project, fiche.round),
            },
        )
        name_fields(self)

    @property
    def all(self) -> list[Any]:
        return [self.main, self.milestone_forms, self.value_forms, self.indicator_forms]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.all])

    def disable(self) -> None:
        for form in _forms(self.all):
            for field in form.fields.values():
                field.disabled = True

    def milestone_rows(self) -> list[tuple[Any, Milestone | None]]:
        return [(form, form.milestone_object) for form in self.milestone_forms]

    def value_rows(self) -> list[tuple[Any, IndicatorDefinition]]:
        return list(zip(self.value_forms, self.definitions, strict=False))


def _forms(items: Iterable[Any]) -> Iterable[forms.BaseForm]:
    for item in items:
        if isinstance(item, forms.BaseForm):
            yield item
        else:
            yield from item.forms


def _milestone_initial(milestone: Milestone, status: MilestoneStatus | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"milestone": milestone.pk}
    if status:
        initial.update(
            status=status.status,
            realised_on=status.realised_on,
            forecast_date=status.forecast_date,
            delay_reason=status.delay_reason,
            note=status.note,
        )
    return initial


def render_fiche(
    request: AuthenticatedRequest,
    fiche: Fiche,
    fiche_forms: FicheForms | None = None,
    *,
    review_forms: dict[str, Any] | None = None,
    conflict: Fiche | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = can_edit_fiche(request.user, fiche)
    keep_input = fiche_forms is not None and fiche_forms.main.is_bound
    fiche_forms = fiche_forms or FicheForms(fiche)
    if not editable and not keep_input:
        fiche_forms.disable()
    may_review = can_review_fiche(request.user, fiche)
    flag = (
        fiche.flags.filter(lifted_at__isnull=True)
        .select_related("carried_from__fiche__round")
        .prefetch_related("actions")
        .first()
    )
    # The early warning's suggestion is the coordinators' alone: shown apart from the other
    # findings, with its standing dismissal, to them; to no one else.
    findings = checks.run_checks(fiche_forms.view)
    suggested = None
    if may_review:
        findings, suggested = early_warnings.split_suggestion(
            findings, fiche.project_id, standing_notes(fiche.round)
        )
    else:
        findings = [f for f in findings if not early_warnings.is_suggestion(f)]
    context = {
        "fiche": fiche,
        "project": fiche.project,
        "round": fiche.round,
        "forms": fiche_forms,
        "editable": editable,
        "may_review": may_review,
        "flag": flag,
        "may_follow_up": can_follow_up(request.user, fiche),
        "events": fiche.events.select_related("by")[:20],
        "conflict": conflict,
        "findings": findings,
        "suggested": suggested,
        # A failed save lists each error at the top, linked to its field.
        "error_summary": error_summary(fiche_forms) if keep_input and status == 400 else [],
        # Save-and-next goes through the editor's "Mijn fiches".
        "has_desk": editable and has_own_fiches(request.user),
        "saved_drafts": saved_tokens(request),
        "review": {
            "return_form": ReturnForm(),
            "flag_form": FlagForm(initial={"level": FlagLevel.ATTENTION}),
            "followups": FollowUpFormSet(prefix="actions"),
            "lift_form": LiftFlagForm(),
            "dismiss_form": DismissSuggestionForm(),
            "flag_open": False,
            **(review_forms or {}),
        },
    }
    return render(request, "relance/fiche_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def fiche_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    fiche = open_fiche(request, code)
    if request.method == "GET":
        return render_fiche(request, fiche)
    if not can_edit_fiche(request.user, fiche):
        # Submitted or approved meanwhile: refuse the write, but show back what was typed.
        messages.error(
            request,
            _(
                "De fiche is intussen ingediend of beoordeeld en kan niet meer gewijzigd worden. "
                "Uw invoer staat hieronder, zodat er niets verloren gaat."
            ),
        )
        return render_fiche(request, fiche, FicheForms(fiche, request.POST), status=409)
    fiche_forms = FicheForms(fiche, request.POST)
    if not fiche_forms.is_valid():
        messages.error(request, _("De fiche is niet opgeslagen: verbeter de gemarkeerde velden."))
        return render_fiche(request, fiche, fiche_forms, status=400)

    data = fiche_input(fiche_forms.main, fiche_forms.milestone_forms, fiche_forms.value_forms)
    submit = "submit" in request.POST
    # "Opslaan en volgende", "Indienen en volgende": the next fiche of "Mijn fiches" in the
    # order the editor saw it, taken before this save moves the fiche in that list.
    go_next = "next" in (request.POST.get("save"), request.POST.get("submit"))
    following = editor_desk(request).next_after(fiche) if go_next else None
    # The rules judge the fiche as the input has it: their errors keep it a draft.
    findings = checks.run_checks(services.input_view(fiche_forms.view, data))
    missing = [finding.sentence for finding in findings if finding.is_error] if submit else []
    cleared = services.cleared_milestones(fiche, data)
    try:
        with transaction.atomic():
            services.save_fiche(
                fiche=fiche, data=data, by=request.user, submit=submit and not missing
            )
            indicators.save_indicator_definitions(
                fiche=fiche,
                entries=cast(BaseIndicatorFormSet, fiche_forms.indicator_forms).entries(),
                by=request.user,
            )
    except services.StaleFicheError:
        current = Fiche.objects.select_related("finance").get(pk=fiche.pk)
        messages.error(
            request,
            _(
                "Iemand anders heeft deze fiche intussen opgeslagen. Uw invoer staat hieronder; "
                "vergelijk met de opgeslagen versie en sla opnieuw op."
            ),
        )
        # The user's input stays; the next save is a deliberate one over the new version.
        post = request.POST.copy()
        post["fiche-version"] = str(current.version)
        return render_fiche(
            request, current, FicheForms(current, post), conflict=current, status=409
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_fiche(request, fiche, fiche_forms, status=400)

    remember_saved(request)
    for milestone in cleared:
        messages.warning(
            request,
            _("Mijlpaal %(number)s heeft geen status meer.") % {"number": milestone.number},
        )
    if missing:
        messages.warning(
            request,
            _("Opgeslagen als concept, nog niet ingediend. Er ontbreekt nog: %(missing)s")
            % {"missing": " ".join(missing)},
        )
    elif submit:
        messages.success(request, _("De fiche is ingediend."))
    else:
        messages.success(request, _("De fiche is opgeslagen."))
    if go_next and not missing:
        # What is still missing keeps the editor on this fiche; otherwise on to the next.
        if following is None:
            messages.info(request, _("Er is geen volgende fiche meer in te vullen."))
            return redirect(reverse("my-fiches"))
        return redirect(reverse("fiche", args=[following.project.code]))
    return redirect(reverse("fiche", args=[fiche.project.code]))
