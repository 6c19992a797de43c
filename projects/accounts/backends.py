"""One authentication backend: Django's ModelBackend behind django-axes' lockout."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class LockoutModelBackend(AxesStandaloneBackend, ModelBackend):
    """Refuses a locked-out user name or address (django-axes raises), then signs in as
    ModelBackend does. One backend rather than axes' and Django's side by side, so that
    ``User.objects.with_perm`` (the reminders' recipients) keeps working: it needs one."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        AxesStandaloneBackend.authenticate(self, request, username, password, **kwargs)
        return ModelBackend.authenticate(self, request, username, password, **kwargs)
