"""The signed-in user's own API token, rotated from /account/ (shown there too)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .http import AuthenticatedRequest
from .tokens import issue_token, token_of


class RotateTokenForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ik begrijp dat het huidige token meteen ophoudt te werken, ook in de systemen "
            "die het nu gebruiken."
        )
    )


@require_POST
def api_token(request: AuthenticatedRequest) -> HttpResponse:
    """Make the user's first token, or replace it once they confirm that the old one stops
    working."""
    if token_of(request.user) is None:
        issue_token(user=request.user)
        messages.success(request, _("Uw API-token is aangemaakt."))
        return redirect("account")
    if not RotateTokenForm(request.POST).is_valid():
        messages.error(
            request,
            _("Het token is niet vervangen: bevestig dat het huidige token ophoudt te werken."),
        )
        return redirect("account")
    issue_token(user=request.user, rotate=True)
    messages.success(request, _("Uw API-token is vervangen; het vorige werkt niet meer."))
    return redirect("account")
