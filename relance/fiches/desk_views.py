"""The editor's home: "Mijn fiches" (/mijn-fiches/), and where signing in lands."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import ReportingRound
from projects.permissions import has_own_fiches

from .desk import Desk, editor_desk
from .kept_drafts import saved_tokens


@require_GET
def my_fiches(request: AuthenticatedRequest) -> HttpResponse:
    """The open round's fiches of the user's own domains: returned (with the coordinator's
    comment), drafts, not started, then those submitted; the deadline and the progress."""
    desk = editor_desk(request) if has_own_fiches(request.user) else Desk(round=None)
    return render(
        request,
        "relance/my_fiches.html",
        {
            "desk": desk,
            "own_fiches": has_own_fiches(request.user),
            "saved_drafts": saved_tokens(request),
        },
    )


@require_GET
def start(request: AuthenticatedRequest) -> HttpResponseRedirect:
    """Where signing in lands: an editor on "Mijn fiches" while a round is open; everyone
    else (and an editor between rounds) on the dashboard."""
    if has_own_fiches(request.user) and ReportingRound.objects.open().exists():
        return redirect("my-fiches")
    return redirect("home")
