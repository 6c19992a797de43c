"""The workbook pages: the admins' import (upload → preview → confirm) and the export.

The upload waits in MEDIA_ROOT between the preview and the confirmation, and the
confirmation checks it again against the database as it is by then.
"""

from __future__ import annotations

import tempfile
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.models import ReportingRound, User
from projects.permissions import can_export_workbook, can_import_workbook
from relance.models import WorkbookUpload

from .exporter import export_workbook
from .forms import UploadForm
from .importer import import_workbook
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
    request: HttpRequest, upload: WorkbookUpload, result: ImportResult, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "relance/workbook_preview.html",
        {
            "upload": upload,
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(result.errors) - ERRORS_SHOWN),
            "changes": result.created + result.updated,
            "warnings": result.warnings[:ERRORS_SHOWN],
            "more_warnings": max(0, len(result.warnings) - ERRORS_SHOWN),
        },
        status=status,
    )


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    upload = _upload(user, pk)
    with upload.open() as source:
        result = import_workbook(source, user=user, dry_run=True, filename=upload.filename)
    return _render_preview(request, upload, result)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    upload = _upload(user, pk)
    with upload.open() as source:
        result = import_workbook(source, user=user, filename=upload.filename)
    if not result.ok:
        messages.error(
            request,
            _("Er is niets geïmporteerd: het werkboek klopt niet (meer) met de databank."),
        )
        return _render_preview(request, upload, result, status=409)
    upload.discard()
    messages.success(
        request,
        _("Werkboek %(file)s geïmporteerd: %(created)s nieuw, %(updated)s gewijzigd.")
        % {"file": upload.filename, "created": result.created, "updated": result.updated},
    )
    return redirect("workbook-import")


@require_GET
def export_download(request: HttpRequest) -> FileResponse:
    """The plan workbook (one round's reporting with ?round=CODE), streamed from a
    temporary file: neither the workbook nor the plan is held in memory."""
    if not can_export_workbook(request.user):
        raise PermissionDenied
    round_code = request.GET.get("round") or None
    if round_code is not None and not ReportingRound.objects.filter(code=round_code).exists():
        raise Http404
    # FileResponse closes the file once it is sent; the system removes it then.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    export_workbook(target, round_code=round_code)
    target.seek(0)
    stamp = timezone.localdate().isoformat()
    name = f"relance-{round_code or 'plan'}-{stamp}.xlsx"
    return FileResponse(
        target,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
