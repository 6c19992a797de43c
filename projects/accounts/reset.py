"""The password reset, limited per client address and per e-mail address.

Django's view already answers the same whether or not an account has the address; the
limit counts every address asked for, known or not, so its answer reveals nothing either.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse
from django.shortcuts import render

from .addresses import client_address
from .throttle import hit


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().casefold()
        mailbox = hashlib.sha256(email.encode()).hexdigest()
        address = client_address(self.request)
        allowed = hit(
            f"password-reset:address:{address}", settings.RELANCE_RESET_RATE_ADDRESS
        ) and hit(f"password-reset:account:{mailbox}", settings.RELANCE_RESET_RATE_ACCOUNT)
        if not allowed:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)
