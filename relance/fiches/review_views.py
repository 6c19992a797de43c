"""The coordinators' review actions on the fiche page: approve, return, flag, lift or
confirm a flag, and mark its follow-up actions done. Each is a small POST: authorise, call
the review service, and show the fiche again (with the error) or redirect to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import Fiche, FlagLevel, FollowUpAction
from projects.permissions import can_review_fiche, can_update_follow_up

from . import early_warnings, review
from .forms import (
    VERSION_MAX,
    BaseFollowUpFormSet,
    DismissSuggestionForm,
    FlagForm,
    FollowUpFormSet,
    LiftFlagForm,
    ReturnForm,
)
from .review_desk import DeskFilter
from .review_page import render_review
from .snapshots import snapshot
from .views import open_fiche, render_fiche


def _reviewable(request: AuthenticatedRequest, code: str) -> Fiche:
    """The fiche to review, as the coordinator saw it: a review step posts the version it
    was decided on, and a fiche changed since then is refused (the service checks it)."""
    fiche = open_fiche(request, code)
    if not can_review_fiche(request.user, fiche):
        raise PermissionDenied
    return fiche


def _seen_version(request: AuthenticatedRequest) -> int:
    """The version the reviewer saw; 0 (no fiche has it: the step is refused as stale) for
    anything that is no version, a number past what the column holds included."""
    value = request.POST.get("version", "")
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(VERSION_MAX))):
        return 0
    number = int(value)
    return number if number <= VERSION_MAX else 0


def _step(
    request: AuthenticatedRequest,
    fiche: Fiche,
    step: Callable[[], object],
    done: str,
    review_forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """Take a review step: done, say so and show the fiche; refused (a ``ValidationError``,
    from its form or its service), show the fiche with why and with what was typed."""
    from_desk = request.POST.get("next") == "desk"
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if from_desk:
            return_form = (review_forms or {}).get("return_form")
            chosen = DeskFilter.of(request.POST)
            return render_review(request, fiche, chosen, return_form=return_form, status=400)
        return render_fiche(request, fiche, review_forms=review_forms, status=400)
    messages.success(request, done)
    if from_desk:
        return redirect(_next_on_desk(request, fiche))
    return redirect(reverse("fiche", args=[fiche.project.code]))


def _next_on_desk(request: AuthenticatedRequest, fiche: Fiche) -> str:
    """After a decision taken on the review screen: the next fiche of the desk's queue, in
    the filter the coordinator works through (this fiche skipped if it is still there)."""
    chosen = DeskFilter.of(request.POST)
    after = urlencode({"after": fiche.project.code})
    query = f"{chosen.query}&{after}" if chosen.query else after
    return f"{reverse('rounds:desk-next', args=[fiche.round.code])}?{query}"


def _cleaned(form: forms.Form, name: str, refusal: str) -> Any:
    """The form's cleaned ``name``, or the step refused with ``refusal``."""
    if not form.is_valid():
        raise ValidationError(refusal)
    return form.cleaned_data[name]


def _decision(
    request: AuthenticatedRequest, code: str, decide: Callable[..., object], done: str
) -> HttpResponse:
    """A review step on the fiche that takes nothing but the version seen."""
    fiche = _reviewable(request, code)
    return _step(
        request,
        fiche,
        lambda: decide(fiche=fiche, by=request.user, seen_version=_seen_version(request)),
        done,
    )


def _explained(
    request: AuthenticatedRequest,
    code: str,
    decide: Callable[..., object],
    form: tuple[str, type[forms.Form], str],
    missing: str,
    done: str,
) -> HttpResponse:
    """A review step that takes the version seen and one text from its form, refused with
    ``missing`` while the form is invalid. ``form`` is the form's name on the fiche page, its
    class, and the text's field (named so in the step too)."""
    fiche = _reviewable(request, code)
    name, form_class, field = form
    bound = form_class(request.POST)
    return _step(
        request,
        fiche,
        lambda: decide(
            fiche=fiche,
            by=request.user,
            seen_version=_seen_version(request),
            **{field: _cleaned(bound, field, missing)},
        ),
        done,
        {name: bound},
    )


@require_POST
def fiche_approve(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _decision(request, code, review.approve_fiche, _("De fiche is goedgekeurd."))


@require_POST
def fiche_return(request: AuthenticatedRequest, code: str) -> HttpResponse:
    missing = _("Zeg de projecteigenaar waarom de fiche teruggaat.")
    done = _("De fiche is teruggestuurd naar de projecteigenaar.")
    form = ("return_form", ReturnForm, "comment")
    return _explained(request, code, review.return_fiche, form, missing, done)


@require_POST
def fiche_flag(request: AuthenticatedRequest, code: str) -> HttpResponse:
    fiche = _reviewable(request, code)
    form = FlagForm(request.POST)
    followups = cast(BaseFollowUpFormSet, FollowUpFormSet(request.POST, prefix="actions"))

    def step() -> None:
        if not (form.is_valid() and followups.is_valid()):
            raise ValidationError(
                _("De markering is niet opgeslagen: verbeter de gemarkeerde velden.")
            )
        review.flag_project(
            fiche=fiche,
            by=request.user,
            level=FlagLevel(form.cleaned_data["level"]),
            motivation=form.cleaned_data["motivation"],
            actions=followups.follow_ups(),
            seen_version=_seen_version(request),
        )

    done = _("Het project is gemarkeerd.")
    return _step(request, fiche, step, done, {"flag_form": form, "followups": followups})


@require_POST
def fiche_unflag(request: AuthenticatedRequest, code: str) -> HttpResponse:
    missing = _("Zeg waarom de markering opgeheven wordt.")
    done = _("De markering is opgeheven.")
    form = ("lift_form", LiftFlagForm, "reason")
    return _explained(request, code, review.lift_flag, form, missing, done)


@require_POST
def fiche_confirm_flag(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _decision(request, code, review.confirm_flag, _("De markering is bevestigd."))


# -- the early warning's suggestion ----------------------------------------------------------


@require_GET
def suggestion_accept(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Accept the suggestion: the fiche with its flag form open, filled in with the level and
    the reasons. Nothing changes until the coordinator submits that form (``fiche_flag``)."""
    fiche = _reviewable(request, code)
    found = early_warnings.suggestion(snapshot(fiche))
    if found is None:
        messages.info(request, _("Er is geen suggestie meer voor dit project."))
        return redirect(reverse("fiche", args=[fiche.project.code]))
    if fiche.flags.filter(lifted_at__isnull=True).exists():
        messages.info(
            request,
            _(
                "Dit project is al gemarkeerd: hef die markering eerst op en neem de suggestie "
                "daarna over."
            ),
        )
        return render_fiche(request, fiche)
    form = FlagForm(initial={"level": found.level, "motivation": found.motivation})
    return render_fiche(request, fiche, review_forms={"flag_form": form, "flag_open": True})


@require_POST
def suggestion_dismiss(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Dismiss the suggestion with a reason: it stays dismissed while its reasons do not grow."""
    fiche = _reviewable(request, code)
    form = DismissSuggestionForm(request.POST)

    def step() -> None:
        if not form.is_valid():
            raise ValidationError(_("Zeg waarom de suggestie afgewezen wordt."))
        early_warnings.dismiss_suggestion(
            fiche=fiche,
            by=request.user,
            reason=form.cleaned_data["reason"],
            seen_rule=form.cleaned_data["rule"],
            seen_facts=form.cleaned_data["facts"],
        )

    done = _("De suggestie is afgewezen.")
    return _step(request, fiche, step, done, {"dismiss_form": form})


# -- follow-up actions -----------------------------------------------------------------------


def _follow_up(request: AuthenticatedRequest, code: str, pk: int) -> tuple[Fiche, FollowUpAction]:
    """An action of the flag on the project's fiche of the open round, for those who follow
    it up."""
    fiche = open_fiche(request, code)
    action = get_object_or_404(
        FollowUpAction.objects.select_related("flag__fiche__round", "flag__fiche__project"),
        pk=pk,
        flag__fiche=fiche,
    )
    if not can_update_follow_up(request.user, action):
        raise PermissionDenied
    return fiche, action


def _follow_up_step(
    request: AuthenticatedRequest,
    code: str,
    pk: int,
    change: Callable[..., object],
    done: str,
) -> HttpResponse:
    fiche, action = _follow_up(request, code, pk)
    return _step(request, fiche, lambda: change(action=action, by=request.user), done)


@require_POST
def follow_up_done(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    done = _("De opvolgingsactie is afgerond.")
    return _follow_up_step(request, code, pk, review.complete_follow_up, done)


@require_POST
def follow_up_reopen(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    done = _("De opvolgingsactie staat weer open.")
    return _follow_up_step(request, code, pk, review.reopen_follow_up, done)
