"""The milestone table: one row per milestone, with its status in one round."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects.tables import TABLE_TEMPLATE, BoundedTable, in_choice_order, labelled
from projects.templatetags.statuses import badge

from .models import Milestone, MilestoneState


class MilestoneTable(BoundedTable):
    project = tables.Column(
        verbose_name=_("Project"),
        accessor="project__code",
        order_by=("project__code", "number"),
        attrs=labelled(_("Project")),
    )
    # Shown under the code on the page, a column of its own in the exports.
    project_title = tables.Column(
        verbose_name=_("Projecttitel"), accessor="project__title", visible=False
    )
    number = tables.Column(
        verbose_name=_("Nr."), order_by=("number", "project__code"), attrs=labelled(_("Nr."), "num")
    )
    description = tables.Column(
        verbose_name=_("Omschrijving"),
        order_by=("description", "project__code", "number"),
        attrs=labelled(_("Omschrijving")),
    )
    deadline = tables.Column(
        verbose_name=_("Deadline"),
        order_by=("deadline", "project__code", "number"),
        attrs=labelled(_("Deadline"), "text-nowrap", pair=True),
    )
    forecast = tables.Column(
        verbose_name=_("Verwacht"),
        accessor="round_forecast",
        order_by=("round_forecast", "project__code", "number"),
        attrs=labelled(_("Verwachte datum"), "text-nowrap", pair=True),
    )
    status = tables.Column(
        verbose_name=_("Status"), accessor="round_status", attrs=labelled(_("Status"), pair=True)
    )
    domain = tables.Column(
        verbose_name=_("Domein"),
        accessor="project__domain__code",
        order_by=("project__domain__code", "project__code", "number"),
        attrs=labelled(_("Domein"), pair=True),
    )
    speerpunt = tables.Column(
        verbose_name=_("Speerpunt"),
        accessor="project__cluster__speerpunt__number",
        order_by=("project__cluster__speerpunt__number", "project__code", "number"),
        attrs=labelled(_("Speerpunt"), "cell-center", pair=True),
    )

    class Meta:
        model = Milestone
        fields = ()
        sequence = (
            "project",
            "project_title",
            "number",
            "description",
            "deadline",
            "forecast",
            "status",
            "domain",
            "speerpunt",
        )
        template_name = TABLE_TEMPLATE
        attrs = {"class": "table table-hover align-middle table-stack list-table"}
        empty_text = _("Geen mijlpalen gevonden met deze filters.")
        per_page = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_project(self, value: str, record: Milestone) -> SafeString:
        return format_html(
            '<a href="{}">{}</a><span class="cell-sub cell-clamp" title="{}">{}</span>',
            record.project.get_absolute_url(),
            value,
            record.project.title,
            record.project.title,
        )

    def value_project(self, value: str) -> str:
        return value

    def render_description(self, value: str) -> SafeString:
        return format_html('<span class="cell-clamp">{}</span>', value)

    def value_description(self, value: str) -> str:
        return value

    def render_deadline(self, value: dt.date, record: Milestone) -> SafeString:
        shown = date_format(value, "SHORT_DATE_FORMAT")
        late = value < self.today and getattr(record, "round_status", None) in MilestoneState.open()
        if not late:
            return format_html("{}", shown)
        return format_html(
            '<span class="deadline-late"><i class="bi bi-exclamation-triangle-fill" '
            'aria-hidden="true"></i> {}<span class="visually-hidden"> ({})</span></span>',
            shown,
            _("achterstallig"),
        )

    def value_deadline(self, value: dt.date) -> dt.date:
        return value

    def render_forecast(self, value: dt.date) -> str:
        return date_format(value, "SHORT_DATE_FORMAT")

    def value_forecast(self, value: dt.date) -> dt.date:
        return value

    def render_status(self, value: str) -> SafeString:
        return badge(MilestoneState(value), "badge-milestone")

    def value_status(self, value: str) -> str:
        return str(MilestoneState(value).label)

    def render_speerpunt(self, value: int) -> SafeString:
        return format_html('<span class="speerpunt-number">{}</span>', value)

    def value_speerpunt(self, value: int) -> int:
        return value

    def order_status(
        self, queryset: QuerySet[Milestone], is_descending: bool
    ) -> tuple[QuerySet[Milestone], bool]:
        order = in_choice_order(
            "joined_status", MilestoneState.values, is_descending, readable="status_readable"
        )
        return queryset.order_by(*order, "project__code", "number"), True
