"""The plan workbook in the admin site: "Exporteer als werkboek" on each model that a sheet
of the workbook holds, and on a fiche's money (the reporting sheet), writes that sheet for
the selected rows from the workbook's declaration, so that it reads and imports like the
workbook itself. The admin site imports nothing: the plan comes in through the workbook
import, checked as a whole, all or nothing.

The action is added here, where the workbook is declared: projects, milestones and finance
never import relance (tests/test_architecture.py), so their admins (``PlanAdmin``) only say
who may export.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The plan's admins are registered first: this module adds to them.
import finance.admin  # noqa: F401
import milestones.admin  # noqa: F401
import projects.admin  # noqa: F401
from finance.models import FinanceReport

from .workbook import sheets
from .workbook.exporter import export_sheet
from .workbook.schema import Sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_action(sheet: Sheet, selected: str = "pk") -> Any:
    """The admin action that exports ``sheet``'s records whose ``selected`` path is among
    the selected rows."""

    @admin.action(description=_("Exporteer als werkboek"), permissions=["export"])
    def export_as_workbook(
        model_admin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
    ) -> FileResponse:
        # FileResponse closes the file once it is sent; the system removes it then.
        target = tempfile.TemporaryFile()  # noqa: SIM115
        export_sheet(target, sheet, rows={f"{selected}__in": queryset.values("pk")})
        target.seek(0)
        name = f"relance-{sheet.name}-{timezone.localdate().isoformat()}.xlsx"
        return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX)

    return export_as_workbook


# model → (its sheet, the path from the sheet's model to it)
EXPORTS: dict[type[Model], tuple[Sheet, str]] = {
    **{sheet.model: (sheet, "pk") for sheet in sheets.SHEETS},
    FinanceReport: (sheets.FICHES, "finance"),
}

for model, (sheet, selected) in EXPORTS.items():
    if admin.site.is_registered(model):
        model_admin = admin.site.get_model_admin(model)
        model_admin.actions = [*(model_admin.actions or ()), export_action(sheet, selected)]


# API tokens are secrets shown to their own user only (/account/): the admin site lists none.
# DRF's authtoken registers its admin when the admin site is discovered; import it first, so
# the registration this undoes has happened.
import rest_framework.authtoken.admin  # noqa: E402, F401
from rest_framework.authtoken.models import TokenProxy  # noqa: E402

admin.site.unregister(TokenProxy)
