"""Query-string filters of the API's lists (django-filter): ``?speerpunt=2&domain=MOW``."""

from __future__ import annotations

from typing import Any

from django import forms
from django_filters import rest_framework as filters

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


class ProjectFilter(filters.FilterSet):
    speerpunt = WholeNumberFilter(
        field_name="cluster__speerpunt__number",
        max_value=SPEERPUNT_MAX,
        help_text="Speerpunt number (1-7).",
    )
    cluster = WholeNumberFilter(field_name="cluster__number", help_text="Cluster number.")
    domain = filters.CharFilter(
        field_name="domain__code", lookup_expr="iexact", help_text="Policy domain code, e.g. MOW."
    )
    rrf = filters.BooleanFilter(
        field_name="is_rrf", help_text="Only projects in (true) or outside (false) the RRF plan."
    )

    class Meta:
        model = Project
        fields = ["speerpunt", "cluster", "domain", "rrf"]


class FicheFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ProjectStatus.choices, help_text="Project status code.")
    speerpunt = WholeNumberFilter(
        field_name="project__cluster__speerpunt__number", max_value=SPEERPUNT_MAX
    )
    cluster = WholeNumberFilter(field_name="project__cluster__number")
    domain = filters.CharFilter(field_name="project__domain__code", lookup_expr="iexact")
    rrf = filters.BooleanFilter(field_name="project__is_rrf")
    project = filters.CharFilter(field_name="project__code", lookup_expr="iexact")

    class Meta:
        model = Fiche
        fields = ["status", "speerpunt", "cluster", "domain", "rrf", "project"]


class MilestoneStatusFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=MilestoneState.choices, help_text="Milestone status code."
    )
    project = filters.CharFilter(field_name="milestone__project__code", lookup_expr="iexact")
    speerpunt = WholeNumberFilter(
        field_name="milestone__project__cluster__speerpunt__number", max_value=SPEERPUNT_MAX
    )
    domain = filters.CharFilter(field_name="milestone__project__domain__code", lookup_expr="iexact")
    rrf = filters.BooleanFilter(
        field_name="milestone__project__is_rrf",
        help_text="Only the milestones of projects in (true) or outside (false) the RRF plan.",
    )

    class Meta:
        model = MilestoneStatus
        fields = ["status", "project", "speerpunt", "domain", "rrf"]
