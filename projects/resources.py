"""django-import-export resources: one model at a time, in the admin site.

The columns carry the plan workbook's Dutch names and natural keys (``workbook.md``), so a
sheet of the workbook imports here too, for one model. The whole workbook, all sheets at
once and all or nothing, goes through ``/imports/`` (relance/workbook), not through here.

Only admins import and coordinators and admins export (the workbook permissions); a row
that would change a closed round is refused, an unchanged one skipped; exports never
write a text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import (
    Cluster,
    Fiche,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    Speerpunt,
)
from .permissions import can_export_workbook, can_import_workbook
from .spreadsheets import csv_safe, text_cell

# The words of the workbook format (workbook.md) for a project's status.
PROJECT_STATUS_WORDS: dict[str, str] = {
    ProjectStatus.NOT_STARTED: "niet gestart",
    ProjectStatus.STARTED: "opgestart",
    ProjectStatus.IN_PROGRESS: "in uitvoering",
    ProjectStatus.REALISED: "gerealiseerd",
    ProjectStatus.ATTENTION: "aandacht",
    ProjectStatus.ACTION_REQUIRED: "actie nodig",
    ProjectStatus.STOPPED: "stopgezet",
}


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset: Any, **kwargs: Any) -> str:
        stream = io.StringIO()
        writer = csv.writer(stream)
        writer.writerow([csv_safe(header) for header in dataset.headers or []])
        for row in dataset:
            writer.writerow([csv_safe(value) for value in row])
        return stream.getvalue()


class SafeXLSX(base_formats.XLSX):
    """Every text a text cell: tablib would store a text that starts with ``=`` as a
    formula (or, escaping, drop the ``=``)."""

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet((dataset.title or "export")[:31])
        for row in [dataset.headers or [], *dataset]:
            sheet.append([self._cell(sheet, value) for value in row])
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    @staticmethod
    def _cell(sheet: Any, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return text_cell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))


class RoleImportExportMixin(ImportExportMixin):
    """Import and export buttons in the admin site, for those the workbook roles allow."""

    import_formats = [base_formats.XLSX, base_formats.CSV]
    export_formats = [SafeXLSX, SafeCSV]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return can_import_workbook(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return can_export_workbook(request.user) and super().has_export_permission(request)


# -- widgets ----------------------------------------------------------------------------------


class TextWidget(widgets.CharWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value).strip()


class DayWidget(widgets.DateWidget):
    """A date cell, or text YYYY-MM-DD or DD/MM/YYYY."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)
        self.formats = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        return super().clean(value.strip() if isinstance(value, str) else value, row, **kwargs)


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = ["ja", "yes", "true", "1", "waar", 1, True]
    FALSE_VALUES = ["nee", "no", "false", "0", "onwaar", 0, False]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        word = value.strip().lower() if isinstance(value, str) else value
        if word in (None, ""):
            return False
        if word in self.TRUE_VALUES:
            return True
        if word in self.FALSE_VALUES:
            return False
        raise ValueError(_("geen ja of nee: %(value)s") % {"value": value})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "ja" if value else "nee"


class ChoiceWidget(widgets.Widget):
    """A status by its word in the workbook format, its code, its label or (for projects)
    its colour, in any case; written as its word."""

    def __init__(
        self, choices: Any, words: Mapping[str, str], extra: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.words_out = dict(words)
        self.words_in = {str(label).lower(): value for value, label in choices}
        self.words_in |= {value: value for value, _label in choices}
        self.words_in |= {word: value for value, word in words.items()}
        self.words_in |= {word: value for word, value in (extra or {}).items() if word}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        found = self.words_in.get(" ".join(str(value or "").split()).lower())
        if found is None:
            raise ValueError(_("onbekende status: %(value)s") % {"value": value})
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.words_out.get(value, value or "")


def project_status_widget() -> ChoiceWidget:
    return ChoiceWidget(ProjectStatus.choices, PROJECT_STATUS_WORDS, ProjectStatus.reading())


class PlanResource(resources.ModelResource):
    class Meta:
        # An unchanged row is not saved: a closed round's rows can be imported again.
        skip_unchanged = True
        report_skipped = True


class RoundBoundResource(PlanResource):
    """Rows of a round: those that would change a closed round are refused."""

    def round_of(self, instance: Any) -> ReportingRound:
        return instance.round

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Reached only for a row that changes something: unchanged rows are skipped.
        reporting_round = self.round_of(instance)
        if reporting_round.is_closed:
            raise ValidationError(
                _("Meetmoment %(round)s is gesloten: de gegevens ervan wijzigen niet meer.")
                % {"round": reporting_round.code}
            )


# -- resources --------------------------------------------------------------------------------


class PolicyDomainResource(PlanResource):
    code = fields.Field("code", "code", TextWidget())
    naam = fields.Field("name", "naam", TextWidget())

    class Meta:
        model = PolicyDomain
        fields = ("code", "naam")
        import_id_fields = ("code",)


class SpeerpuntResource(PlanResource):
    nummer = fields.Field("number", "nummer", widgets.IntegerWidget())
    naam = fields.Field("name", "naam", TextWidget())

    class Meta:
        model = Speerpunt
        fields = ("nummer", "naam")
        import_id_fields = ("nummer",)


class ClusterResource(PlanResource):
    nummer = fields.Field("number", "nummer", widgets.IntegerWidget())
    speerpunt = fields.Field(
        "speerpunt", "speerpunt", widgets.ForeignKeyWidget(Speerpunt, "number")
    )
    naam = fields.Field("name", "naam", TextWidget())

    class Meta:
        model = Cluster
        fields = ("nummer", "speerpunt", "naam")
        import_id_fields = ("nummer",)


class ProjectResource(PlanResource):
    code = fields.Field("code", "code", TextWidget())
    titel = fields.Field("title", "titel", TextWidget())
    cluster = fields.Field("cluster", "cluster", widgets.ForeignKeyWidget(Cluster, "number"))
    beleidsdomein = fields.Field(
        "domain", "beleidsdomein", widgets.ForeignKeyWidget(PolicyDomain, "code")
    )
    entiteit = fields.Field("entity", "entiteit", TextWidget())
    budget_eur = fields.Field("budget_eur", "budget_eur", widgets.DecimalWidget())
    rrf = fields.Field("is_rrf", "rrf", YesNoWidget())
    rrf_maatregel = fields.Field("rrf_measure", "rrf_maatregel", TextWidget())
    startdatum = fields.Field("start_date", "startdatum", DayWidget())
    einddatum = fields.Field("end_date", "einddatum", DayWidget())

    class Meta:
        model = Project
        fields = (
            "code",
            "titel",
            "cluster",
            "beleidsdomein",
            "entiteit",
            "budget_eur",
            "rrf",
            "rrf_maatregel",
            "startdatum",
            "einddatum",
        )
        import_id_fields = ("code",)
        clean_model_instances = True


class ReportingRoundResource(PlanResource):
    """Rounds' names and dates; opening and closing belong to the rounds' pages."""

    code = fields.Field("code", "code", TextWidget())
    naam = fields.Field("name", "naam", TextWidget())
    referentiedatum = fields.Field("reference_date", "referentiedatum", DayWidget())
    deadline = fields.Field("deadline", "deadline", DayWidget())

    class Meta:
        model = ReportingRound
        fields = ("code", "naam", "referentiedatum", "deadline")
        import_id_fields = ("code",)

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.pk and ReportingRound.objects.filter(pk=instance.pk).closed().exists():
            raise ValidationError(
                _("Meetmoment %(round)s is gesloten: de gegevens ervan wijzigen niet meer.")
                % {"round": instance.code}
            )


class FicheResource(RoundBoundResource):
    """The round's status; the owner's own status follows it unless it is a flag."""

    meetmoment = fields.Field(
        "round", "meetmoment", widgets.ForeignKeyWidget(ReportingRound, "code")
    )
    project = fields.Field("project", "project", widgets.ForeignKeyWidget(Project, "code"))
    status = fields.Field("status", "status", project_status_widget())
    toelichting = fields.Field("narrative", "toelichting", TextWidget())

    class Meta:
        model = Fiche
        fields = ("meetmoment", "project", "status", "toelichting")
        import_id_fields = ("meetmoment", "project")

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        super().before_save_instance(instance, row, **kwargs)
        if instance.status not in ProjectStatus.flags():
            instance.owner_status = instance.status
            # The owner's status never lowers the coordinators' flag: it stays the status.
            stored = Fiche.objects.filter(pk=instance.pk).values_list("status", flat=True)
            if instance.pk is not None and stored and stored[0] in ProjectStatus.flags():
                instance.status = stored[0]
        elif instance.pk is None:
            instance.owner_status = ProjectStatus.IN_PROGRESS
