"""The editor's home: "Mijn fiches" (/mijn-fiches/). Where signing in lands, for every
role, is ``relance.views.start``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.permissions import has_own_fiches
from relance.notices import notices_for

from .editor_desk import Desk, editor_desk
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
            "notices": notices_for(request.user),
        },
    )
