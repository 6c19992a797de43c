"""The filters of the milestone table."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.filters import RoundFilterSet
from projects.models import PolicyDomain, ReportingRound, Speerpunt

from .models import MilestoneQuerySet, MilestoneState

DUE_CHOICES = [
    ("30", _("de komende 30 dagen")),
    ("90", _("de komende 90 dagen")),
    ("365", _("het komende jaar")),
]


class MilestoneFilter(RoundFilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="search")
    due = django_filters.ChoiceFilter(
        label=_("Deadline valt in"),
        choices=DUE_CHOICES,
        method="filter_due",
        empty_label=_("Om het even wanneer"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Enkel achterstallige mijlpalen"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="round_status",
        choices=MilestoneState.choices,
        empty_label=_("Alle statussen"),
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Beleidsdomein"),
        field_name="project__domain",
        queryset=PolicyDomain.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Alle beleidsdomeinen"),
    )
    speerpunt = django_filters.ModelChoiceFilter(
        label=_("Speerpunt"),
        field_name="project__cluster__speerpunt",
        queryset=Speerpunt.objects.order_by("number"),
        to_field_name="number",
        empty_label=_("Alle speerpunten"),
    )

    def with_round(
        self, queryset: MilestoneQuerySet, reporting_round: ReportingRound | None
    ) -> MilestoneQuerySet:
        return queryset.with_status_in(reporting_round, self.user)  # type: ignore[arg-type]

    def search(self, queryset: MilestoneQuerySet, name: str, value: str) -> MilestoneQuerySet:
        return queryset.search(value)

    def filter_due(self, queryset: MilestoneQuerySet, name: str, value: str) -> MilestoneQuerySet:
        return queryset.due_within(int(value), today=timezone.localdate())

    def filter_overdue(
        self, queryset: MilestoneQuerySet, name: str, value: Any
    ) -> MilestoneQuerySet:
        if not value:
            return queryset
        return queryset.overdue(self.chosen_round, today=timezone.localdate())
