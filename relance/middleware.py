"""Guards on every request: the size a body declares, parameters nothing can answer, and
who may keep a response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
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
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class BadParameterMiddleware:
    """Refuse with 400, saying why, the query parameters that no view can answer otherwise:

    - a NUL character, which PostgreSQL cannot hold in any text it compares with;
    - an empty ``_to_field``, which the admin site would take for a field named "".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = _("De parameter %(name)s bevat een NUL-teken.") % {"name": repr(name)}
                if request.path.startswith("/api/"):
                    # The API's documented 400: the messages by parameter name.
                    return JsonResponse({name: [message]}, status=400)
                return _bad_request(message)
        if request.GET.get("_to_field", None) == "":
            return _bad_request(_("De parameter _to_field is leeg."))
        return self.get_response(request)


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def is_public_response(request: HttpRequest) -> bool:
    """Public data, asked for anonymously: nothing in it belongs to one reader."""
    if not request.path.startswith(PUBLIC_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:  # an API token: the answer is that user's
        return False
    # Read before the view: an API view puts its own (anonymous) user on the request.
    return not getattr(request, "relance_signed_in", False)


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response that is not public data, so
    that neither a browser nor a proxy keeps a draft, an export or a signed-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        user = getattr(request, "user", None)
        request.relance_signed_in = bool(user and user.is_authenticated)  # type: ignore[attr-defined]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public_response(request):
            # patch_cache_control drops a "public" the view may have set.
            patch_cache_control(response, private=True, no_store=True)
        return response
