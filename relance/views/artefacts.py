"""The artefacts' responses: the file when it is ready, else a progress page that polls.

Access is the round's (relance.reporting.access): the URL that asks for an artefact checks
it, and so do its progress page and its download, each time, for whoever follows the link.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import ReportingRound
from relance.artefacts.services import dispatch, path_of, request_artefact
from relance.models import Artefact, ArtefactKind
from relance.reporting.access import reportable_round

# The progress page asks again after this many seconds (a meta refresh: no script).
POLL_SECONDS = 2


def _file_response(artefact: Artefact) -> HttpResponse:
    # Read whole (a report is a few megabytes): the file may be replaced by a newer build
    # while a stream of it is still being sent.
    try:
        data = path_of(artefact).read_bytes()
    except OSError:
        raise Http404("The artefact's file is gone.") from None
    disposition = "attachment" if artefact.kind == ArtefactKind.PACKAGE else "inline"
    response = HttpResponse(data, content_type=artefact.content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{artefact.filename}"'
    return response


def artefact_response(
    request: AuthenticatedRequest,
    *,
    kind: ArtefactKind,
    reporting_round: ReportingRound,
    parameters: dict[str, Any],
    filename: str,
) -> HttpResponse:
    """The artefact's file if it is ready (after building it here without a worker), else a
    redirect to its progress page. The caller has checked that the user may see the round."""
    artefact, start = request_artefact(
        kind=kind, reporting_round=reporting_round, parameters=parameters, filename=filename
    )
    if start:
        dispatch(artefact.pk)
        artefact.refresh_from_db()
    if artefact.is_done:
        return _file_response(artefact)
    return redirect("rounds:artefact", reporting_round.code, artefact.pk)


def _artefact(request: AuthenticatedRequest, code: str, pk: int) -> Artefact:
    reporting_round = reportable_round(request.user, code)
    artefact = Artefact.objects.filter(pk=pk, round=reporting_round).first()
    if artefact is None:
        raise Http404("No such artefact.")
    artefact.round = reporting_round
    return artefact


def _source_url(artefact: Artefact) -> str:
    """The URL that asks for the artefact again (to retry a failed build)."""
    code = artefact.round.code
    if artefact.kind == ArtefactKind.PACKAGE:
        return reverse("rounds:package", args=[code])
    url = reverse("rounds:report", args=[code])
    query = []
    if artefact.parameters.get("speerpunt") is not None:
        query.append(f"speerpunt={artefact.parameters['speerpunt']}")
    if artefact.parameters.get("rrf"):
        query.append("rrf=1")
    return url + ("?" + "&".join(query) if query else "")


@require_GET
def artefact_progress(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    """Where the build stands; it reloads itself until the file can be downloaded."""
    artefact = _artefact(request, code, pk)
    context = {
        "artefact": artefact,
        "poll_seconds": POLL_SECONDS if artefact.is_unfinished else None,
        "download_url": reverse("rounds:artefact-download", args=[code, artefact.pk]),
        "retry_url": _source_url(artefact),
    }
    return render(request, "relance/artefact.html", context)


@require_GET
def artefact_download(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    artefact = _artefact(request, code, pk)
    if not artefact.is_done:
        return redirect("rounds:artefact", code, artefact.pk)
    return _file_response(artefact)
