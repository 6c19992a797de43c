"""Two guards on every request: the size a body declares, and who may keep a response."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# The only paths whose answers anyone may keep: the static files, the open data of closed
# rounds (API, downloads) and the public dashboard. Everything else holds what only its
# signed-in reader may see, the open round's drafts first of all.
PUBLIC_PREFIXES = ("/static/", "/api/", "/open-data/", "/public/")

MB = 1024 * 1024


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body (``Content-Length``) is larger than
    ``RELANCE_UPLOAD_MAX_BYTES`` with 413, before anything reads a byte of it.

    Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``) leave files out, and the workbook
    form could only see the file's size once the whole body was in. It comes before the CSRF
    check, which reads the form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.RELANCE_UPLOAD_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            message = _(
                "De aanvraag is te groot: %(size)s MB, de grens is %(limit)s MB. "
                "Er is niets van ontvangen of bewaard."
            ) % {"size": round(declared / MB, 1), "limit": round(limit / MB, 1)}
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            # The client's body was never read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def is_public_response(request: HttpRequest) -> bool:
    """Public data, asked for anonymously: nothing in it belongs to one reader."""
    if not request.path.startswith(PUBLIC_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:  # an API token: the answer is that user's
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response that is not public data, so
    that neither a browser nor a proxy keeps a draft, an export or a signed-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public_response(request):
            # patch_cache_control drops a "public" the view may have set.
            patch_cache_control(response, private=True, no_store=True)
        return response
