"""The artefacts' responses: the file when it is ready, else a progress page that polls.

Access is that of the URL that asks for the artefact, checked again by its progress page
and its download, each time, for whoever follows the link: the round's figures
(relance.reporting.access) for a round's documents, under /rounds/<code>/artefacts/; the
workbook export's permission for the plan workbook, under /exports/artefacts/.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import ReportingRound
from projects.permissions import can_export_workbook
from relance.artefacts.services import dispatch, path_of, request_artefact
from relance.models import Artefact, ArtefactKind
from relance.reporting.access import reportable_round

# The progress page asks again after this many seconds (a meta refresh: no script).
POLL_SECONDS = 2


# The kinds served under a round's URL, with the round's access; the plan workbook has
# its own (the workbook export's permission).
ROUND_KINDS = (
    ArtefactKind.REPORT,
    ArtefactKind.PACKAGE,
    ArtefactKind.SCOREBOARD,
    ArtefactKind.NOTE,
)
# Sent as a stream: a workbook of a large plan is tens of megabytes. A newer build replaces
# the file under a new name and removes the old one; the open file is still read whole.
STREAMED = (ArtefactKind.WORKBOOK, ArtefactKind.OPEN_DATA)


def _file_response(artefact: Artefact) -> HttpResponseBase:
    if artefact.kind in STREAMED:
        try:
            handle = path_of(artefact).open("rb")
        except OSError:
            raise Http404("The artefact's file is gone.") from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=artefact.filename,
            content_type=artefact.content_type,
        )
    # Read whole (a report is a few megabytes).
    try:
        data = path_of(artefact).read_bytes()
    except OSError:
        raise Http404("The artefact's file is gone.") from None
    inline = artefact.kind in (ArtefactKind.REPORT, ArtefactKind.NOTE)
    disposition = "inline" if inline else "attachment"
    response = HttpResponse(data, content_type=artefact.content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{artefact.filename}"'
    return response


def artefact_response(
    request: AuthenticatedRequest,
    *,
    kind: ArtefactKind,
    reporting_round: ReportingRound | None,
    parameters: dict[str, Any],
    filename: str,
) -> HttpResponseBase:
    """The artefact's file if it is ready (after building it here without a worker), else a
    redirect to its progress page. The caller has checked that the user may ask for it."""
    artefact, start = request_artefact(
        kind=kind, reporting_round=reporting_round, parameters=parameters, filename=filename
    )
    if start:
        dispatch(artefact.pk)
        artefact.refresh_from_db()
    if artefact.is_done:
        return _file_response(artefact)
    return redirect(_progress_url(artefact))


def _progress_url(artefact: Artefact, *, download: bool = False) -> str:
    if artefact.kind in ROUND_KINDS:
        assert artefact.round is not None
        name = "rounds:artefact-download" if download else "rounds:artefact"
        return reverse(name, args=[artefact.round.code, artefact.pk])
    name = "export-artefact-download" if download else "export-artefact"
    return reverse(name, args=[artefact.pk])


def _artefact(request: AuthenticatedRequest, code: str, pk: int) -> Artefact:
    reporting_round = reportable_round(request.user, code)
    artefact = Artefact.objects.filter(pk=pk, round=reporting_round, kind__in=ROUND_KINDS).first()
    if artefact is None:
        raise Http404("No such artefact.")
    artefact.round = reporting_round
    return artefact


def _export_artefact(request: AuthenticatedRequest, pk: int) -> Artefact:
    """A plan workbook, for those who may export it (403 for others, as its URL)."""
    if not can_export_workbook(request.user):
        raise PermissionDenied
    artefact = (
        Artefact.objects.select_related("round").filter(pk=pk, kind=ArtefactKind.WORKBOOK).first()
    )
    if artefact is None:
        raise Http404("No such artefact.")
    return artefact


def _source_url(artefact: Artefact) -> str:
    """The URL that asks for the artefact again (to retry a failed build)."""
    if artefact.kind == ArtefactKind.WORKBOOK:
        url = reverse("workbook-export")
        return url + (f"?round={artefact.round.code}" if artefact.round else "")
    assert artefact.round is not None
    code = artefact.round.code
    if artefact.kind == ArtefactKind.PACKAGE:
        return reverse("rounds:package", args=[code])
    if artefact.kind == ArtefactKind.SCOREBOARD:
        return reverse(f"rounds:rrf-{artefact.parameters['format']}", args=[code])
    if artefact.kind == ArtefactKind.NOTE:
        return reverse("rounds:indicators-pdf", args=[code, artefact.parameters["note"]])
    url = reverse("rounds:report", args=[code])
    query = []
    if artefact.parameters.get("speerpunt") is not None:
        query.append(f"speerpunt={artefact.parameters['speerpunt']}")
    if artefact.parameters.get("rrf"):
        query.append("rrf=1")
    return url + ("?" + "&".join(query) if query else "")


def _progress(request: AuthenticatedRequest, artefact: Artefact) -> HttpResponse:
    context = {
        "artefact": artefact,
        "poll_seconds": POLL_SECONDS if artefact.is_unfinished else None,
        "download_url": _progress_url(artefact, download=True),
        "retry_url": _source_url(artefact),
    }
    return render(request, "relance/artefact.html", context)


def _download(artefact: Artefact) -> HttpResponseBase:
    if not artefact.is_done:
        return redirect(_progress_url(artefact))
    return _file_response(artefact)


@require_GET
def artefact_progress(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponse:
    """Where the build stands; it reloads itself until the file can be downloaded."""
    return _progress(request, _artefact(request, code, pk))


@require_GET
def artefact_download(request: AuthenticatedRequest, code: str, pk: int) -> HttpResponseBase:
    return _download(_artefact(request, code, pk))


@require_GET
def export_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The plan workbook's progress page (relance/workbook/views.py asks for it)."""
    return _progress(request, _export_artefact(request, pk))


@require_GET
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _download(_export_artefact(request, pk))
