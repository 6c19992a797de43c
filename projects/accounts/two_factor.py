"""The second factor: who needs it, enrolling an authenticator app, recovery codes.

A TOTP device (django-otp) per user, made only when the user proves they read its secret,
and a static device holding the one-time recovery codes, each consumed when used.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from projects.models import User
from projects.roles import STAFF_ROLES

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def needs_second_factor(user: Any) -> bool:
    """Coordinators and admins (and anyone who reaches the admin site) sign in with a
    second factor wherever ``RELANCE_REQUIRE_TWO_FACTOR`` is on."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_superuser or user.is_staff or user.role in STAFF_ROLES)


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def new_secret() -> str:
    """A new TOTP key (hex), kept in the session until the user confirms it."""
    return default_key()


def _totp(key: str) -> TOTP:
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time()
    return totp


def secret_for_people(key: str) -> str:
    """The key as authenticator apps ask to type it: base32, in groups of four."""
    text = b32encode(unhexlify(key.encode())).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: User, key: str) -> str:
    return TOTPDevice(user=user, key=key, name=TOTP_NAME).config_url


def qr_code_data_uri(uri: str) -> str:
    """The otpauth URI as an SVG QR code in a data: URI: an image, so the CSP allows it."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def _digits(token: str) -> int | None:
    token = token.strip().replace(" ", "")
    return int(token) if token.isascii() and token.isdigit() and len(token) <= 8 else None


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RELANCE_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def enrol_authenticator(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Make ``key`` the user's authenticator once ``token`` proves the app holds it; return
    the device and new recovery codes (to show once), or None when the code is wrong.
    Any earlier authenticator and recovery codes of the user are replaced."""
    totp = _totp(key)
    number = _digits(token)
    if number is None or not totp.verify(number, tolerance=1):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, key=key, name=TOTP_NAME, confirmed=True, last_t=totp.t()
    )
    return device, _new_recovery_codes(user)


@transaction.atomic
def renew_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes for the user, the old ones void; shown once."""
    return _new_recovery_codes(user)


@transaction.atomic
def verify_second_factor(*, user: User, token: str) -> tuple[Device | None, bool]:
    """The user's device that accepts ``token`` (a TOTP code, or a recovery code, which is
    used up), and whether a device refused to try because of earlier wrong codes (each
    wrong code doubles the wait, django-otp's throttling)."""
    token = token.strip().replace(" ", "").lower()
    # Six digits are the app's code, anything else a recovery code: a code tried on the
    # device it is meant for only, so that one wrong code slows down one device.
    is_totp_code = len(token) == 6 and token.isascii() and token.isdigit()
    throttled = False
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, TOTPDevice) != is_totp_code:
            continue
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if token and device.verify_token(token):
            return device, False
    return None, throttled
