"""The second factor's pages: enrolling an authenticator app, and its code at sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from projects.http import AuthenticatedRequest

from .forms import TokenForm
from .two_factor import (
    enrol_authenticator,
    has_authenticator,
    needs_second_factor,
    new_secret,
    provisioning_uri,
    qr_code_data_uri,
    renew_recovery_codes,
    secret_for_people,
    verify_second_factor,
)

SESSION_KEY = "relance_two_factor_key"


def _verified(user: Any) -> bool:
    """Passed the second factor in this session (django_otp's OTPMiddleware tells)."""
    return bool(user.is_verified())


def _next_url(request: AuthenticatedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: AuthenticatedRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next")
    url = reverse(name)
    return f"{url}?{urlencode({'next': target})}" if target else url


@never_cache
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrol an authenticator app: its QR code and secret, confirmed by one code from it;
    then the recovery codes, shown this once. Enrolled and verified: new recovery codes."""
    user = request.user
    if not needs_second_factor(user):
        raise PermissionDenied
    if has_authenticator(user):
        if not _verified(user):
            return redirect(_with_next("two-factor-verify", request))
        if request.method == "POST" and request.POST.get("action") == "renew":
            codes = renew_recovery_codes(user=user)
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        return render(request, "registration/two_factor_active.html")

    key = request.session.get(SESSION_KEY) or new_secret()
    request.session[SESSION_KEY] = key
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        enrolled = enrol_authenticator(user=user, key=key, token=form.cleaned_data["token"])
        if enrolled is None:
            form.add_error("token", _("Deze code klopt niet. Typ de code die de app nu toont."))
        else:
            device, codes = enrolled
            del request.session[SESSION_KEY]
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    uri = provisioning_uri(user, key)
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(uri),
        "secret": secret_for_people(key),
        "uri": uri,
        "next": request.GET.get("next", ""),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code (once)."""
    user = request.user
    if _verified(user):
        return redirect(_next_url(request))
    if not has_authenticator(user):
        if needs_second_factor(user):
            return redirect(_with_next("two-factor-setup", request))
        raise PermissionDenied
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device, throttled = verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "U meldde aan met een herstelcode; die werkt geen tweede keer. Maak "
                        "nieuwe herstelcodes aan als u er weinig over hebt."
                    ),
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _("Te veel foute codes na elkaar: wacht even en probeer opnieuw.")
            if throttled
            else _("Deze code klopt niet of is al gebruikt."),
        )
    context = {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")}
    return render(request, "registration/two_factor_verify.html", context, status=200)
