"""The audit trail's entries: every historical record of a fiche, its money, a milestone's
status, an indicator's value or definition, newest first, with what changed field by field.

One SQL UNION over the five history tables gives the entries (counted and paged in the
database); only the page's records are then read whole, each with the record before it, in
two queries per kind: the page costs the same whatever the size of the history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from finance.models import FinanceReport
from milestones.models import MilestoneStatus
from projects.models import Fiche, IndicatorDefinition, IndicatorValue

from .channels import channel_of

# Bookkeeping, not what anyone changed.
IGNORED_FIELDS = frozenset({"id", "version", "updated_at", "created_at"})
# A long text is shown up to this many characters in the trail.
SHOWN_TEXT = 300


@dataclass(frozen=True)
class Source:
    """One tracked model: where its project, round and item are, seen from its history."""

    kind: str
    label: Any
    model: type[models.Model]
    project: str
    round: str
    item: str | None = None

    @property
    def history(self) -> type[models.Model]:
        return self.model.history.model  # type: ignore[attr-defined]


SOURCES = (
    Source("fiche", _("fiche"), Fiche, "project__code", "round__code"),
    Source("finance", _("financiën"), FinanceReport, "fiche__project__code", "fiche__round__code"),
    Source(
        "milestone",
        _("mijlpaal"),
        MilestoneStatus,
        "milestone__project__code",
        "round__code",
        "milestone__number",
    ),
    Source(
        "indicator_value",
        _("indicatorwaarde"),
        IndicatorValue,
        "indicator__project__code",
        "round__code",
        "indicator__code",
    ),
    Source(
        "indicator_definition",
        _("indicatordefinitie"),
        IndicatorDefinition,
        "indicator__project__code",
        "round__code",
        "indicator__code",
    ),
)
BY_KIND = {source.kind: source for source in SOURCES}
COLUMNS = (
    "e_kind",
    "e_id",
    "e_date",
    "e_type",
    "e_reason",
    "e_user",
    "e_object",
    "e_project",
    "e_round",
    "e_item",
)


def entries(filtered: Iterable[tuple[Source, QuerySet[Any]]]) -> QuerySet[Any]:
    """The entries of these history querysets (each already filtered), newest first, as
    dicts of COLUMNS: one UNION, for the database to count and page."""
    parts = [_entries(source, queryset) for source, queryset in filtered]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-e_date", "-e_id")


def _entries(source: Source, queryset: QuerySet[Any]) -> QuerySet[Any]:
    text: CharField[Any, Any] = CharField()
    item = Cast(F(source.item), output_field=text) if source.item else Value("", text)
    return (
        queryset.annotate(
            e_kind=Value(source.kind, output_field=text),
            e_id=F("history_id"),
            e_date=F("history_date"),
            e_type=F("history_type"),
            e_reason=F("history_change_reason"),
            e_user=F("history_user__username"),
            e_object=F("id"),
            e_project=F(source.project),
            e_round=F(source.round),
            e_item=item,
        )
        .values(*COLUMNS)
        .order_by()
    )


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def explain(rows: list[dict[str, Any]]) -> None:
    """Add to each entry of a page its channel, its kind's name and its changes (field, old
    value, new value) against the record before it; two queries per kind on the page."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_kind[row["e_kind"]].append(row["e_id"])
    records: dict[tuple[str, int], tuple[Any, Any]] = {}
    for kind, ids in by_kind.items():
        history = BY_KIND[kind].history
        before = history.objects.filter(  # type: ignore[attr-defined]
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        current = list(
            history.objects.filter(history_id__in=ids).annotate(  # type: ignore[attr-defined]
                previous_id=Subquery(before.values("history_id")[:1])
            )
        )
        previous = history.objects.in_bulk(  # type: ignore[attr-defined]
            [record.previous_id for record in current if record.previous_id],
            field_name="history_id",
        )
        for record in current:
            records[kind, record.history_id] = (record, previous.get(record.previous_id))
    for row in rows:
        source = BY_KIND[row["e_kind"]]
        record, previous = records[row["e_kind"], row["e_id"]]
        row["channel"] = channel_of(row["e_reason"])
        row["kind_label"] = source.label
        row["changes"] = changes(source, record, previous)


def changes(source: Source, record: Any, previous: Any) -> list[Change]:
    """What this record changed against the one before (none: everything it holds)."""
    if record.history_type == "-":
        return [Change(str(_("alles")), str(_("bestond")), str(_("verwijderd")))]
    found = []
    for field in source.model._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and (new in (None, "") or field.is_relation):
            continue
        if new == old:
            continue
        found.append(Change(str(field.verbose_name), shown(field, old), shown(field, new)))
    return found


def shown(field: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if field.is_relation:
        return f"#{value}"
    if isinstance(value, dt.datetime | dt.date | Decimal | int):
        return str(formats.localize(value))
    text = str(value)
    return text if len(text) <= SHOWN_TEXT else f"{text[:SHOWN_TEXT]}…"
