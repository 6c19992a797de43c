"""Numbers, percentages, amounts and dates as the summary text writes them, in Dutch
(84,6%; 4,168 miljard euro; 31 december 2023) or English (84.6%; 4.168 billion euros;
31 December 2023): the language active at the call (``translation.override``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_MONTHS = (
    gettext_lazy("januari"), gettext_lazy("februari"), gettext_lazy("maart"),
    gettext_lazy("april"), gettext_lazy("mei"), gettext_lazy("juni"), gettext_lazy("juli"),
    gettext_lazy("augustus"), gettext_lazy("september"), gettext_lazy("oktober"),
    gettext_lazy("november"), gettext_lazy("december"),
)  # fmt: skip


def _is_dutch() -> bool:
    return (translation.get_language() or "nl").split("-")[0] != "en"


def local_number(value: Decimal | int, places: int = 0, *, dutch: bool | None = None) -> str:
    """1234567.891 → ``1.234.567,89`` in Dutch, ``1,234,567.89`` in English (places=2);
    trailing decimal zeros dropped."""
    dutch = _is_dutch() if dutch is None else dutch
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if dutch:
        text = text.translate(str.maketrans(",.", ".,"))
    return "0" if text in ("-0", "") else text


def local_pct(value: Decimal | None, places: int = 2) -> str:
    return "–" if value is None else f"{local_number(value, places)}%"


def local_euro(amount: Decimal, *, signed: bool = False) -> str:
    """4168000000 → ``4,168 miljard euro`` / ``4.168 billion euros``."""
    size = abs(amount)
    if size >= 10**9:
        text = _("%(amount)s miljard euro") % {"amount": local_number(amount / 10**9, 3)}
    elif size >= 10**6:
        text = _("%(amount)s miljoen euro") % {"amount": local_number(amount / 10**6, 1)}
    else:
        text = _("%(amount)s euro") % {"amount": local_number(amount)}
    return f"+{text}" if signed and amount >= 0 else text


def local_date(day: dt.date) -> str:
    month = str(_MONTHS[day.month - 1])
    return f"{day.day} {month if _is_dutch() else month.capitalize()} {day.year}"


def local_and(parts: list[str]) -> str:
    """``1, 2 en 4`` / ``1, 2 and 4``."""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
