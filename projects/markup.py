"""``format_html`` for the markup a page writes hundreds of times (a list's cells, a select's
options): the same text as django.utils.html.format_html, each argument escaped as
``conditional_escape`` does, but with the standard library's ``html.escape`` directly. Django's
``escape`` goes through a lazy-string decorator on every call, which made escaping most of
a list cell's cost (relance/reporting/heatmap.py escapes its cells the same way)."""

from __future__ import annotations

import html
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


def escaped(value: Any) -> str:
    """``conditional_escape(value)``: markup already safe stays as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def format_html(format_string: str, *args: Any) -> SafeString:
    """``django.utils.html.format_html(format_string, *args)``."""
    return mark_safe(format_string.format(*map(escaped, args)))
