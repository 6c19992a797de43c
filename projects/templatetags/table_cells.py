"""A table's data rows (templates/includes/_table.html): ``{% table_row row %}`` writes a row's
cells in one go, and ``<td {{ column|td_attrs }}>`` their attributes.

A row's cells are what django-tables2's ``BoundRow.items()`` gives, written as the template
loop ``{% for column, cell in row.items %}<td {{ column|td_attrs }}>{{ cell }}</td>`` wrote
them: the loop cost a template context, two variables and a filter per cell, and
``items()`` finds each column again by its name among all of them (``BoundColumns``
searches a list). The columns are listed once per table instead.

A cell's attributes are written once per column: django-tables2 builds a column's
attributes anew for every cell (``BoundColumn.attrs``: its header's and footer's too, with
their classes); a column whose cell attributes hold nothing computed from the row writes
the same ones in every row, so they are kept on the column, for the table's one rendering.
A column with a callable among them is written per cell, as before."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import Column
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor

from projects.table_cells import signature

register = template.Library()

KEPT = "_relance_td_attrs"
COLUMNS = "_relance_columns"


def _static(attrs: Any) -> bool:
    if callable(attrs):
        return False
    if isinstance(attrs, dict):
        return all(_static(value) for value in attrs.values())
    return True


@register.filter
def td_attrs(column: Any) -> SafeString:
    """``column.attrs.td.as_html()``, once per column when nothing in it is computed."""
    kept = getattr(column, KEPT, None)
    if kept is not None:
        return kept
    html = column.attrs["td"].as_html()
    own = {**column._table.attrs, **column.column.attrs}
    if _static(own.get("td", own.get("cell", {}))):
        setattr(column, KEPT, html)
    return html


@register.simple_tag(takes_context=True)
def table_row(context: Context, row: Any) -> SafeString:
    """A data row, ``<tr>`` and its ``<td>`` cells, as the template's loop over
    ``row.items`` wrote them (see the module's docstring): each cell as django-tables2's
    ``BoundRow.get_cell`` renders it (``CellPlan``), the column's
    ``current_value`` and ``current_record`` set before its attributes are written, and the
    cell written as ``{{ cell }}`` is. A plain row of a table without ``row_attrs`` has
    only its even or odd class."""
    table = row.table
    columns = getattr(table, COLUMNS, None)
    if columns is None:
        # The visible ones, in order, as items() goes.
        columns = [(column, CellPlan(column)) for column in table.columns]
        setattr(table, COLUMNS, columns)
    if type(row) is BoundRow and not table.row_attrs:
        attrs = f'class="{row.get_even_odd_css_class()}"'
    else:
        attrs = row.attrs.as_html()
    record = row.record
    cells = []
    for column, plan in columns:
        value = plan.cell(row, record)
        column.current_value = value
        column.current_record = record
        cell = render_value_in_context(value, context)
        cells.append(f"\n            <td {td_attrs(column)}>{cell}</td>\n          ")
    return mark_safe(f"<tr {attrs}>\n          {''.join(cells)}\n        </tr>")


# What django-tables2 offers a column's render method (BoundRow._optional_cell_arguments).
CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


class CellPlan:
    """How one column's cells are rendered, worked out once per table: what
    ``BoundRow._get_and_render_with`` and ``_call_render`` do for every cell of a plain
    ``Column`` without a link (its value from the accessor, the column's default for an
    empty one, the render method called with the arguments it names), without asking again
    for the accessor's model field and the method's signature per cell. Any other column
    (a link, a subclass of Column, a model field with choices, whose value is its
    ``get_FOO_display()``) is rendered by django-tables2 itself."""

    def __init__(self, column: Any) -> None:
        self.column = column
        self.accessor = Accessor(column.accessor)
        self.render = column.render
        arguments, catch_all = signature(self.render)
        self.arguments = None if catch_all else arguments
        self.callable = catch_all is not None or CELL_ARGUMENTS.issuperset(arguments)
        self.empty_values = column.column.empty_values
        # An accessor ending in its separator leaves django-tables2 no value at all.
        named = bool(self.accessor.rpartition(Accessor.SEPARATOR)[2])
        self.simple = type(column.column) is Column and not column.link and named
        self.plain_records: dict[type, bool] = {}

    def _plain(self, record: Any) -> bool:
        """Whether django-tables2 takes this column's value in ``record`` from the accessor
        (not from ``get_FOO_display()``): its model field, if any, has no choices. The same
        for every record of one class."""
        kind = type(record)
        plain = self.plain_records.get(kind)
        if plain is None:
            field = self.accessor.get_field(record) if isinstance(record, Model) else None
            plain = self.plain_records[kind] = not getattr(field, "choices", ())
        return plain

    def cell(self, row: Any, record: Any) -> Any:
        column = self.column
        if not (self.simple and self._plain(record)):
            return row._get_and_render_with(column, row._call_render, column.default)
        try:
            value = self.accessor.resolve(record)
        except Exception:  # as django-tables2: a column that is not a field (its issue #257)
            value = None
        if value in self.empty_values:
            return column.default
        if not self.callable:
            return None
        offered = {
            "value": value,
            "record": record,
            "column": column.column,
            "bound_column": column,
            "bound_row": row,
            "table": row.table,
        }
        if self.arguments is None:
            return self.render(**offered)
        return self.render(**{name: offered[name] for name in self.arguments})
