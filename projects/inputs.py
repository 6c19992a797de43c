"""How people type amounts, quantities and dates: as they write them in their language.

An amount is shown with the language's separators (``1.650.000,50`` in Dutch,
``1,650,000.50`` in English) and read back in either way of writing it that cannot be
misread: groups of three digits after a ``.`` (Dutch) or ``,`` (English) are thousands;
the other mark, or a lone group mark that cannot be a thousands' group, is the decimal
mark; spaces and a euro sign are ignored. ``250.000`` is a quarter of a million in Dutch,
``1234567.89`` euros and cents in both languages; ``1.2345,6`` is refused, not guessed.

A date is typed as text in the language's one format (``31-12-2024`` in Dutch,
``31/12/2024`` in English; also ``31122024`` and ``2024-12-31``), never by the browser's
date picker, whose format follows the browser's locale rather than the page's: an English
browser once read "15062025" as 6 December 2025.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The group mark and the decimal mark of each language of the interface.
MARKS = {"nl": (".", ","), "en": (",", ".")}
_SPACES = re.compile(r"[\s\u00a0\u202f€]")


def marks() -> tuple[str, str]:
    return MARKS.get((get_language() or "nl")[:2], MARKS["nl"])


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """The number in ``text`` as written in ``language`` (the active one by default);
    ``ValueError`` when it cannot be read without guessing."""
    group, decimal = MARKS.get((language or get_language() or "nl")[:2], MARKS["nl"])
    value = _SPACES.sub("", text)
    sign = ""
    if value[:1] in "+-" and value[:1]:
        sign, value = value[:1], value[1:]
    if not value:
        raise ValueError(text)
    if decimal in value:
        whole, _mark, fraction = value.rpartition(decimal)
    elif value.count(group) == 1 and not re.fullmatch(
        rf"\d{{1,3}}{re.escape(group)}\d{{3}}", value
    ):
        # "1234.56" or "12.3456" in Dutch, "1234,56" in English: one mark that cannot be a
        # thousands' group is the decimal mark (as a machine or the other language writes).
        whole, _mark, fraction = value.rpartition(group)
    else:
        whole, fraction = value, ""
    if group in whole and not re.fullmatch(rf"\d{{1,3}}({re.escape(group)}\d{{3}})+", whole):
        raise ValueError(text)
    whole = whole.replace(group, "")
    if not re.fullmatch(r"\d+", whole) or not re.fullmatch(r"\d*", fraction):
        raise ValueError(text)
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation as error:  # pragma: no cover - the patterns above rule it out
        raise ValueError(text) from error


def format_number(value: Decimal | int | None, *, decimals: int | None = None) -> str:
    """``value`` written with the active language's marks, grouped by thousands."""
    if value is None:
        return ""
    group, decimal = marks()
    if decimals is None and isinstance(value, Decimal):
        # A quantity: its own decimals, without trailing zeros.
        value = value.normalize() if value == value.to_integral() else value
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return numberformat.format(
        value,
        decimal,
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=group,
        force_grouping=True,
    )


class NumberInput(forms.TextInput):
    """A number typed as text, with the phone's decimal keyboard, shown with the marks of
    the page's language."""

    def __init__(self, *, decimals: int | None, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.decimals = decimals

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value, decimals=self.decimals)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """A DecimalField that reads and shows numbers as the page's language writes them."""

    default_error_messages = {
        "invalid": _(
            "Geen getal: schrijf bijvoorbeeld %(example)s (punten tussen de duizendtallen "
            "mogen, een komma voor de decimalen)."
        ),
    }

    def __init__(self, *, shown_decimals: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumberInput(decimals=shown_decimals))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(str(value).strip())
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"example": format_number(Decimal("1650000.50"), decimals=2)},
            ) from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not the browser's number input: its step and min would follow the browser's locale.
        return {}


class DateInput(forms.DateInput):
    """A date typed as text in the page's language's format, with its format as a hint."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        self.format = get_format("DATE_INPUT_FORMATS")[0]
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", str(_("dd-mm-jjjj")))
        return context


class DateField(forms.DateField):
    """A date in the page's language's format (``DATE_INPUT_FORMATS`` of ``relance/formats``)."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Geen datum: schrijf dag, maand en jaar, bijvoorbeeld %(example)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "invalid":
                raise
            example = (
                get_format("DATE_INPUT_FORMATS")[0]
                .replace("%d", "31")
                .replace("%m", "12")
                .replace("%Y", "2024")
            )
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"example": example}
            ) from None
