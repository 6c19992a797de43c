"""Query-string filters of the API's lists (django-filter): ``?speerpunt=2&domain=MOW``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, Project, ProjectStatus

# A speerpunt is numbered 1-99 (speerpunt_number_range); a cluster's number is a
# PositiveSmallIntegerField.
SPEERPUNT_MAX = 99
SMALLINT_MAX = 32767


class WholeNumberFilter(filters.NumberFilter):
    """A number the column can hold: anything else (1.5, a word, a number past the column's
    range) is a 400 that names the parameter, never a query the database cannot run."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", SMALLINT_MAX)
        super().__init__(*args, **kwargs)
        # The schema states the bounds the form field keeps.
        extend_schema_field(
            {"type": "integer", "minimum": kwargs["min_value"], "maximum": kwargs["max_value"]}
        )(self)


class YesNoFilter(filters.TypedChoiceFilter):
    """``true`` or ``false`` and nothing else (django-filter's BooleanFilter reads any other
    word as no filter at all)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "enum": ["true", "false"]})(self)


class StrictFilterSet(filters.FilterSet):
    """A parameter given empty (``?speerpunt=``) is a 400 that names it, not a filter
    quietly left out: the schema says what each takes, and "" is none of it."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, definition in self.filters.items():
            if isinstance(definition, filters.CharFilter):
                continue  # any text, "" included, is a valid value (it filters nothing)
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("Geef een waarde, of laat de parameter weg."))
                valid = False
        return valid


class ProjectFilter(StrictFilterSet):
    speerpunt = WholeNumberFilter(
        field_name="cluster__speerpunt__number",
        max_value=SPEERPUNT_MAX,
        help_text="Speerpunt number (1-7).",
    )
    cluster = WholeNumberFilter(field_name="cluster__number", help_text="Cluster number.")
    domain = filters.CharFilter(
        field_name="domain__code", lookup_expr="iexact", help_text="Policy domain code, e.g. MOW."
    )
    rrf = YesNoFilter(
        field_name="is_rrf", help_text="Only projects in (true) or outside (false) the RRF plan."
    )

    class Meta:
        model = Project
        fields = ["speerpunt", "cluster", "domain", "rrf"]


class FicheFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=ProjectStatus.choices, help_text="Project status code.")
    speerpunt = WholeNumberFilter(
        field_name="project__cluster__speerpunt__number", max_value=SPEERPUNT_MAX
    )
    cluster = WholeNumberFilter(field_name="project__cluster__number")
    domain = filters.CharFilter(field_name="project__domain__code", lookup_expr="iexact")
    rrf = YesNoFilter(field_name="project__is_rrf")
    project = filters.CharFilter(field_name="project__code", lookup_expr="iexact")

    class Meta:
        model = Fiche
        fields = ["status", "speerpunt", "cluster", "domain", "rrf", "project"]


class MilestoneStatusFilter(StrictFilterSet):
    status = filters.ChoiceFilter(
        choices=MilestoneState.choices, help_text="Milestone status code."
    )
    project = filters.CharFilter(field_name="milestone__project__code", lookup_expr="iexact")
    speerpunt = WholeNumberFilter(
        field_name="milestone__project__cluster__speerpunt__number", max_value=SPEERPUNT_MAX
    )
    domain = filters.CharFilter(field_name="milestone__project__domain__code", lookup_expr="iexact")
    rrf = YesNoFilter(
        field_name="milestone__project__is_rrf",
        help_text="Only the milestones of projects in (true) or outside (false) the RRF plan.",
    )

    class Meta:
        model = MilestoneStatus
        fields = ["status", "project", "speerpunt", "domain", "rrf"]
