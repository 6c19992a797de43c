"""/audit/: who changed what and when, for coordinators and admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from projects.http import AuthenticatedRequest
from projects.permissions import can_read_audit

from .entries import entries, explain
from .filters import AuditFilter
from .tables import AuditTable


@require_GET
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every recorded change to the reporting, newest first, filtered and in pages; each
    row says who, when, through which channel, and per field what it was and became."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    audit_filter = AuditFilter(request.GET)
    filtered = audit_filter.filtered()
    table = AuditTable(entries(filtered) if filtered is not None else [])
    RequestConfig(request).configure(table)
    # The page's rows, read once (a sliced queryset keeps them): their changes are added.
    page_rows = [row.record for row in table.page.object_list] if table.page else []
    explain(page_rows)
    status = 400 if audit_filter.form.errors else 200
    return render(
        request, "relance/audit_list.html", {"filter": audit_filter, "table": table}, status=status
    )
