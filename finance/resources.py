"""django-import-export resources for the admin site (see projects/resources.py)."""

from __future__ import annotations

from typing import Any

from import_export import fields, widgets

from projects.models import Fiche, ReportingRound
from projects.resources import RoundBoundResource, TextWidget

from .models import FinanceReport


class FicheWidget(widgets.ForeignKeyWidget):
    """A fiche by the row's round and project."""

    def get_lookup_kwargs(self, value: Any, row: Any, **kwargs: Any) -> dict[str, Any]:
        return {"round__code": row.get("meetmoment"), "project__code": value}


class FinanceReportResource(RoundBoundResource):
    """VAK and VEK of a fiche; the frozen budget is the round's closing, never imported."""

    meetmoment = fields.Field("fiche__round__code", "meetmoment", TextWidget(), readonly=True)
    project = fields.Field("fiche", "project", FicheWidget(Fiche, "project__code"))
    vastgelegd_eur = fields.Field("committed_eur", "vastgelegd_eur", widgets.DecimalWidget())
    vereffend_eur = fields.Field("paid_eur", "vereffend_eur", widgets.DecimalWidget())
    budget_eur = fields.Field("budget_eur", "budget_eur", widgets.DecimalWidget(), readonly=True)

    class Meta:
        model = FinanceReport
        fields = ("meetmoment", "project", "vastgelegd_eur", "vereffend_eur", "budget_eur")
        import_id_fields = ("project",)
        clean_model_instances = True

    def round_of(self, instance: Any) -> ReportingRound:
        return instance.fiche.round
