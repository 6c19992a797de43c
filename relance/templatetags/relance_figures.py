"""Figures in the user's language: ``{{ value|pct }}``, ``{{ amount|euro_short }}``…
(see relance.reporting.numbers).

A variable that does not resolve reaches a filter as ""; every filter here reads it as no
value (``–``), like None.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from milestones.models import MilestoneState
from projects.models import FlagLevel, ProjectStatus
from projects.templatetags.statuses import badge
from relance.reporting import numbers

register = template.Library()


def _value(value: Any) -> Any:
    return None if value == "" else value


@register.filter
def pct(value: Decimal | float | None, places: int = 2) -> str:
    return numbers.pct(_value(value), int(places))


@register.filter
def euro_short(amount: Decimal | int | None) -> str:
    return numbers.euro_short(_value(amount))


@register.filter
def euro_number(amount: Decimal | int | None) -> str:
    """The number of ``euro_short``: ``4,168``."""
    amount = _value(amount)
    return "–" if amount is None else numbers.euro_parts(amount)[0]


@register.filter
def euro_unit(amount: Decimal | int | None) -> str:
    """The unit of ``euro_short``: ``miljard euro``."""
    amount = _value(amount)
    return "" if amount is None else numbers.euro_parts(amount)[1]


@register.filter
def euro_change_number(amount: Decimal | int | None) -> str:
    """The number of ``euro_change``: ``+853``."""
    amount = _value(amount)
    return "–" if amount is None else numbers.signed(numbers.euro_parts(amount)[0], amount)


@register.filter
def euro_change(amount: Decimal | int | None) -> str:
    return numbers.euro_short(_value(amount), with_sign=True)


@register.filter
def euro(amount: Decimal | int | None) -> str:
    return numbers.euro(_value(amount))


@register.filter
def points(value: Decimal | float | None) -> str:
    return numbers.points(_value(value))


@register.filter
def count(value: int | None) -> str:
    value = _value(value)
    return "–" if value is None else numbers.number(value)


@register.filter
def count_change(value: int | None) -> str:
    return numbers.count_change(_value(value))


@register.filter
def quantity(value: Decimal | None) -> str:
    """A measured quantity with the decimals it has (up to eight): 120,5."""
    value = _value(value)
    return "–" if value is None else numbers.number(value, 8)


@register.filter
def svg_number(value: Any) -> str:
    """A number for an SVG attribute: a dot for decimals, whatever the language."""
    return f"{Decimal(str(_value(value) or 0)).quantize(Decimal('0.01')):f}"


@register.filter
def status_label(value: str | None) -> str:
    """A project status code as its label; ``–`` for none."""
    return str(ProjectStatus(value).label) if value else "–"


@register.filter
def milestone_label(value: str | None) -> str:
    return str(MilestoneState(value).label) if value else "–"


@register.filter
def milestone_badge(value: str | None) -> str:
    """A milestone status code as its badge (see projects.templatetags.statuses)."""
    return badge(MilestoneState(value), "badge-milestone") if value else ""


@register.filter
def milestone_class(value: str | None) -> str:
    """The CSS class of a milestone status's colour; empty for none."""
    return MilestoneState(value).css_class if value else ""


@register.filter
def flag_label(value: str | None) -> str:
    """A flag's level, short: "oranje", "rood" or "geen"."""
    labels: dict[str, str] = {
        FlagLevel.ATTENTION: _("oranje"),
        FlagLevel.ACTION_REQUIRED: _("rood"),
    }
    return labels.get(value or "", _("geen"))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def joined(values: Any) -> SafeString:
    """``values`` separated by commas, escaped as ``|join:", "`` escapes them but in one
    pass: a country's plan lists thousands of project codes."""
    return escape(", ".join(str(value) for value in values))
