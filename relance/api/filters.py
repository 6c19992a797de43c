"""Query-string filters of the API's lists (django-filter): ``?speerpunt=2&domain=MOW``."""

from __future__ import annotations

from django_filters import rest_framework as filters

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, Project, ProjectStatus


class ProjectFilter(filters.FilterSet):
    speerpunt = filters.NumberFilter(
        field_name="cluster__speerpunt__number", help_text="Speerpunt number (1-7)."
    )
    cluster = filters.NumberFilter(field_name="cluster__number", help_text="Cluster number.")
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
    speerpunt = filters.NumberFilter(field_name="project__cluster__speerpunt__number")
    cluster = filters.NumberFilter(field_name="project__cluster__number")
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
    speerpunt = filters.NumberFilter(field_name="milestone__project__cluster__speerpunt__number")
    domain = filters.CharFilter(field_name="milestone__project__domain__code", lookup_expr="iexact")

    class Meta:
        model = MilestoneStatus
        fields = ["status", "project", "speerpunt", "domain"]
