"""Figures as people read them, in the user's language: 84,6%; 4,168 miljard euro in Dutch,
84.6%; 4.168 billion euro in English.

``relance.summary.text`` writes the Dutch of the published reports whatever the language;
these helpers follow the active language (Django's formats and catalogues).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

BILLION = Decimal(10**9)
MILLION = Decimal(10**6)


def number(value: Decimal | int | float, places: int = 0, *, strip: bool = True) -> str:
    """``value`` rounded half-up to ``places`` decimals, grouped in the active language;
    trailing decimal zeros dropped unless ``strip`` is False."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = number_format(rounded, places, use_l10n=True, force_grouping=True)
    separator = str(get_format("DECIMAL_SEPARATOR"))
    if strip and places and separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def signed(text: str, value: Decimal | int | float) -> str:
    """``text`` with a plus for a rise (a fall has its minus; nothing has no sign)."""
    return f"+{text}" if value > 0 else text


def pct(value: Decimal | float | None, places: int = 2) -> str:
    """84.60 → ``84,6%``; None → ``–``."""
    return "–" if value is None else f"{number(value, places)}%"


def euro_parts(amount: Decimal | int) -> tuple[str, str]:
    """4168000000 → (``4,168``, ``miljard euro``): the number and its unit."""
    amount = Decimal(amount)
    size = abs(amount)
    if size >= BILLION:
        return number(amount / BILLION, 3), _("miljard euro")
    if size >= MILLION:
        return number(amount / MILLION, 1), _("miljoen euro")
    return number(amount, 0), "euro"


def euro_short(amount: Decimal | int | None, *, with_sign: bool = False) -> str:
    """4168000000 → ``4,168 miljard euro``; 853000000 → ``853 miljoen euro``."""
    if amount is None:
        return "–"
    value, unit = euro_parts(amount)
    return f"{signed(value, amount) if with_sign else value} {unit}"


def euro(amount: Decimal | int | None) -> str:
    """An exact amount: ``€ 4.168.000.000,00`` (cents dropped when there are none)."""
    if amount is None:
        return "–"
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"€\u00a0{number(amount, places, strip=False)}"


def points(value: Decimal | float | None) -> str:
    """A change of a percentage: ``+19,84 procentpunt``."""
    if value is None:
        return "–"
    return _("%(points)s procentpunt") % {"points": signed(number(value, 2), value)}


def count_change(value: int | None) -> str:
    return "–" if value is None else signed(number(value), value)
