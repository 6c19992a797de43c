"""A CSV file of open data, declared column by column: the ORM path of each value, what
kind of value it is, and what it holds in Dutch and in English (the data dictionary).

A file that publishes a sheet of the plan workbook takes that sheet's public columns from
the workbook's declaration (relance/workbook/sheets): their name, path, kind and
description are declared there once. The file only orders them, and adds its own.

Free text goes through ``csv_safe``: a text that starts with ``=``, ``+``, ``-``, ``@``, tab
or carriage return gets a leading ``'``, so that no spreadsheet runs it as a formula.
Numbers and dates are written by us and stay as they are (``-5`` is a number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from projects.models import ReportingRound
from projects.spreadsheets import csv_safe
from relance.workbook import schema
from relance.workbook.schema import Kind

CHUNK = 2000
CENT = Decimal("0.01")


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

    @classmethod
    def of(cls, column: schema.Column) -> Column:
        """A column of the plan workbook, as open data publishes it."""
        public = column.public
        if public is None:
            raise ValueError(f"{column.name} is not published")
        kind, choices = column.value_kind, column.choices
        return cls(public.name or column.name, column.path, kind, public.nl, public.en, choices)

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
    """A CSV file: its rows, and its columns in ``layout``, each a column of its own or
    the name of a column of ``sheet`` (the workbook's). The sheet's other public columns
    follow, in the sheet's order, so that a column declared public there is published."""

    filename: str
    nl: str
    en: str
    rows_of: Callable[[ReportingRound], QuerySet[Any]]
    layout: tuple[Column | str, ...]
    sheet: schema.Sheet | None = None

    @property
    def columns(self) -> tuple[Column, ...]:
        if self.sheet is None:
            return tuple(entry for entry in self.layout if isinstance(entry, Column))
        sheet = self.sheet
        named = {entry for entry in self.layout if isinstance(entry, str)}
        rest = [c.name for c in sheet.columns if c.public is not None and c.name not in named]
        return tuple(
            entry if isinstance(entry, Column) else Column.of(sheet.column(entry))
            for entry in [*self.layout, *rest]
        )

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, reporting_round: ReportingRound) -> Iterator[list[Any]]:
        """The rows, read in chunks: memory stays flat whatever the plan's size."""
        columns = self.columns
        kinds = [column.kind for column in columns]
        records = self.rows_of(reporting_round).values_list(*(c.path for c in columns))
        for record in records.iterator(chunk_size=CHUNK):
            yield [_cell(kind, value) for kind, value in zip(kinds, record, strict=True)]
