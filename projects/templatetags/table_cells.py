"""A table's data cells' attributes, written once per column (templates/includes/_table.html):
``<td {{ column|td_attrs }}>``. django-tables2 builds a column's attributes anew for every
cell (``BoundColumn.attrs``: its header's and footer's too, with their classes); a column
whose cell attributes hold nothing computed from the row writes the same ones in every row,
so they are kept on the column, for the table's one rendering. A column with a callable
among them is written per cell, as before."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()

KEPT = "_relance_td_attrs"


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
