"""django-import-export resources for the admin site (see projects/resources.py)."""

from __future__ import annotations

from typing import Any

from import_export import fields, widgets

from projects.models import Project, ReportingRound
from projects.resources import (
    ChoiceWidget,
    DayWidget,
    PlanResource,
    RoundBoundResource,
    TextWidget,
)

from .models import Milestone, MilestoneState, MilestoneStatus

# The words of the workbook format (workbook.md) for a milestone's status.
MILESTONE_STATUS_WORDS: dict[str, str] = {
    MilestoneState.REALISED: "gerealiseerd",
    MilestoneState.ON_SCHEDULE: "op schema",
    MilestoneState.DELAYED: "vertraagd",
    MilestoneState.FUTURE: "toekomstig",
    MilestoneState.STOPPED: "geschrapt",
}


class MilestoneResource(PlanResource):
    project = fields.Field("project", "project", widgets.ForeignKeyWidget(Project, "code"))
    nummer = fields.Field("number", "nummer", widgets.IntegerWidget())
    omschrijving = fields.Field("description", "omschrijving", TextWidget())
    deadline = fields.Field("deadline", "deadline", DayWidget())
    rrf_referentie = fields.Field("rrf_reference", "rrf_referentie", TextWidget())

    class Meta:
        model = Milestone
        fields = ("project", "nummer", "omschrijving", "deadline", "rrf_referentie")
        import_id_fields = ("project", "nummer")
        clean_model_instances = True


class MilestoneWidget(widgets.ForeignKeyWidget):
    """A milestone by its number and the row's project."""

    def get_lookup_kwargs(self, value: Any, row: Any, **kwargs: Any) -> dict[str, Any]:
        return {"number": value, "project__code": row.get("project")}


class MilestoneStatusResource(RoundBoundResource):
    meetmoment = fields.Field(
        "round", "meetmoment", widgets.ForeignKeyWidget(ReportingRound, "code")
    )
    project = fields.Field("milestone__project__code", "project", TextWidget(), readonly=True)
    mijlpaal = fields.Field("milestone", "mijlpaal", MilestoneWidget(Milestone, "number"))
    status = fields.Field(
        "status", "status", ChoiceWidget(MilestoneState.choices, MILESTONE_STATUS_WORDS)
    )
    realisatiedatum = fields.Field("realised_on", "realisatiedatum", DayWidget())
    toelichting = fields.Field("note", "toelichting", TextWidget())

    class Meta:
        model = MilestoneStatus
        fields = ("meetmoment", "project", "mijlpaal", "status", "realisatiedatum", "toelichting")
        import_id_fields = ("meetmoment", "mijlpaal")
        clean_model_instances = True
