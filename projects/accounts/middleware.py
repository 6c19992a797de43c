"""The second factor before anything else, for those who need it (two_factor.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .two_factor import has_authenticator, needs_second_factor

# What a user signed in with a password alone may still reach: the second factor's pages,
# signing out and the language switch. Everything else, public pages included, waits.
ALLOWED_VIEWS = frozenset({"two-factor-setup", "two-factor-verify", "logout", "set_language"})


class TwoFactorMiddleware:
    """With ``RELANCE_REQUIRE_TWO_FACTOR`` on, a coordinator or admin signed in with a
    password only is sent to enrol an authenticator app (the first time) or to type its
    code, on every path: pages, POSTs, exports, partials, the admin site. After
    django_otp's OTPMiddleware, which tells whether the session passed the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not settings.RELANCE_REQUIRE_TWO_FACTOR:
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified() or not needs_second_factor(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        step = "two-factor-verify" if has_authenticator(user) else "two-factor-setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
