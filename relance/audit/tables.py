"""The audit trail as a table: one row per recorded change, its fields in one cell."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from projects.tables import TABLE_TEMPLATE, BoundedTable, labelled


class AuditTable(BoundedTable):
    when = tables.Column(
        verbose_name=_("Wanneer"), accessor="e_date", attrs=labelled(_("Wanneer"), "text-nowrap")
    )
    user = tables.Column(
        verbose_name=_("Wie"), accessor="e_user", attrs=labelled(_("Wie")), default="—"
    )
    channel = tables.Column(
        verbose_name=_("Kanaal"), accessor="channel", attrs=labelled(_("Kanaal"))
    )
    project = tables.Column(
        verbose_name=_("Project"), accessor="e_project", attrs=labelled(_("Project")), default="—"
    )
    round = tables.Column(
        verbose_name=_("Meetmoment"),
        accessor="e_round",
        attrs=labelled(_("Meetmoment")),
        default="—",
    )
    what = tables.Column(verbose_name=_("Wat"), accessor="kind_label", attrs=labelled(_("Wat")))
    changes = tables.Column(
        verbose_name=_("Wijzigingen"), accessor="changes", attrs=labelled(_("Wijzigingen"))
    )

    class Meta:
        orderable = False
        template_name = TABLE_TEMPLATE
        attrs = {"class": "table align-middle table-stack list-table audit-table"}
        empty_text = _("Geen wijzigingen gevonden met deze filters.")
        per_page = 50

    def render_when(self, value: Any) -> SafeString:
        return format_html(
            '<time datetime="{}">{}</time>',
            value.isoformat(),
            date_format(localtime(value), "j M Y H:i"),
        )

    def render_channel(self, value: Any) -> str:
        return str(value.label)

    def render_project(self, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("project", args=[value]), value)

    def render_what(self, value: Any, record: dict[str, Any]) -> SafeString:
        item = record["e_item"]
        return (
            format_html("{} {}", str(value).capitalize(), item)
            if item
            else format_html("{}", str(value).capitalize())
        )

    def render_changes(self, value: list[Any]) -> SafeString:
        return SafeString(render_to_string("relance/_audit_changes.html", {"changes": value}))
