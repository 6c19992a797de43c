"""What a sheet and a column of the plan workbook are: the terms the declaration
(``sheets/``) is written in.

A column is declared once, by its name in row 1, and says everything its readers need:
how its cells read (the import), which ORM path holds its value (the import compares it,
the export writes it), whether and how the import writes it back, whether it is required,
what an empty cell means, in which version of the format it appeared, how it is shown (the
export and the preview), and whether and how open data publishes it.
"""

from __future__ import annotations

import enum
import re
import sys
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from projects.models.fields import RRF_INSTALMENT_MAX, RRF_QUARTER_PATTERN

from .parsing import (
    CHOICE_WORDS,
    CellError,
    Parser,
    amount,
    coefficient,
    date,
    flag_level,
    indicator_kind,
    milestone_status,
    project_status,
    quantity,
    round_state,
    whole_number,
    yes_no,
)
from .parsing import text as as_text

SMALLINT_MAX = 32767  # PositiveSmallIntegerField

# The format's versions (workbook.md): 1 is the first; 2 added the columns of "What the
# newer columns mean". A column added later is optional, so that older files stay valid.
FIRST_VERSION = 1
VERSION = 2


class Kind(enum.Enum):
    """What a column holds: (Dutch, English), as the open data dictionary says it."""

    TEXT = ("tekst", "text")
    CODE = ("code", "code")
    INTEGER = ("geheel getal", "integer")
    AMOUNT = ("bedrag in euro, twee decimalen", "amount in euro, two decimals")
    QUANTITY = ("decimaal getal", "decimal number")
    DATE = ("datum (JJJJ-MM-DD)", "date (YYYY-MM-DD)")
    DATETIME = ("tijdstip (ISO 8601)", "timestamp (ISO 8601)")
    YES_NO = ("ja of nee", "ja (yes) or nee (no)")


# The kind of value each parser gives (a column may still say its own).
_KINDS: dict[Parser, Kind] = {
    amount: Kind.AMOUNT,
    quantity: Kind.QUANTITY,
    date: Kind.DATE,
    yes_no: Kind.YES_NO,
    whole_number: Kind.INTEGER,
    coefficient: Kind.INTEGER,
    project_status: Kind.CODE,
    milestone_status: Kind.CODE,
    round_state: Kind.CODE,
    flag_level: Kind.CODE,
    indicator_kind: Kind.CODE,
}


def _of_kind(parse: Parser, kind: Kind) -> Parser:
    _KINDS[parse] = kind
    return parse


def _code(pattern: str, message: Callable[[], str], max_length: int) -> Parser:
    compiled = re.compile(pattern)

    def parse(value: Any) -> str:
        code = as_text(value).upper()
        if len(code) > max_length or not compiled.match(code):
            raise CellError(message() % {"value": as_text(value)[:40]})
        # Codes repeat on every row of the big sheets: one string each saves memory.
        return sys.intern(code)

    return _of_kind(parse, Kind.CODE)


domain_code = _code(
    r"^[A-Z]{2,10}$", lambda: _("geen code van een beleidsdomein (2 tot 10 letters): %(value)s"), 10
)
project_code = _code(
    r"^[A-Z]+[0-9]+$",
    lambda: _("geen projectcode (letters en dan cijfers, bv. VV001): %(value)s"),
    20,
)


def round_code(value: Any) -> str:
    code = as_text(value)
    if not re.match(r"^[0-9]{4}-(0[1-9]|1[0-2])$", code):
        raise CellError(
            _("geen code van een meetmoment (JJJJ-MM): %(value)s") % {"value": code[:40]}
        )
    return sys.intern(code)


_of_kind(round_code, Kind.CODE)


def rrf_quarter(value: Any) -> str:
    """An RRF year-quarter, ``2024-Q2`` (``2024-q2`` reads the same)."""
    quarter = as_text(value).upper()
    if not re.match(RRF_QUARTER_PATTERN, quarter):
        raise CellError(
            _("geen RRF-kwartaal (JJJJ-Qn, bv. 2024-Q2; jaar 2020 tot 2039): %(value)s")
            % {"value": as_text(value)[:40]}
        )
    return sys.intern(quarter)


_of_kind(rrf_quarter, Kind.CODE)


def number_between(low: int, high: int) -> Parser:
    def parse(value: Any) -> int:
        number = whole_number(value)
        if not low <= number <= high:
            raise CellError(
                _("%(value)s ligt niet tussen %(low)s en %(high)s")
                % {"value": number, "low": low, "high": high}
            )
        return number

    return _of_kind(parse, Kind.INTEGER)


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        result = value if value.__class__ is str else as_text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(
                _("te lang: %(length)s tekens, hoogstens %(max)s")
                % {"length": len(result), "max": max_length}
            )
        return result

    return _of_kind(parse, Kind.TEXT)


@dataclass(frozen=True)
class Public:
    """A column that open data publishes: what it holds in Dutch and English (the data
    dictionary), under its own name or another one in the CSV file."""

    nl: str
    en: str
    name: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a sheet (see the module's docstring).

    ``path`` is the ORM path of the stored value on the sheet's model, or an annotation of
    the sheet's ``read``. The import sets the model field ``path`` names when it is one
    (no ``__``) and ``written``; a column that names another sheet is written through its
    ``Ref``, and the rest by the sheet's table (relance/workbook/tables).
    """

    name: str
    parse: Parser
    path: str
    required: bool = False
    empty: Any = None
    since: int = FIRST_VERSION
    show: Callable[[Any], Any] | None = None
    written: bool = True
    # A column the application fills (a frozen budget, an envelope, a count): an empty cell
    # keeps what is stored, and for a new record the table works it out.
    kept: bool = False
    # Written in the workbook of one round (not a project's leaving round, which names
    # other rounds: that file imports on its own and leaves those fields alone).
    in_round_export: bool = True
    public: Public | None = None
    kind: Kind | None = None  # else the parser's
    choices: type[models.Choices] | None = None  # the codes the data dictionary lists
    # A column whose few distinct values repeat row after row (codes, statuses).
    repeats: bool = False

    def __post_init__(self) -> None:
        if self.since > FIRST_VERSION and self.required:
            raise ValueError(f"{self.name}: a column added after the first version is optional")

    @property
    def field(self) -> str | None:
        """The model field that the import sets from this column's value, if it is one."""
        return self.path if self.written and "__" not in self.path else None

    @property
    def value_kind(self) -> Kind:
        return self.kind or _KINDS.get(self.parse, Kind.TEXT)

    @property
    def words(self) -> tuple[str, ...]:
        """The words a cell of this column takes from a list (the export's drop-down), if
        its values are a vocabulary; the import reads their synonyms too."""
        return CHOICE_WORDS.get(self.parse, ())

    def cell(self, value: Any) -> Any:
        return self.show(value) if self.show and value is not None else value


@dataclass(frozen=True)
class Ref:
    """Columns of a sheet that name a row of another sheet (by that sheet's key), and the
    foreign key the import writes from it (``field``, optional)."""

    columns: tuple[str, ...]
    table: str
    message: Any  # lazy text with %(value)s
    field: str | None = None


def as_stored(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset


@lru_cache(maxsize=64)
def named_tuple(name: str, names: tuple[str, ...]) -> Any:
    return namedtuple(name, names)  # noqa: PYI024


@dataclass(eq=False)
class Sheet:
    """A sheet: its name, the model a row is a record of, its key, its columns in the
    export's order, the references to other sheets and, for a sheet of a round's rows, the
    column that names the round (a closed round refuses changes; one round's export holds
    only its rows). ``read`` adds the annotations that some columns' paths name."""

    name: str
    model: type[models.Model]
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    refs: tuple[Ref, ...] = ()
    round_column: str | None = None
    read: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = field(default=as_stored)
    # What a row of the sheet is, for people (the exported workbook's first sheet).
    about: Any = ""

    def __post_init__(self) -> None:
        names = set(self.names)
        named = [*self.key, *(c for ref in self.refs for c in ref.columns)]
        unknown = [name for name in [*named, self.round_column] if name and name not in names]
        if unknown or len(names) != len(self.columns):
            raise ValueError(f"{self.name}: unknown or twice declared columns {unknown}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def record(self) -> Any:
        """A record of this sheet: a tuple in column order whose values are also named by
        their column (``record.budget_eur``), so that code never counts positions. (A class
        made at run time: typed Any, since mypy cannot know its fields.)"""
        return named_tuple(self.name, self.names)

    def index(self, column: str) -> int:
        return self.names.index(column)

    def column(self, name: str) -> Column:
        return self.columns[self.index(name)]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(column.path for column in self.columns)

    @property
    def key_paths(self) -> tuple[str, ...]:
        return tuple(self.column(name).path for name in self.key)

    def rows(self) -> models.QuerySet[Any]:
        """The stored records, with the annotations the columns' paths name."""
        return self.read(self.model._default_manager.all())


def required(name: str, parse: Parser, path: str, **options: Any) -> Column:
    return Column(name, parse, path, required=True, **options)


def optional_text(name: str, path: str, max_length: int | None = None, **options: Any) -> Column:
    return Column(name, text(max_length), path, empty="", **options)


SPEERPUNT_NUMBER = number_between(1, 99)
CLUSTER_NUMBER = number_between(1, SMALLINT_MAX)
MILESTONE_NUMBER = number_between(1, SMALLINT_MAX)
INDICATOR_CODE = text(20)
RRF_INSTALMENT = number_between(1, RRF_INSTALMENT_MAX)


def rrf_columns() -> tuple[Column, Column]:
    """The indicative year-quarter and the payment-request instalment of an RRF milestone or
    target (optional: newer than the first version)."""
    return (
        Column(
            "rrf_kwartaal",
            rrf_quarter,
            "rrf_quarter",
            empty="",
            since=2,
            public=Public(
                "Indicatief kwartaal van de RRF (bv. 2024-Q2).",
                "RRF indicative year-quarter (e.g. 2024-Q2).",
            ),
        ),
        Column(
            "rrf_schijf",
            RRF_INSTALMENT,
            "rrf_instalment",
            since=2,
            public=Public(
                "Betalingsverzoek (schijf) van de RRF, vanaf 1.",
                "RRF payment request (instalment) number, from 1.",
            ),
        ),
    )
