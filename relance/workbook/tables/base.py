"""How a sheet's rows go into the database: what a table reads, checks and writes.

A ``Table`` takes its columns, ORM paths, references and written fields from the sheet's
declaration (``sheets/``) and adds the rules that a declaration cannot say: what a row
means beyond its cells, what a merged record must keep, and writes beyond plain fields.
The import job (``importer/job.py``) drives the tables through ``Context``: a table never
imports the importer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.db import models
from django.utils.translation import gettext as _

from projects.models import User

from ..rows import Old, SheetInput
from ..schema import Sheet, named_tuple

Problem = tuple[str, str]  # column, message
Record = Any  # a sheet's record: a named tuple in the sheet's column order
Key = tuple[Any, ...]  # the values of a sheet's key columns


class Context(Protocol):
    """What a table sees of the import job."""

    user: User | None
    filename: str
    inputs: dict[str, SheetInput]
    closed_in_db: set[str]
    closing: set[str]
    round_dates: dict[str, dt.date]
    open_round: str | None
    left_plan: dict[str, str]
    derived: dict[str, dict[tuple[Any, ...], Any]]
    after_write: list[Callable[[], None]]

    def round_codes_in(self, sheet: str) -> set[str]: ...

    def ids(self, name: str) -> dict[tuple[Any, ...], int]: ...

    def milestone_deadlines(
        self, milestones: set[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], Any]: ...

    def fiche_ids(self, round_codes: set[str]) -> dict[tuple[int, int], int]: ...

    def bulk_create(self, model: type[models.Model], objects: Iterable[models.Model]) -> None: ...

    def bulk_update(
        self, model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
    ) -> None: ...


class Table:
    sheet: ClassVar[Sheet]
    extra_paths: ClassVar[tuple[str, ...]] = ()  # more stored values the write needs

    @property
    def name(self) -> str:
        return self.sheet.name

    def extra_record(self) -> Any:
        """A stored record's extras, named by their paths (``old.extra.opens_on``)."""
        return named_tuple("extra", self.extra_paths)

    @property
    def model(self) -> type[models.Model]:
        return self.sheet.model

    def queryset(self, job: Context) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if self.sheet.round_column:
            path = self.sheet.column(self.sheet.round_column).path
            queryset = queryset.filter(**{path + "__in": job.round_codes_in(self.name)})
        return self.sheet.read(queryset)

    def resolve_key(self, job: Context, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """The stored record's key that a row's key means."""
        return key

    def prepare(self, job: Context, rows: SheetInput, existing: dict[tuple[Any, ...], Old]) -> None:
        """Work out, for all rows at once, what one row's merge needs from the others."""

    def normalise(
        self, job: Context, key: Key, merged: Record, old: Old | None, problems: list[Problem]
    ) -> Record:
        """The record as it will be stored, from the file's cells over what is stored."""
        return merged

    def check(self, job: Context, merged: Record, old: Old | None) -> Iterator[Problem]:
        """The rules of one record as it will be (the file's cells over what is stored)."""
        return iter(())

    def plain_fields(self) -> list[tuple[str, str]]:
        """(model field, column) of the columns written as they are."""
        return [(c.field, c.name) for c in self.sheet.columns if c.field is not None]

    def attrs_of(self, job: Context) -> Callable[[Record], dict[str, Any]]:
        """A record → the model's fields: the plain columns and the references' keys. A
        reference that is optional is None when empty or not written yet."""
        plain = [(field, self.sheet.index(name)) for field, name in self.plain_fields()]
        refs = []
        for ref in self.sheet.refs:
            if ref.field is not None:
                indexes = [self.sheet.index(name) for name in ref.columns]
                optional = not all(self.sheet.columns[i].required for i in indexes)
                refs.append((ref.field, indexes, job.ids(ref.table), optional))

        def attrs(m: Record) -> dict[str, Any]:
            values = {field: m[i] for field, i in plain}
            for field, indexes, ids, optional in refs:
                target = tuple([m[i] for i in indexes])
                values[field] = ids.get(target) if optional else ids[target]
            return values

        return attrs

    def write(self, job: Context, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        attrs = self.attrs_of(job)
        job.bulk_create(self.model, (self.model(**attrs(m)) for m in creates))
        if updates:
            changes = [(old.pk, attrs(m)) for m, old in updates]
            objects = [self.model(pk=pk, **values) for pk, values in changes]
            job.bulk_update(self.model, objects, list(changes[0][1]))


@dataclass(frozen=True)
class Lookup:
    """Records that other sheets name by a key that is not a sheet's own (an indicator by
    project and code, whatever round defines it)."""

    name: str
    model: type[models.Model]
    key_paths: tuple[str, ...]
    file_keys: Callable[[Context], set[tuple[Any, ...]]]


def round_closed(code: str) -> str:
    return _("meetmoment %(round)s is gesloten: zijn gegevens wijzigen niet meer") % {"round": code}


def round_id(job: Context, code: str) -> int:
    return job.ids("meetmomenten")[(code,)]
