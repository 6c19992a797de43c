"""/open-data/: the page with a zip per closed round, for anyone, signed in or not."""

from __future__ import annotations

import math
import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relance.api.throttling import DownloadThrottle

from . import catalog as dcat
from .archive import SPOOL_BYTES, archive_filename, write_archive
from .queries import published_round, published_rounds
from .tables import TABLES


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
    """The zip of a closed round; 404 for an open or draft one."""
    reporting_round = published_round(code)
    throttle = DownloadThrottle()
    if not throttle.allow_request(request, None):
        wait = throttle.wait()
        return HttpResponse(
            _("Te veel downloads: probeer het later opnieuw."),
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(math.ceil(wait or 60))},
        )
    # Spooled: a small plan stays in memory, a large one goes to disk as it is written.
    # The response closes it once sent.
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write_archive(reporting_round, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=archive_filename(reporting_round),
        content_type="application/zip",
    )
