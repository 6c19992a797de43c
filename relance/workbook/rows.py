"""What the import holds while it works: a sheet's rows as read, and a stored record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .schema import Sheet


class Row(NamedTuple):
    number: int
    values: tuple[Any, ...]  # in the sheet's column order; None for an absent column


class Old:
    """A stored record: its pk, its values (the sheet's record), and extras (named by the
    table's ``extra_paths``)."""

    __slots__ = ("extra", "pk", "values")

    def __init__(self, pk: int, values: Any, extra: Any) -> None:
        # values: the sheet's record (a named tuple, see Sheet.record)
        self.pk, self.values, self.extra = pk, values, extra


@dataclass
class SheetInput:
    sheet: Sheet
    present: tuple[bool, ...]
    rows: dict[tuple[Any, ...], Row] = field(default_factory=dict)
    # Every key and the row it is first on, wrong rows too: they still count as known to
    # other sheets, so that one mistake is reported once, not on every row that names it.
    first_rows: dict[tuple[Any, ...], int] = field(default_factory=dict)

    @property
    def keys(self) -> Any:  # a KeysView of the keys
        return self.first_rows.keys()

    def given(self, column: str) -> bool:
        """Whether the file has this column."""
        return self.present[self.sheet.index(column)]

    def records(self) -> Any:
        """(key, record) for each right row, the record as the file gives it."""
        make = self.sheet.record._make
        return ((key, make(row.values)) for key, row in self.rows.items())
