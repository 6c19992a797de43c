"""API tokens: one per user (DRF's authtoken), shown only to its user, replaced on demand.

A token signs its user in to the API (``/api/…``) with the user's own role and domains:
it grants nothing the user could not do in the browser.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


def token_of(user: User) -> str | None:
    """The user's token, or None while they have none: reading never makes one."""
    return Token.objects.filter(user=user).values_list("key", flat=True).first()


@transaction.atomic
def issue_token(*, user: User, rotate: bool = False) -> str:
    """The user's token, made on first use; ``rotate`` replaces it, so the old one no longer
    signs anyone in."""
    # Lock the user: two first uses at once make one token, not a unique-key error.
    User.objects.select_for_update().filter(pk=user.pk).first()
    token = Token.objects.filter(user=user).first()
    if token is not None and rotate:
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token.key
