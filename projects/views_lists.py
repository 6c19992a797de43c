"""The project table: filters, sorting, pages, and export of what it shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from .exports import Dialect, SafeTableExport
from .filters import ProjectFilter
from .models import Project
from .models.plan import ProjectQuerySet
from .tables import LateRowPaginator, ProjectTable


class PlanTableView(ExportMixin, SingleTableMixin, FilterView):
    """A table of the plan: filtered, sorted, in pages, and exported as it is shown (CSV or
    xlsx, formula-safe). Its template is ``<app>/<model>_list.html``, as a ListView's."""

    template_name_suffix = "_list"
    paginator_class = LateRowPaginator
    export_class = SafeTableExport
    export_formats = (SafeTableExport.XLSX, SafeTableExport.CSV)

    def create_export(self, export_format: str) -> HttpResponse:
        dialect: Dialect = (
            "international" if self.request.GET.get("dialect") == "international" else "belgian"
        )
        exporter = self.export_class(
            export_format=export_format,
            table=self.get_table(**self.get_table_kwargs()),
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
            about=self.export_about(),
            dialect=dialect,
        )
        return exporter.response(filename=self.get_export_filename(export_format))

    def get_export_filename(self, export_format: str) -> str:
        """The list, the round and the day: ``projecten_2023-12_2026-11-30.xlsx``."""
        chosen = self.filterset.chosen_round
        parts = [self.export_name, chosen.code if chosen else "", timezone.localdate().isoformat()]
        return "_".join(part for part in parts if part) + f".{export_format}"

    def export_about(self) -> list[tuple[str, str]]:
        """What the export holds, for its people: the list, the round, each filter applied
        and the value chosen, the number of rows and when it was made."""
        chosen = self.filterset.chosen_round
        title = (self.get_dataset_kwargs() or {}).get("title", self.export_name)
        about = [
            (_("Lijst"), str(title)),
            (_("Meetmoment"), f"{chosen.code} ({chosen.name})" if chosen else _("geen")),
        ]
        applied = [
            (str(field.label), _shown(field, value))
            for name, field in self.filterset.form.fields.items()
            if name != "round"
            and (value := self.filterset.form.cleaned_data.get(name)) not in (None, "", [], False)
        ]
        about += applied or [(_("Filters"), _("geen: de hele lijst"))]
        about += [
            (_("Rijen"), str(self.filterset.qs.count())),
            (_("Gemaakt op"), date_format(timezone.localtime(), "DATETIME_FORMAT")),
        ]
        return about


class ProjectListView(PlanTableView):
    """Every project of the plan; the status columns show only fiches the user may read
    (ProjectFilter joins them through ``Project.objects.with_fiche_in``)."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    export_name = "projecten"
    dataset_kwargs = {"title": gettext_lazy("Projecten")}

    def get_queryset(self) -> ProjectQuerySet:
        return Project.objects.with_structure()


def _shown(field: forms.Field, value: Any) -> str:
    """A filter's value as its form shows it: a choice's label, an object's name."""
    if isinstance(field, forms.BooleanField):
        return _("ja")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}  # type: ignore[misc,union-attr]
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(labels.get(str(item), item)) for item in values)
    return str(value)
