"""What the browser keeps of a fiche being typed (static/js/forms.js), and how it learns that
a save took it in.

The browser keeps the input in localStorage under a token of the page it was typed on, and
posts the token with the form (``draft_token``). A save that succeeds records the token in
the session; the pages after it name the recent ones, so the browser forgets those copies.
A POST that never reached the form (a session that expired: the login page took it) records
nothing, so the copy is filled in again after signing in.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

SESSION_KEY = "relance_saved_drafts"
KEEP = 20
TOKEN = re.compile(r"[A-Za-z0-9-]{8,64}")


def remember_saved(request: HttpRequest) -> None:
    """Record the posted page's token (when it is one) as saved in this session."""
    token = request.POST.get("draft_token", "")
    if not TOKEN.fullmatch(token):
        return
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    request.session[SESSION_KEY] = [*tokens, token][-KEEP:]


def saved_tokens(request: HttpRequest) -> str:
    """The tokens saved in this session, for the page's meta tag (space-separated)."""
    return " ".join(t for t in request.session.get(SESSION_KEY, []) if TOKEN.fullmatch(t))
