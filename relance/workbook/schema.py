"""The sheets and columns of the plan workbook (``workbook.md``), in the export's order."""

from __future__ import annotations

import re
import sys
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import parsing
from .parsing import CellError, Parser

SMALLINT_MAX = 32767  # PositiveSmallIntegerField


def _code(pattern: str, message: Callable[[], str], max_length: int) -> Parser:
    compiled = re.compile(pattern)

    def parse(value: Any) -> str:
        code = parsing.text(value).upper()
        if len(code) > max_length or not compiled.match(code):
            raise CellError(message() % {"value": parsing.text(value)[:40]})
        # Codes repeat on every row of the big sheets: one string each saves memory.
        return sys.intern(code)

    return parse


domain_code = _code(
    r"^[A-Z]{2,10}$", lambda: _("geen code van een beleidsdomein (2 tot 10 letters): %(value)s"), 10
)
project_code = _code(
    r"^[A-Z]+[0-9]+$",
    lambda: _("geen projectcode (letters en dan cijfers, bv. VV001): %(value)s"),
    20,
)


def round_code(value: Any) -> str:
    code = parsing.text(value)
    if not re.match(r"^[0-9]{4}-(0[1-9]|1[0-2])$", code):
        raise CellError(
            _("geen code van een meetmoment (JJJJ-MM): %(value)s") % {"value": code[:40]}
        )
    return sys.intern(code)


def number_between(low: int, high: int) -> Parser:
    def parse(value: Any) -> int:
        number = parsing.whole_number(value)
        if not low <= number <= high:
            raise CellError(
                _("%(value)s ligt niet tussen %(low)s en %(high)s")
                % {"value": number, "low": low, "high": high}
            )
        return number

    return parse


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        result = value if value.__class__ is str else parsing.text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(
                _("te lang: %(length)s tekens, hoogstens %(max)s")
                % {"length": len(result), "max": max_length}
            )
        return result

    return parse


@dataclass(frozen=True)
class Column:
    """A column: its name in row 1, how its cells read, what an empty cell means, and how
    a stored value is written back (the export) and shown (the preview)."""

    name: str
    parse: Parser
    required: bool = False
    empty: Any = None
    show: Callable[[Any], Any] | None = None
    # A column whose few distinct values repeat row after row (codes, statuses).
    repeats: bool = False

    def cell(self, value: Any) -> Any:
        return self.show(value) if self.show and value is not None else value


@dataclass(frozen=True)
class Sheet:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # A record of this sheet: a tuple in column order whose values are also named by their
    # column (``record.budget_eur``), so that code never counts positions.
    # (A class made at run time: typed Any, since mypy cannot know its fields.)
    record: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "record", namedtuple(self.name, self.names))  # noqa: PYI024

    def index(self, column: str) -> int:
        return self.names.index(column)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def required(name: str, parse: Parser, *, repeats: bool = False) -> Column:
    return Column(name, parse, required=True, repeats=repeats)


def optional_text(name: str, max_length: int | None = None) -> Column:
    return Column(name, text(max_length), empty="")


SPEERPUNT_NUMBER = number_between(1, 99)
CLUSTER_NUMBER = number_between(1, SMALLINT_MAX)
MILESTONE_NUMBER = number_between(1, SMALLINT_MAX)
INDICATOR_CODE = text(20)

DOMAINS = Sheet(
    "beleidsdomeinen",
    key=("code",),
    columns=(required("code", domain_code), required("naam", text(200))),
)
SPEERPUNTEN = Sheet(
    "speerpunten",
    key=("nummer",),
    columns=(required("nummer", SPEERPUNT_NUMBER), required("naam", text(200))),
)
CLUSTERS = Sheet(
    "clusters",
    key=("nummer",),
    columns=(
        required("nummer", CLUSTER_NUMBER),
        required("speerpunt", SPEERPUNT_NUMBER),
        required("naam", text(200)),
    ),
)
PROJECTS = Sheet(
    "projecten",
    key=("code",),
    columns=(
        required("code", project_code),
        required("titel", text(500)),
        required("cluster", CLUSTER_NUMBER, repeats=True),
        required("beleidsdomein", domain_code, repeats=True),
        optional_text("entiteit", 200),
        required("budget_eur", parsing.amount),
        Column("rrf", parsing.yes_no, empty=False, show=lambda value: "ja" if value else "nee"),
        optional_text("rrf_maatregel", 50),
        Column("startdatum", parsing.date),
        Column("einddatum", parsing.date),
        Column("klimaatcoefficient", parsing.coefficient, empty=0),
        Column("digitaalcoefficient", parsing.coefficient, empty=0),
        Column("buiten_plan_vanaf", round_code),
        optional_text("reden_buiten_plan"),
    ),
)
MILESTONES = Sheet(
    "mijlpalen",
    key=("project", "nummer"),
    columns=(
        required("project", project_code, repeats=True),
        required("nummer", MILESTONE_NUMBER),
        required("omschrijving", text()),
        required("deadline", parsing.date),
        optional_text("rrf_referentie", 50),
    ),
)
ROUNDS = Sheet(
    "meetmomenten",
    key=("code",),
    columns=(
        required("code", round_code),
        optional_text("naam", 100),
        required("referentiedatum", parsing.date),
        Column("deadline", parsing.date),
        Column("status", parsing.round_state, empty="draft", show=parsing.ROUND_STATE_WORDS.get),
        Column("envelop_eur", parsing.amount),
    ),
)
FICHES = Sheet(
    "rapportering",
    key=("meetmoment", "project"),
    columns=(
        required("meetmoment", round_code, repeats=True),
        required("project", project_code, repeats=True),
        Column(
            "status",
            parsing.project_status,
            True,
            show=parsing.PROJECT_STATUS_WORDS.get,
            repeats=True,
        ),
        Column("vastgelegd_eur", parsing.amount),
        Column("vereffend_eur", parsing.amount),
        optional_text("toelichting"),
        Column("budget_eur", parsing.amount),
        Column("markering", parsing.flag_level, show=parsing.FLAG_WORDS.get, repeats=True),
        optional_text("motivatie"),
    ),
)
MILESTONE_STATUSES = Sheet(
    "mijlpaalstatus",
    key=("meetmoment", "project", "mijlpaal"),
    columns=(
        required("meetmoment", round_code, repeats=True),
        required("project", project_code, repeats=True),
        required("mijlpaal", MILESTONE_NUMBER, repeats=True),
        Column(
            "status",
            parsing.milestone_status,
            True,
            show=parsing.MILESTONE_STATUS_WORDS.get,
            repeats=True,
        ),
        Column("realisatiedatum", parsing.date),
        optional_text("toelichting"),
        Column("verwachte_datum", parsing.date),
        optional_text("reden_vertraging"),
        Column("uitgesteld", number_between(0, SMALLINT_MAX)),
    ),
)
INDICATORS = Sheet(
    "indicatoren",
    # Without a meetmoment: the open round's definition, or with no round open, the one the
    # next round to open takes over (the key's meetmoment is then None).
    key=("meetmoment", "project", "code"),
    columns=(
        Column("meetmoment", round_code, repeats=True),
        required("project", project_code, repeats=True),
        required("code", INDICATOR_CODE),
        required("naam", text(300)),
        required("soort", parsing.indicator_kind),
        optional_text("eenheid", 50),
        Column("basiswaarde", parsing.quantity),
        Column("streefwaarde", parsing.quantity),
        Column("streefdatum", parsing.date),
        optional_text("rrf_referentie", 50),
    ),
)
INDICATOR_VALUES = Sheet(
    "indicatorwaarden",
    key=("meetmoment", "project", "indicator"),
    columns=(
        required("meetmoment", round_code, repeats=True),
        required("project", project_code, repeats=True),
        required("indicator", INDICATOR_CODE),
        required("waarde", parsing.quantity),
        optional_text("toelichting"),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    DOMAINS,
    SPEERPUNTEN,
    CLUSTERS,
    PROJECTS,
    MILESTONES,
    ROUNDS,
    FICHES,
    MILESTONE_STATUSES,
    INDICATORS,
    INDICATOR_VALUES,
)
BY_NAME = {sheet.name: sheet for sheet in SHEETS}
