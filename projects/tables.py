"""The project table: one row per project, with its status in one round."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRows

from .markup import format_html
from .models import Project, ProjectStatus, ReviewState
from .templatetags.statuses import badge

TABLE_TEMPLATE = "includes/_table.html"
# The most rows one page shows, whatever ?per_page= asks: a bigger page is for the export.
MAX_PER_PAGE = 500


def status_badge(value: str) -> SafeString:
    return badge(ProjectStatus(value))


def review_badge(value: str) -> SafeString:
    """A review state's badge, written once per state and language (as ``badge``)."""
    return _review_badge(value, get_language())


@functools.lru_cache(maxsize=64)
def _review_badge(value: str, language: str | None) -> SafeString:
    # ``language`` is in the key only: the label is translated into the active language.
    return format_html(
        '<span class="badge review-{}">{}</span>', value, ReviewState(value).label.capitalize()
    )


def in_choice_order(
    field: str, values: list[str], is_descending: bool, *, readable: str
) -> tuple[Any, ...]:
    """Order by the position of ``field``'s value in ``values`` (the order of the reports),
    rows without a value last either way; a row whose ``readable`` (a boolean annotation)
    is false has no value, so that the order reveals nothing the cells hide. The joined
    value and its readability are separate annotations (``with_fiche_in``,
    ``with_status_in``): each written once in the SQL, not once per choice."""
    position = Case(
        *[When(**{field: value}, then=Value(index)) for index, value in enumerate(values)],
        output_field=IntegerField(),
    )
    shown = Case(When(**{readable: True}, then=position), output_field=IntegerField())
    return (shown.desc(nulls_last=True) if is_descending else shown.asc(nulls_last=True),)


def labelled(label: Any, css: str = "", *, pair: bool = False) -> dict[str, Any]:
    """Column attributes: ``css`` on header and cells, and a label that names the cell on a
    phone, where the table stacks (``pair``: half the width there, beside another)."""
    cell = " ".join(filter(None, [css, "stack-pair" if pair else ""]))
    return {"th": {"class": css}, "td": {"data-label": label, "class": cell}}


def sorted_pair(label: Any, accessor: str, css: str = "") -> tables.Column:
    """A column half the width on a phone, sorted by its value and then by project code."""
    return tables.Column(
        verbose_name=label,
        accessor=accessor,
        order_by=(accessor, "code"),
        attrs=labelled(label, css, pair=True),
    )


class LateRows:
    """One page of a queryset, read when first used, in two steps: the page's primary keys
    (the filters, the sort and the OFFSET over narrow rows, which the indexes can serve),
    then those rows with everything joined beside them. A deep page no longer builds and
    throws away the joined rows of every page before it."""

    def __init__(self, queryset: QuerySet[Any], bottom: int, top: int) -> None:
        self.queryset, self.bottom, self.top = queryset, bottom, top

    @cached_property
    def records(self) -> list[Any]:
        keys = list(self.queryset.values_list("pk", flat=True)[self.bottom : self.top])
        found = self.queryset.order_by().in_bulk(keys)
        return [found[key] for key in keys]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, key: Any) -> Any:
        return self.records[key]


class LateRowPaginator(Paginator):
    """Pages of a table's queryset read as LateRows: the same two queries on any page."""

    @property
    def queryset(self) -> QuerySet[Any] | None:
        """The table's whole queryset, filtered and sorted; None for a table of a list."""
        rows: Any = self.object_list  # django-tables2's BoundRows over its TableQuerysetData
        queryset = getattr(getattr(rows, "data", None), "data", None)
        return queryset if isinstance(queryset, QuerySet) else None

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows: Any = self.object_list
        queryset = self.queryset
        if queryset is None:
            return Page(rows[bottom:top], number, self)
        return Page(BoundRows(data=LateRows(queryset, bottom, top), table=rows.table), number, self)


class BoundedTable(tables.Table):
    """A table whose ``?per_page=`` is bounded: below 1 (or no number) it is the table's own
    page size, above MAX_PER_PAGE it is MAX_PER_PAGE."""

    def paginate(self, *args: Any, per_page: int | None = None, **kwargs: Any) -> None:
        if per_page is not None and per_page < 1:
            per_page = None
        elif per_page is not None:
            per_page = min(per_page, MAX_PER_PAGE)
        super().paginate(*args, per_page=per_page, **kwargs)


class ProjectTable(BoundedTable):
    code = tables.Column(verbose_name=_("Code"), attrs=labelled(_("Code"), "text-nowrap"))
    title = tables.Column(
        verbose_name=_("Titel"), order_by=("title", "code"), attrs=labelled(_("Titel"))
    )
    speerpunt = sorted_pair(_("Speerpunt"), "cluster__speerpunt__number", "cell-center")
    cluster = sorted_pair(_("Cluster"), "cluster__number", "cell-center")
    domain = sorted_pair(_("Domein"), "domain__code")
    budget = sorted_pair(_("Budget (€)"), "budget_eur", "num")
    rrf = sorted_pair(_("RRF"), "is_rrf")
    status = tables.Column(
        verbose_name=_("Status"), accessor="round_status", attrs=labelled(_("Status"), pair=True)
    )
    review = tables.Column(
        verbose_name=_("Beoordeling"),
        accessor="round_review",
        attrs=labelled(_("Beoordeling"), pair=True),
    )

    class Meta:
        model = Project
        fields = ()
        sequence = (
            "code",
            "title",
            "speerpunt",
            "cluster",
            "domain",
            "budget",
            "rrf",
            "status",
            "review",
        )
        order_by = ("code",)
        template_name = TABLE_TEMPLATE
        attrs = {"class": "table table-hover align-middle table-stack list-table"}
        empty_text = _("Geen projecten gevonden met deze filters.")
        per_page = 50

    def render_code(self, value: str, record: Project) -> SafeString:
        """The code linked to the project's page, as ``linkify=True`` wrote it, without its
        attributes' machinery (a dictionary, its callables and a join per row)."""
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value_code(self, value: str) -> str:
        return value

    def render_speerpunt(self, value: int, record: Project) -> SafeString:
        return format_html(
            '<span class="speerpunt-number" title="{}">{}</span>',
            record.cluster.speerpunt.display_name,
            value,
        )

    def value_speerpunt(self, value: int) -> int:
        return value

    def render_cluster(self, value: int, record: Project) -> SafeString:
        return format_html('<span title="{}">{}</span>', record.cluster.name, value)

    def value_cluster(self, value: int) -> int:
        return value

    def render_budget(self, value: Decimal) -> str:
        return number_format(value, decimal_pos=0, force_grouping=True)

    def value_budget(self, value: Decimal) -> Decimal:
        return value

    def render_rrf(self, value: bool, record: Project) -> SafeString | str:
        if not value:
            return "—"
        return format_html(
            '<span class="badge badge-rrf" title="{}">RRF</span>',
            _("RRF-maatregel %(measure)s") % {"measure": record.rrf_measure},
        )

    def value_rrf(self, value: bool) -> str:
        return str(_("ja") if value else _("nee"))

    def render_status(self, value: str) -> SafeString:
        return status_badge(value)

    def value_status(self, value: str) -> str:
        return str(ProjectStatus(value).label)

    def render_review(self, value: str) -> SafeString:
        return review_badge(value)

    def value_review(self, value: str) -> str:
        return str(ReviewState(value).label)

    def order_status(
        self, queryset: QuerySet[Project], is_descending: bool
    ) -> tuple[QuerySet[Project], bool]:
        order = in_choice_order(
            "joined_status", ProjectStatus.values, is_descending, readable="fiche_readable"
        )
        return queryset.order_by(*order, "code"), True

    def order_review(
        self, queryset: QuerySet[Project], is_descending: bool
    ) -> tuple[QuerySet[Project], bool]:
        order = in_choice_order(
            "joined_review", ReviewState.values, is_descending, readable="fiche_readable"
        )
        return queryset.order_by(*order, "code"), True
