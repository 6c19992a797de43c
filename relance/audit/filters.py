"""The audit page's filters: by user, project, round, date range and channel.

One FilterSet validates the request once; ``filtered`` then applies it to each tracked
model's history, each by its own path to the project and the round (``Source``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Project, ReportingRound, User

from .channels import REASONS, Channel
from .entries import SOURCES, Source


class AuditFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label=_("Gebruiker"),
        queryset=User.objects.order_by("username"),
        to_field_name="username",
        method="by_user",
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        queryset=Project.objects.order_by("code"),
        to_field_name="code",
        method="by_project",
    )
    round = django_filters.ModelChoiceFilter(
        label=_("Meetmoment"),
        queryset=ReportingRound.objects.order_by("-reference_date"),
        to_field_name="code",
        method="by_round",
    )
    since = django_filters.DateFilter(
        label=_("Vanaf"), method="by_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Tot en met"), method="by_until", widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = django_filters.ChoiceFilter(
        label=_("Kanaal"), choices=Channel.choices, method="by_channel"
    )

    # The tracked model whose history filter_queryset is filtering (see ``filtered``).
    source: Source = SOURCES[0]

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # No model of its own: ``filtered`` hands it each history in turn.
        kwargs.setdefault("queryset", SOURCES[0].history.objects.none())  # type: ignore[attr-defined]
        super().__init__(data, **kwargs)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def by_user(self, queryset: QuerySet[Any], name: str, value: User) -> QuerySet[Any]:
        return queryset.filter(history_user=value)

    def by_project(self, queryset: QuerySet[Any], name: str, value: Project) -> QuerySet[Any]:
        return queryset.filter(**{self.source.project: value.code})

    def by_round(self, queryset: QuerySet[Any], name: str, value: ReportingRound) -> QuerySet[Any]:
        return queryset.filter(**{self.source.round: value.code})

    def by_since(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset.filter(history_date__date__gte=value)

    def by_until(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset.filter(history_date__date__lte=value)

    def by_channel(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == Channel.OTHER:
            return queryset.filter(
                Q(history_change_reason__isnull=True)
                | ~Q(history_change_reason__in=REASONS.values())
            )
        return queryset.filter(history_change_reason=REASONS[Channel(value)])

    def clean_dates(self) -> bool:
        """The range's ends in order; an error on the form otherwise."""
        since, until = (self.form.cleaned_data.get(name) for name in ("since", "until"))
        if since and until and since > until:
            self.form.add_error("until", _("Het einde ligt vóór het begin."))
            return False
        return True

    def filtered(self) -> list[tuple[Source, QuerySet[Any]]] | None:
        """Each tracked model's history, filtered; None when the filters are not valid."""
        if not self.is_valid() or not self.clean_dates():
            return None
        result = []
        for source in SOURCES:
            self.source = source
            result.append((source, self.filter_queryset(source.history.objects.all())))  # type: ignore[attr-defined]
        return result
