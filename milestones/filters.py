"""The filters of the milestone table."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.filters import (
    YES_NO_CHOICES,
    RoundFilterSet,
    choice_filter,
    domain_filter,
    round_status_filter,
    speerpunt_filter,
)
from projects.models import ReportingRound

from .models import MilestoneQuerySet, MilestoneState

DUE_CHOICES = [
    ("30", _("de komende 30 dagen")),
    ("90", _("de komende 90 dagen")),
    ("365", _("het komende jaar")),
]


class MilestoneFilter(RoundFilterSet):
    due = choice_filter(
        _("Deadline valt in"),
        DUE_CHOICES,
        method="filter_due",
        empty_label=_("Om het even wanneer"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Enkel achterstallige mijlpalen"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    status = round_status_filter(MilestoneState.choices)
    domain = domain_filter("project__domain")
    speerpunt = speerpunt_filter("project__cluster__speerpunt")
    rrf = choice_filter(_("RRF-project"), YES_NO_CHOICES, method="filter_rrf")

    def with_round(
        self, queryset: MilestoneQuerySet, reporting_round: ReportingRound | None
    ) -> MilestoneQuerySet:
        return queryset.with_status_in(reporting_round, self.user)  # type: ignore[arg-type]

    def filter_due(self, queryset: MilestoneQuerySet, name: str, value: str) -> MilestoneQuerySet:
        return queryset.due_within(int(value), today=timezone.localdate())

    def filter_overdue(
        self, queryset: MilestoneQuerySet, name: str, value: Any
    ) -> MilestoneQuerySet:
        if not value:
            return queryset
        return queryset.overdue(self.chosen_round, today=timezone.localdate())

    def filter_rrf(self, queryset: MilestoneQuerySet, name: str, value: str) -> MilestoneQuerySet:
        return queryset.of_rrf_projects(value == "yes")
