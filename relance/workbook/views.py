"""The workbook pages: the admins' import (upload → preview → confirm) and the export.

The upload waits in MEDIA_ROOT between the preview and the confirmation, and the
confirmation checks it again against the database as it is by then. The preview and the
import run outside the request (jobs.py), the export too (relance/artefacts): each page
shows how its task goes until it is done.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.http import AuthenticatedRequest
from projects.models import ReportingRound, User
from projects.permissions import can_export_workbook, can_import_workbook
from relance.artefacts.builders import workbook_filename
from relance.models import ArtefactKind, ArtefactState, UploadTask, WorkbookUpload
from relance.views.artefacts import POLL_SECONDS, artefact_response

from . import jobs
from .forms import UploadForm
from .results import ImportResult

# The preview lists at most this many errors; the count is always complete.
ERRORS_SHOWN = 500


def _admin(request: HttpRequest) -> User:
    """The signed-in admin, or 403."""
    if not can_import_workbook(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def _upload(user: User, pk: int) -> WorkbookUpload:
    """One's own upload only: someone else's is none of one's business (404)."""
    return get_object_or_404(WorkbookUpload, pk=pk, owner=user)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        with transaction.atomic():
            WorkbookUpload.objects.stale().discard()
            WorkbookUpload.objects.filter(owner=user).discard()
            # Streamed to MEDIA_ROOT: a large file arrived in a temporary file, and is moved.
            upload = WorkbookUpload.objects.create(owner=user, filename=file.name[:255], file=file)
        return redirect("workbook-preview", pk=upload.pk)
    status = 400 if form.errors else 200
    return render(request, "relance/workbook_import.html", {"form": form}, status=status)


def _render_preview(
    request: HttpRequest,
    upload: WorkbookUpload,
    stored: tuple[ImportResult, int, int],
    *,
    refused: bool = False,
) -> HttpResponse:
    result, error_count, warning_count = stored
    return render(
        request,
        "relance/workbook_preview.html",
        {
            "upload": upload,
            "result": result,
            "refused": refused,
            "error_count": error_count,
            "errors": result.errors[:ERRORS_SHOWN],
            "more_errors": max(0, error_count - ERRORS_SHOWN),
            "changes": result.created + result.updated,
            "warning_count": warning_count,
            "warnings": result.warnings[:ERRORS_SHOWN],
            "more_warnings": max(0, warning_count - ERRORS_SHOWN),
        },
        # An import refused by the database as it is now: a conflict.
        status=409 if refused else 200,
    )


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload's page: its check (started on the first visit, outside the request) under
    way, failed, or done (the preview, with the confirmation when it has no errors); after
    the import, its outcome. ``?again=1`` checks again after a failure."""
    user = _admin(request)
    upload = _upload(user, pk)
    if upload.task == UploadTask.APPLY and upload.state == ArtefactState.DONE:
        stored = jobs.stored_result(upload)
        if stored is not None and stored[0].written:
            return _imported(request, upload, stored[0])
    upload, start = jobs.request_preview(upload.pk, again=bool(request.GET.get("again")))
    if start:
        jobs.dispatch(upload.pk)
        upload.refresh_from_db()
    stored = jobs.stored_result(upload)
    if stored is None:  # under way, or failed
        return render(
            request,
            "relance/workbook_progress.html",
            {"upload": upload, "poll_seconds": POLL_SECONDS if upload.is_unfinished else None},
        )
    return _render_preview(request, upload, stored, refused=upload.task == UploadTask.APPLY)


def _imported(request: HttpRequest, upload: WorkbookUpload, result: ImportResult) -> HttpResponse:
    upload.discard()
    messages.success(
        request,
        _("Werkboek %(file)s geïmporteerd: %(created)s nieuw, %(updated)s gewijzigd.")
        % {"file": upload.filename, "created": result.created, "updated": result.updated},
    )
    return redirect("workbook-import")


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the import (outside the request) of an upload whose preview has no errors; a
    second click joins the first. Its page shows how it goes."""
    user = _admin(request)
    upload = _upload(user, pk)
    try:
        upload, start = jobs.request_apply(upload.pk)
    except jobs.AlreadyImported:
        messages.info(
            request, _("Dit werkboek is al geïmporteerd; er is niets opnieuw geïmporteerd.")
        )
        return redirect("workbook-preview", pk=upload.pk)
    except jobs.NotPreviewed:
        messages.error(
            request,
            _("Er is niets geïmporteerd: bevestig pas na een voorbeeld zonder fouten."),
        )
        return redirect("workbook-preview", pk=upload.pk)
    if start:
        jobs.dispatch(upload.pk)
    return redirect("workbook-preview", pk=upload.pk)


@require_GET
def export_download(request: HttpRequest) -> HttpResponseBase:
    """The plan workbook (one round's reporting with ?round=CODE), built outside the request
    (relance/artefacts), served again while the data it was built from hold (its plan
    sheets change whatever the round), else built afresh: served when ready, else its
    progress page."""
    if not can_export_workbook(request.user):
        raise PermissionDenied
    round_code = request.GET.get("round") or None
    reporting_round = None
    if round_code is not None:
        reporting_round = ReportingRound.objects.filter(code=round_code).first()
        if reporting_round is None:
            raise Http404
    return artefact_response(
        cast(AuthenticatedRequest, request),
        kind=ArtefactKind.WORKBOOK,
        reporting_round=reporting_round,
        parameters={},
        filename=workbook_filename(round_code),
    )
