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
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django_tables2.rows import BoundRow

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
    ``row.items`` wrote them (see the module's docstring): each cell rendered by
    django-tables2 (``BoundRow.get_cell``, its column taken from the list), the column's
    ``current_value`` and ``current_record`` set before its attributes are written, and the
    cell written as ``{{ cell }}`` is. A plain row of a table without ``row_attrs`` has
    only its even or odd class."""
    table = row.table
    columns = getattr(table, COLUMNS, None)
    if columns is None:
        columns = list(table.columns)  # the visible ones, in order, as items() goes
        setattr(table, COLUMNS, columns)
    if type(row) is BoundRow and not table.row_attrs:
        attrs = f'class="{row.get_even_odd_css_class()}"'
    else:
        attrs = row.attrs.as_html()
    record = row.record
    cells = []
    for column in columns:
        value = row._get_and_render_with(column, row._call_render, column.default)
        column.current_value = value
        column.current_record = record
        cell = render_value_in_context(value, context)
        cells.append(f"\n            <td {td_attrs(column)}>{cell}</td>\n          ")
    return mark_safe(f"<tr {attrs}>\n          {''.join(cells)}\n        </tr>")
