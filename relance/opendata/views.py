"""/open-data/: the page with a zip per closed round, for anyone, signed in or not."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relance.api.throttling import DownloadThrottle
from relance.artefacts.services import dispatch, path_of, request_artefact
from relance.models import ArtefactKind

from . import catalog as dcat
from .archive import archive_filename
from .queries import published_round, published_rounds
from .tables import TABLES

# A download tool asks again after this many seconds while a worker builds the zip.
BUILDING_RETRY_SECONDS = 30


@login_not_required
@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "relance/open_data.html",
        {
            "rounds": published_rounds(),
            "tables": TABLES,
            "licence": settings.RELANCE_OPEN_DATA_LICENCE,
        },
    )


@login_not_required
@require_GET
def catalog(request: HttpRequest) -> JsonResponse:
    """The DCAT-AP catalogue of the closed rounds, as JSON-LD (relance.opendata.catalog)."""
    return JsonResponse(
        dcat.catalog(list(published_rounds()), request.build_absolute_uri),
        content_type="application/ld+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@login_not_required
@require_GET
def round_archive(request: HttpRequest, code: str) -> HttpResponseBase:
    """The zip of a closed round; 404 for an open or draft one. It is an artefact
    (relance/artefacts): built once, when the round closes on a worker or at the first
    request without one, and then served from its file. While a worker builds it, the
    answer is 503 with Retry-After, which download tools understand."""
    reporting_round = published_round(code)
    throttle = DownloadThrottle()
    if not throttle.allow_request(request, None):
        wait = throttle.wait()
        return _text(_("Te veel downloads: probeer het later opnieuw."), 429, wait or 60)
    artefact, start = request_artefact(
        kind=ArtefactKind.OPEN_DATA,
        reporting_round=reporting_round,
        parameters={},
        filename=archive_filename(reporting_round),
    )
    if start:
        dispatch(artefact.pk)
        artefact.refresh_from_db()
    if not artefact.is_done:
        return _text(
            _("Het bestand wordt aangemaakt: probeer het over een minuut opnieuw."),
            503,
            BUILDING_RETRY_SECONDS,
        )
    try:
        handle = path_of(artefact).open("rb")
    except OSError:
        raise Http404("The archive's file is gone.") from None
    # Streamed from its file; the response closes it once sent.
    return FileResponse(
        handle, as_attachment=True, filename=artefact.filename, content_type="application/zip"
    )


def _text(message: str, status: int, retry_after: float) -> HttpResponse:
    return HttpResponse(
        message,
        status=status,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": str(math.ceil(retry_after))},
    )
