"""The project table: filters, sorting, pages, and export of what it shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from .exports import SafeTableExport
from .filters import ProjectFilter
from .models import Project
from .models.plan import ProjectQuerySet
from .tables import ProjectTable


class PlanTableView(ExportMixin, SingleTableMixin, FilterView):
    """A table of the plan: filtered, sorted, in pages, and exported as it is shown (CSV or
    xlsx, formula-safe). Its template is ``<app>/<model>_list.html``, as a ListView's."""

    template_name_suffix = "_list"
    export_class = SafeTableExport
    export_formats = (SafeTableExport.XLSX, SafeTableExport.CSV)


class ProjectListView(PlanTableView):
    """Every project of the plan; the status columns show only fiches the user may read
    (ProjectFilter joins them through ``Project.objects.with_fiche_in``)."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    export_name = "projecten"
    dataset_kwargs = {"title": _("Projecten")}

    def get_queryset(self) -> ProjectQuerySet:
        return Project.objects.with_structure()
