"""A CSV file of open data, declared column by column: the ORM path of each value, what
kind of value it is, and what it holds in Dutch and in English (the data dictionary).

Free text goes through ``csv_safe``: a text that starts with ``=``, ``+``, ``-``, ``@``, tab
or carriage return gets a leading ``'``, so that no spreadsheet runs it as a formula.
Numbers and dates are written by us and stay as they are (``-5`` is a number).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from projects.models import ReportingRound
from projects.spreadsheets import csv_safe

CHUNK = 2000
CENT = Decimal("0.01")


class Kind(enum.Enum):
    """What a column holds: (Dutch, English) for the dictionary."""

    TEXT = ("tekst", "text")
    CODE = ("code", "code")
    INTEGER = ("geheel getal", "integer")
    AMOUNT = ("bedrag in euro, twee decimalen", "amount in euro, two decimals")
    QUANTITY = ("decimaal getal", "decimal number")
    DATE = ("datum (JJJJ-MM-DD)", "date (YYYY-MM-DD)")
    DATETIME = ("tijdstip (ISO 8601)", "timestamp (ISO 8601)")
    YES_NO = ("ja of nee", "ja (yes) or nee (no)")


def _cell(kind: Kind, value: Any) -> Any:
    if value is None:
        return ""
    if kind is Kind.AMOUNT:
        return f"{Decimal(value).quantize(CENT):f}"
    if kind is Kind.QUANTITY:
        return f"{Decimal(value).normalize():f}"
    if kind is Kind.DATETIME:
        return timezone.localtime(value).isoformat(timespec="seconds")
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, dt.date) else value
    if kind is Kind.YES_NO:
        return "ja" if value else "nee"
    if kind in (Kind.TEXT, Kind.CODE):
        return csv_safe(str(value))
    return value


@dataclass(frozen=True)
class Column:
    name: str
    path: str  # the ORM path (or annotation) of the value
    kind: Kind
    nl: str
    en: str
    choices: type[Any] | None = None  # TextChoices: the dictionary lists the codes

    def description(self, language: str) -> str:
        """What the column holds, in ``language`` (nl or en), with its codes if any."""
        text = self.nl if language == "nl" else self.en
        if self.choices is None:
            return text
        with translation.override(language):
            codes = "; ".join(f"{value} ({label})" for value, label in self.choices.choices)
        return f"{text.rstrip('.')}: {codes}."


@dataclass(frozen=True)
class CsvTable:
    filename: str
    nl: str
    en: str
    rows_of: Callable[[ReportingRound], QuerySet[Any]]
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, reporting_round: ReportingRound) -> Iterator[list[Any]]:
        """The rows, read in chunks: memory stays flat whatever the plan's size."""
        kinds = [column.kind for column in self.columns]
        records = self.rows_of(reporting_round).values_list(*(c.path for c in self.columns))
        for record in records.iterator(chunk_size=CHUNK):
            yield [_cell(kind, value) for kind, value in zip(kinds, record, strict=True)]
