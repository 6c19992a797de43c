"""The milestone table: filters, sorting, pages, and export of what it shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from projects.views_lists import PlanTableView

from .filters import MilestoneFilter
from .models import Milestone, MilestoneQuerySet
from .tables import MilestoneTable


class MilestoneListView(PlanTableView):
    """Every milestone of the plan; the status columns show only what the user may read of
    the chosen round (MilestoneFilter joins it through ``Milestone.objects.with_status_in``)."""

    table_class = MilestoneTable
    filterset_class = MilestoneFilter
    export_name = "mijlpalen"
    dataset_kwargs = {"title": _("Mijlpalen")}

    def get_queryset(self) -> MilestoneQuerySet:
        return Milestone.objects.for_table()
