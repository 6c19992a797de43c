"""Cell values of the plan workbook, read the ways ``workbook.md`` allows.

Each parser takes a cell's value as openpyxl gives it (a number, a date, text with its
surrounding spaces already trimmed; never None: empty cells are handled by the caller)
and returns the typed value, or raises ``CellError`` with a message for people.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from milestones.models import MilestoneState
from projects.models import IndicatorKind, ProjectStatus
from projects.models.indicators import QUANTITY_DECIMAL_PLACES, QUANTITY_MAX_DIGITS
from projects.models.rounds import RoundState


class CellError(ValueError):
    """A value that cannot be right; ``str(error)`` says why, in words for people."""


Parser = Callable[[Any], Any]

# What the database stores and gives back alike on SQLite and PostgreSQL (see
# projects.models.plan.money_field and projects.models.indicators.quantity_field).
MAX_AMOUNT = Decimal("9999999999999.99")  # DecimalField(max_digits=15, decimal_places=2)
CENT = Decimal("0.01")
QUANTITY_PLACES = Decimal(1).scaleb(-QUANTITY_DECIMAL_PLACES)  # 0.0001
# 99,999,999,999.9999: fifteen significant digits, four of them decimals.
MAX_QUANTITY = Decimal(10) ** (QUANTITY_MAX_DIGITS - QUANTITY_DECIMAL_PLACES) - QUANTITY_PLACES
# The widest integer column (a BigIntegerField); a parser bounds it tighter where it can.
MAX_WHOLE_NUMBER = 9_223_372_036_854_775_807
# Text longer than this is no number of ours; never handed to int() or Decimal() whole.
_MAX_NUMBER_TEXT = 40

_AMOUNT_TEXT = re.compile(r"^([+-]?)(\d+)(?:[.,](\d+))?$", re.ASCII)
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_BELGIAN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def normalise_text(value: str) -> str:
    """Text as the workbook carries it: trimmed, lines ending in \\n, no characters that
    XML cannot hold. The import stores it so, and compares what the database holds so."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", value).strip()


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _is_number(value: Any) -> bool:
    # bool is an int to Python, never a number to people.
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def text(value: Any) -> str:
    """Text as written; numbers and dates that Excel made of it are written back as text."""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def whole_number(value: Any) -> int:
    """3, 3.0 and "3" all mean 3; at most ``MAX_WHOLE_NUMBER`` (callers bound it tighter)."""
    if _is_number(value):
        if isinstance(value, float) and not value.is_integer():  # also inf and nan
            raise CellError(_("geen geheel getal: %(value)s") % {"value": _shown(value)})
        if isinstance(value, Decimal) and (
            not value.is_finite() or value != value.to_integral_value()
        ):
            raise CellError(_("geen geheel getal: %(value)s") % {"value": _shown(value)})
        number = int(value)
    elif isinstance(value, str) and _DIGITS.match(value):
        if len(value) > _MAX_NUMBER_TEXT:
            raise CellError(_("getal te groot: %(value)s") % {"value": _shown(value)})
        number = int(value)
    else:
        raise CellError(_("geen geheel getal: %(value)s") % {"value": _shown(value)})
    if abs(number) > MAX_WHOLE_NUMBER:
        raise CellError(_("getal te groot: %(value)s") % {"value": _shown(value)})
    return number


def _decimal_of_number(value: int | float | Decimal) -> Decimal:
    """The decimal a person typed, from the binary float Excel stored.

    ``repr`` gives the shortest text that reads back as the same float, which is what was
    typed (1234567.89, not 1234567.889999999897...); a value computed in Excel (0.1 + 0.2)
    is taken at Excel's 15 significant digits, as Excel shows it.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if not math.isfinite(value):
        raise CellError(_("geen getal: %(value)s") % {"value": _shown(value)})
    exact = Decimal(repr(value))
    shown = Decimal(f"{value:.15g}")
    # Both are finite, so their exponents are ints: fewer decimals wins.
    return shown if int(shown.as_tuple().exponent) > int(exact.as_tuple().exponent) else exact


def _decimal(value: Any) -> Decimal:
    if _is_number(value):
        number = _decimal_of_number(value)
        if not number.is_finite():
            raise CellError(_("geen getal: %(value)s") % {"value": _shown(value)})
        return number
    if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        match = _AMOUNT_TEXT.match(value)
        if match:
            sign, whole, fraction = match.groups()
            try:
                return Decimal(f"{sign}{whole}.{fraction or '0'}")
            except InvalidOperation:  # pragma: no cover - the pattern admits only digits
                pass
    raise CellError(_("geen getal: %(value)s") % {"value": _shown(value)})


def _decimals(number: Decimal) -> int:
    """How many decimals the number really has: 12.3400 has two. Counted on the digits,
    never through normalize(), which would round past the context's 28 digits."""
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: _decimal refuses the rest
    places = max(0, -exponent)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, places - trailing)


def amount(value: Any) -> Decimal:
    """An amount in euro: 0 to 9,999,999,999,999.99, at most two decimals, exact."""
    number = _decimal(value)
    if number < 0:
        raise CellError(_("negatief bedrag: %(value)s") % {"value": _shown(value)})
    # The size first: a huge number cannot even be rounded to the cent.
    if number > MAX_AMOUNT:
        raise CellError(
            _("bedrag te groot: %(value)s (hoogstens 9999999999999,99)") % {"value": _shown(value)}
        )
    if _decimals(number) > 2:
        raise CellError(_("meer dan twee decimalen: %(value)s") % {"value": _shown(value)})
    return number.quantize(CENT)


def quantity(value: Any) -> Decimal:
    """An indicator value: any sign, at most four decimals and fifteen digits in all
    (±99,999,999,999.9999), which both databases give back exactly.

    A number cell is read as the decimal a person typed (``_decimal_of_number``), so a
    binary float's noise never counts as decimals; a fifth decimal that is really there
    is an error, never rounded away.
    """
    number = _decimal(value)
    if abs(number) > MAX_QUANTITY:
        raise CellError(
            _("getal te groot: %(value)s (hoogstens 99999999999,9999 in absolute waarde)")
            % {"value": _shown(value)}
        )
    if _decimals(number) > QUANTITY_DECIMAL_PLACES:
        raise CellError(_("meer dan vier decimalen: %(value)s") % {"value": _shown(value)})
    return number.quantize(QUANTITY_PLACES)


def date(value: Any) -> dt.date:
    """A date cell, or text YYYY-MM-DD or DD/MM/YYYY."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        iso, belgian = _ISO_DATE.match(value), _BELGIAN_DATE.match(value)
        if iso or belgian:
            if iso:
                year, month, day = (int(part) for part in iso.groups())
            else:
                assert belgian is not None
                day, month, year = (int(part) for part in belgian.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CellError(
                    _("onmogelijke datum: %(value)s") % {"value": _shown(value)}
                ) from None
    raise CellError(
        _("geen datum (JJJJ-MM-DD of DD/MM/JJJJ): %(value)s") % {"value": _shown(value)}
    )


# WAAR and ONWAAR are how a Dutch Excel shows TRUE and FALSE.
_YES = {"ja", "yes", "true", "1", "waar"}
_NO = {"nee", "no", "false", "0", "onwaar"}


def yes_no(value: Any) -> bool:
    """ja/nee, yes/no, true/false, 1/0 (an empty cell, handled by the caller, is nee)."""
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise CellError(_("geen ja of nee: %(value)s") % {"value": _shown(value)})


def _words(mapping: Mapping[str, str]) -> dict[str, str]:
    return {word.lower(): code for word, code in mapping.items()}


# The words of workbook.md, from the statuses' vocabulary (projects/models/statuses.py): the
# export writes the first; an import reads them all, the stored codes and the labels too.
PROJECT_STATUS_WORDS = {status.value: status.word for status in ProjectStatus}
MILESTONE_STATUS_WORDS = {state.value: state.word for state in MilestoneState}
ROUND_STATE_WORDS = {state.value: state.word for state in RoundState}
_PROJECT_STATUSES = ProjectStatus.reading()
_MILESTONE_STATUSES = MilestoneState.reading()
_ROUND_STATES = RoundState.reading()

_INDICATOR_KINDS = _words({code: code for code in IndicatorKind.values})


def _choice(table: dict[str, str], value: Any, message: str) -> str:
    found = table.get(" ".join(str(value).split()).lower())
    if found is None:
        raise CellError(message % {"value": _shown(value)})
    return found


def project_status(value: Any) -> str:
    return _choice(_PROJECT_STATUSES, value, _("geen projectstatus: %(value)s"))


def milestone_status(value: Any) -> str:
    return _choice(_MILESTONE_STATUSES, value, _("geen mijlpaalstatus: %(value)s"))


def round_state(value: Any) -> str:
    return _choice(_ROUND_STATES, value, _("geen status van een meetmoment: %(value)s"))


def indicator_kind(value: Any) -> str:
    return _choice(
        _INDICATOR_KINDS, value, _("geen soort indicator (output, outcome, impact): %(value)s")
    )


# -- the columns added for whole round records (workbook.md, "What the newer columns mean") --

_COEFFICIENTS = {0, 40, 100}
_PERCENT = re.compile(r"^(\d+)\s*%$")


def coefficient(value: Any) -> int:
    """A transition coefficient: 0, 40 or 100 (the share of the budget, as the RRF tags it);
    also written with a percent sign."""
    if isinstance(value, str) and (match := _PERCENT.match(value)):
        value = match.group(1)
    try:
        number = whole_number(value)
    except CellError:
        number = None
    if number not in _COEFFICIENTS:
        raise CellError(_("geen coëfficiënt (0, 40 of 100): %(value)s") % {"value": _shown(value)})
    return number


FLAG_WORDS = {status.value: status.colour.word for status in ProjectStatus.flags()}
_FLAGS = ProjectStatus.reading(ProjectStatus.flags())


def flag_level(value: Any) -> str:
    """The coordinators' flag: oranje or rood (also aandacht, actie nodig and the codes)."""
    return _choice(_FLAGS, value, _("geen markering (oranje of rood): %(value)s"))


# The words a vocabulary column offers in the exported workbook's drop-downs: those the
# export writes (an import also reads the synonyms and codes).
CHOICE_WORDS: dict[Parser, tuple[str, ...]] = {
    project_status: tuple(PROJECT_STATUS_WORDS.values()),
    milestone_status: tuple(MILESTONE_STATUS_WORDS.values()),
    round_state: tuple(word for word in ROUND_STATE_WORDS.values() if word),
    flag_level: tuple(FLAG_WORDS.values()),
    indicator_kind: tuple(IndicatorKind.values),
    yes_no: ("ja", "nee"),
    coefficient: tuple(str(number) for number in sorted(_COEFFICIENTS)),
}
