"""The milestone table: filters, sorting, pages, and export of what it shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from projects.exports import SafeTableExport

from .filters import MilestoneFilter
from .models import Milestone, MilestoneQuerySet
from .tables import MilestoneTable


class MilestoneListView(ExportMixin, SingleTableMixin, FilterView):
    """Every milestone of the plan; the status columns show only what the user may read of
    the chosen round (MilestoneFilter joins it through ``Milestone.objects.with_status_in``)."""

    table_class = MilestoneTable
    filterset_class = MilestoneFilter
    template_name = "milestones/milestone_list.html"
    export_class = SafeTableExport
    export_formats = (SafeTableExport.XLSX, SafeTableExport.CSV)
    export_name = "mijlpalen"
    dataset_kwargs = {"title": _("Mijlpalen")}

    def get_queryset(self) -> MilestoneQuerySet:
        return Milestone.objects.for_table()
