"""The client's address, as the configured reverse proxies report it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the last of ``RELANCE_PROXIES`` proxies saw, else the socket's.

    Each proxy appends the address it saw to X-Forwarded-For; what a client wrote there
    itself comes before those, so only the ``RELANCE_PROXIES``-th entry from the right is
    believed (the rule of open data's throttles, Django REST Framework's ``NUM_PROXIES``).
    With no proxy configured the header is ignored: a client that rotates it gains nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.RELANCE_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    return entries[-min(proxies, len(entries))] or remote
