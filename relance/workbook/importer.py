"""The plan workbook's import: read every sheet, check every row, then write all or nothing.

Why openpyxl and bulk ORM operations rather than django-import-export here: the workbook
is one change across ten sheets that refer to each other (a milestone status names a
milestone of a project of the same file), so it must be checked as a whole and written in
one transaction, in the order of the references, with rounds closing only after their
rows are in. import-export's resources import one model at a time, each in its own
transaction, row by row with a query or more per row; the import must keep within 3x of a
plain ``bulk_create`` at 100 times the plan's size (580,000 rows), which takes checking
every row in memory against what was read in a few queries, and writing in bulk. The
admin keeps the resources for one model at a time (see each app's ``resources.py``).

How a row is read: the key finds the stored record; the file's cells, for the columns the
sheet has, go over what is stored (a column that is absent leaves its field alone; an
empty cell empties it). A table may then derive what the file means (tables.py): a flag
word in a status is the flag; an empty cell of a column the application fills (a frozen
budget, an envelope, a count of postponements) keeps what is stored, or for a new record
is worked out; an indicator definition without a round is the open round's. The merged
record is checked, compared cell by cell, and created, updated or left unchanged. Nothing
is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, KeysView, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, NamedTuple

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from finance.services import freeze_budgets
from milestones.models import Milestone
from projects.models import Fiche, Project, ReportingRound, User
from projects.models.rounds import RoundState

from .parsing import normalise_text
from .reader import Limits, SheetRows, WorkbookRefused, open_workbook
from .results import CellChange, ImportResult, RowChange, SheetReport, WorkbookError, shown
from .schema import BY_NAME as SHEETS_BY_NAME
from .schema import Sheet
from .tables import BY_NAME as TABLES_BY_NAME
from .tables import LOOKUPS, TABLES, Table

logger = logging.getLogger(__name__)

BATCH = 2000
# The preview shows this many created and this many changed rows per sheet (counts are
# always complete).
PREVIEW_ROWS = 200
# The reason an update by the import gives in the history of a fiche, its money, a milestone
# status or an indicator value. (Records the import creates have no history of their own
# yet, like those that opening a round or the demo plan create in bulk.)
CHANGE_REASON = "werkboekimport"


class Row(NamedTuple):
    number: int
    values: tuple[Any, ...]  # in the sheet's column order; None for an absent column


class Old:
    """A stored record: its pk, its values in the sheet's column order, and extras."""

    __slots__ = ("extra", "pk", "values")

    def __init__(self, pk: int, values: Any, extra: tuple[Any, ...]) -> None:
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
    def keys(self) -> KeysView[tuple[Any, ...]]:
        return self.first_rows.keys()


@dataclass
class Plan:
    creates: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[tuple[Any, ...], Old]] = field(default_factory=list)


def _batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Job:
    """One import: read, check, and (unless it is a preview) write."""

    def __init__(self, *, user: User | None = None, filename: str = "") -> None:
        self.user = user
        # The file's name, for the review history of the fiches whose flag it changes.
        self.filename = filename
        self.errors: list[WorkbookError] = []
        self.inputs: dict[str, SheetInput] = {}
        self.plans: dict[str, Plan] = {}
        self.reports: dict[str, SheetReport] = {}
        self.existing: dict[str, dict[tuple[Any, ...], Old]] = {}
        self._known: dict[str, set[tuple[Any, ...]]] = {}
        self._ids: dict[str, dict[tuple[Any, ...], int]] = {}
        self.closed_in_db: set[str] = set()
        self.closing: set[str] = set()
        self.opening: set[str] = set()
        # What the rows will be once written, as the checks across sheets need it: each
        # round's reference date, the round open after the import, and from which round a
        # project is out of the plan.
        self.round_dates: dict[str, dt.date] = {}
        self.open_round: str | None = None
        self.left_plan: dict[str, str] = {}
        # Values a table works out before its rows are checked (e.g. counted postponements).
        self.derived: dict[str, dict[tuple[Any, ...], Any]] = {}
        # Writes that wait until every sheet is written (e.g. a project's leaving round).
        self.after_write: list[Callable[[], None]] = []

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(WorkbookError(sheet, row, column, message))

    # -- reading -------------------------------------------------------------------------

    def read(self, sheets: list[SheetRows]) -> None:
        for sheet_rows in sheets:
            name = " ".join(sheet_rows.title.split()).lower()
            sheet = SHEETS_BY_NAME.get(name)
            if sheet is None:
                self.error(
                    sheet_rows.title,
                    1,
                    "—",
                    _("onbekend werkblad; verwacht: %(names)s")
                    % {"names": ", ".join(SHEETS_BY_NAME)},
                )
            elif sheet.name in self.inputs:
                self.error(sheet_rows.title, 1, "—", _("dit werkblad staat er twee keer"))
            else:
                self._read_sheet(sheet, sheet_rows)

    def _read_sheet(self, sheet: Sheet, sheet_rows: SheetRows) -> None:
        positions: dict[str, int] = {}
        nameless: list[int] = []
        for index, title in enumerate(sheet_rows.header):
            if title is None:
                nameless.append(index)
                continue
            name = " ".join(str(title).split()).lower()
            if name not in sheet.names:
                self.error(sheet.name, 1, str(title), _("onbekende kolom"))
            elif name in positions:
                self.error(sheet.name, 1, name, _("deze kolom staat er twee keer"))
            else:
                positions[name] = index
        for column in sheet.columns:
            if column.required and column.name not in positions:
                self.error(sheet.name, 1, column.name, _("verplichte kolom ontbreekt"))
        present = tuple(column.name in positions for column in sheet.columns)
        sheet_input = self.inputs[sheet.name] = SheetInput(sheet, present)
        width = len(sheet_rows.header)
        # Codes and statuses repeat on every row: each distinct text is read once. (Only
        # text: 1, 1.0 and True are one key to a dict, and are not one value to a column.)
        memos: dict[int, dict[Any, Any]] = {}
        readers = [
            (i, column, positions[column.name], memos.setdefault(i, {}) if column.repeats else None)
            for i, column in enumerate(sheet.columns)
            if column.name in positions
        ]
        key_indexes = [sheet.index(column) for column in sheet.key]
        # An optional key column (indicatoren's meetmoment) may be absent or empty.
        needed = [i for i in key_indexes if sheet.columns[i].required]
        keyed = all(present[i] for i in needed)
        first_rows, rows = sheet_input.first_rows, sheet_input.rows
        for number, cells in sheet_rows.rows:
            values: list[Any] = [None] * len(sheet.columns)
            ok = True
            length = len(cells)
            for i, column, position, memo in readers:
                raw = cells[position] if position < length else None
                if raw is None:
                    if column.required:
                        self.error(sheet.name, number, column.name, _("verplicht"))
                        ok = False
                    else:
                        values[i] = column.empty
                    continue
                if memo is not None and raw.__class__ is str:
                    if raw not in memo:
                        try:
                            memo[raw] = column.parse(raw)
                        except ValueError as error:
                            self.error(sheet.name, number, column.name, str(error))
                            ok = False
                            continue
                    values[i] = memo[raw]
                    continue
                try:
                    values[i] = column.parse(raw)
                except ValueError as error:
                    self.error(sheet.name, number, column.name, str(error))
                    ok = False
            if nameless or length > width:
                ok = self._nameless(sheet, number, cells, [*nameless, *range(width, length)]) and ok
            if not keyed:
                continue
            key = tuple([values[i] for i in key_indexes])
            if any(values[i] is None for i in needed):
                continue
            if key in first_rows:
                self.error(
                    sheet.name,
                    number,
                    sheet.key[-1],
                    _("dubbel: %(key)s staat ook op rij %(row)s")
                    % {"key": " / ".join(map(str, key)), "row": first_rows[key]},
                )
                continue
            first_rows[key] = number
            if ok:
                rows[key] = Row(number, tuple(values))

    def _nameless(
        self, sheet: Sheet, number: int, cells: tuple[Any, ...], positions: list[int]
    ) -> bool:
        ok = True
        for position in positions:
            if position < len(cells) and cells[position] is not None:
                self.error(
                    sheet.name,
                    number,
                    SheetRows.column_letter(position),
                    _("waarde in een kolom zonder naam"),
                )
                ok = False
        return ok

    # -- what the database holds ---------------------------------------------------------

    def round_codes_in(self, sheet: str) -> set[str]:
        sheet_input = self.inputs.get(sheet)
        return {key[0] for key in sheet_input.keys} if sheet_input else set()

    def load(self, table: Table) -> dict[tuple[Any, ...], Old]:
        if table.name not in self.existing:
            width = len(table.paths)
            key_indexes = [table.sheet.index(column) for column in table.sheet.key]
            records = {}
            rows = table.queryset(self).values_list(*table.paths, *table.extra_paths, "pk")
            for row in rows.iterator(chunk_size=BATCH):
                values = table.sheet.record._make(
                    normalise_text(value) if isinstance(value, str) else value
                    for value in row[:width]
                )
                key = tuple(values[i] for i in key_indexes)
                records[key] = Old(row[-1], values, row[width:-1])
            self.existing[table.name] = records
        return self.existing[table.name]

    def known(self, name: str) -> set[tuple[Any, ...]]:
        """The keys of a sheet that the database or the file holds."""
        if name not in self._known and name in LOOKUPS:
            lookup = LOOKUPS[name]
            stored = set(lookup.model._default_manager.values_list(*lookup.key_paths))
            self._known[name] = stored | lookup.file_keys(self)
        if name not in self._known:
            table = TABLES_BY_NAME[name]
            if name in self.existing and not table.round_column:
                stored = set(self.existing[name])
            else:
                stored = set(table.model._default_manager.values_list(*table.key_paths))
            sheet_input = self.inputs.get(name)
            self._known[name] = stored | (set(sheet_input.keys) if sheet_input else set())
        return self._known[name]

    def ids(self, name: str) -> dict[tuple[Any, ...], int]:
        """Key → primary key, as the database holds it now (during the write)."""
        if name not in self._ids:
            source = LOOKUPS.get(name) or TABLES_BY_NAME[name]
            rows = source.model._default_manager.values_list(*source.key_paths, "pk")
            self._ids[name] = {row[:-1]: row[-1] for row in rows.iterator(chunk_size=BATCH)}
        return self._ids[name]

    def milestone_deadlines(self, milestones: set[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
        """(project, number) → the deadline the milestone will have."""
        projects = {project for project, _number in milestones}
        stored = Milestone.objects.filter(project__code__in=projects).values_list(
            "project__code", "number", "deadline"
        )
        deadlines = {(p, n): d for p, n, d in stored.iterator(chunk_size=BATCH)}
        sheet_input = self.inputs.get("mijlpalen")
        if sheet_input and sheet_input.present[sheet_input.sheet.index("deadline")]:
            for key, row in sheet_input.rows.items():
                if key in milestones:
                    deadlines[key] = sheet_input.sheet.record._make(row.values).deadline
        return deadlines

    def fiche_ids(self, round_codes: set[str]) -> dict[tuple[int, int], int]:
        rows = Fiche.objects.filter(round__code__in=round_codes).values_list(
            "round_id", "project_id", "pk"
        )
        return {(r, p): pk for r, p, pk in rows.iterator(chunk_size=BATCH)}

    # -- checking ------------------------------------------------------------------------

    def validate(self) -> None:
        rounds = self.load(TABLES_BY_NAME["meetmomenten"])
        self.closed_in_db = {
            key[0] for key, old in rounds.items() if old.values.status == RoundState.CLOSED
        }
        self._foresee()
        for table in TABLES:
            if table.name in self.inputs:
                self._validate_table(table)
        if "meetmomenten" in self.inputs:
            self._validate_rounds_together()

    def _foresee(self) -> None:
        """What the rounds and the projects' leaving will be once the file is in: the checks
        of one sheet need them from another (before that sheet's own checks)."""
        states = {}
        for key, old in self.existing["meetmomenten"].items():
            self.round_dates[key[0]] = old.values.referentiedatum
            states[key[0]] = old.values.status
        rounds = self.inputs.get("meetmomenten")
        if rounds:
            state_given = rounds.present[rounds.sheet.index("status")]
            for key, row in rounds.rows.items():
                record = rounds.sheet.record._make(row.values)
                self.round_dates[key[0]] = record.referentiedatum
                if state_given:
                    states[key[0]] = record.status
                else:
                    states.setdefault(key[0], RoundState.DRAFT)
        open_codes = [code for code, state in states.items() if state == RoundState.OPEN]
        self.open_round = open_codes[0] if len(open_codes) == 1 else None
        self.left_plan = dict(
            Project.objects.filter(left_plan_from__isnull=False).values_list(
                "code", "left_plan_from__code"
            )
        )
        projects = self.inputs.get("projecten")
        if projects and projects.present[projects.sheet.index("buiten_plan_vanaf")]:
            for key, row in projects.rows.items():
                leaves = projects.sheet.record._make(row.values).buiten_plan_vanaf
                if leaves is None:
                    self.left_plan.pop(key[0], None)
                else:
                    self.left_plan[key[0]] = leaves

    def _validate_table(self, table: Table) -> None:
        sheet, sheet_input = table.sheet, self.inputs[table.name]
        existing = self.load(table)
        plan = self.plans[table.name] = Plan()
        report = self.reports[table.name] = SheetReport(table.name)
        present = [i for i, here in enumerate(sheet_input.present) if here]
        defaults = sheet.record._make(column.empty for column in sheet.columns)
        refs = [
            (ref, [sheet.index(column) for column in ref.columns], self.known(ref.table))
            for ref in table.refs
        ]
        round_index = sheet.index(table.round_column) if table.round_column else None
        table.prepare(self, sheet_input, existing)
        seen: dict[tuple[Any, ...], int] = {}
        for raw_key, row in sheet_input.rows.items():
            key = table.resolve_key(self, raw_key)
            if key != raw_key:
                if key in sheet_input.first_rows or key in seen:
                    other = sheet_input.first_rows.get(key) or seen[key]
                    self.error(
                        table.name,
                        row.number,
                        sheet.key[0],
                        _("dubbel: %(key)s staat ook op rij %(row)s")
                        % {"key": " / ".join(map(str, key)), "row": other},
                    )
                    continue
                seen[key] = row.number
            old = existing.get(key)
            base = old.values if old else defaults
            merged = sheet.record._make(
                row.values
                if len(present) == len(base)
                else (
                    row.values[i] if sheet_input.present[i] else base[i] for i in range(len(base))
                )
            )
            problems: list[tuple[str, str]] = []
            merged = table.normalise(self, key, merged, old, sheet_input.present, problems)
            for ref, indexes, known in refs:
                target = tuple(merged[i] for i in indexes)
                # An empty optional reference (a project in the plan) names nothing.
                if None not in target and target not in known:
                    value = " / ".join(map(str, target))
                    problems.append((ref.columns[-1], str(ref.message) % {"value": value}))
            problems += table.check(self, merged, old)
            # Columns the file leaves out keep what is stored; a table may still have
            # derived a change from another column (a flag word in a status).
            changed = [i for i in range(len(merged)) if old and merged[i] != old.values[i]]
            if (
                round_index is not None
                and merged[round_index] in self.closed_in_db
                and (old is None or changed)
            ):
                problems.append(
                    (
                        sheet.columns[round_index].name,
                        _("meetmoment %(round)s is gesloten: zijn gegevens wijzigen niet meer")
                        % {"round": merged[round_index]},
                    )
                )
            if problems:
                for column, message in problems:
                    self.error(table.name, row.number, column, message)
                continue
            label = " / ".join("" if part is None else str(part) for part in key)
            if old is None:
                plan.creates.append(merged)
                report.created += 1
                if len(report.new_rows) < PREVIEW_ROWS:
                    cells = tuple(
                        CellChange(sheet.columns[i].name, "", self._shown(sheet, i, merged[i]))
                        for i in range(len(merged))
                        if merged[i] not in (None, "")
                        and (sheet_input.present[i] or merged[i] != defaults[i])
                    )
                    report.new_rows.append(RowChange(row.number, label, cells))
            elif changed:
                plan.updates.append((merged, old))
                report.updated += 1
                if len(report.changed_rows) < PREVIEW_ROWS:
                    cells = tuple(
                        CellChange(
                            sheet.columns[i].name,
                            self._shown(sheet, i, old.values[i]),
                            self._shown(sheet, i, merged[i]),
                        )
                        for i in changed
                    )
                    report.changed_rows.append(RowChange(row.number, label, cells))
            else:
                report.unchanged += 1

    @staticmethod
    def _shown(sheet: Sheet, index: int, value: Any) -> str:
        return shown(sheet.columns[index].cell(value))

    def _validate_rounds_together(self) -> None:
        """At most one round open, one round per reference date, once all rows are in."""
        table = TABLES_BY_NAME["meetmomenten"]
        sheet, plan = table.sheet, self.plans["meetmomenten"]
        rows = self.inputs["meetmomenten"].rows
        final = {
            key[0]: (old.values.status, old.values.referentiedatum)
            for key, old in self.existing["meetmomenten"].items()
        }
        before = dict(final)
        merged: Any
        for merged in [*plan.creates, *(m for m, _old in plan.updates)]:
            final[merged.code] = (merged.status, merged.referentiedatum)
        for code, (now, _date) in final.items():
            was = before.get(code, (None, None))[0]
            if now == RoundState.CLOSED and was != RoundState.CLOSED:
                self.closing.add(code)
            if now == RoundState.OPEN and was != RoundState.OPEN:
                self.opening.add(code)
        open_codes = sorted(code for code, (now, _date) in final.items() if now == RoundState.OPEN)
        if len(open_codes) > 1:
            for code in open_codes:
                if (code,) in rows and code in self.opening:
                    others = ", ".join(c for c in open_codes if c != code)
                    self.error(
                        sheet.name,
                        rows[(code,)].number,
                        "status",
                        _("er kan maar één meetmoment open zijn; ook open: %(others)s")
                        % {"others": others},
                    )
        by_date: dict[dt.date, list[str]] = {}
        for code, (_now, reference_date) in final.items():
            by_date.setdefault(reference_date, []).append(code)
        for codes in by_date.values():
            for code in codes if len(codes) > 1 else ():
                if (code,) in rows:
                    others = ", ".join(c for c in codes if c != code)
                    self.error(
                        sheet.name,
                        rows[(code,)].number,
                        "referentiedatum",
                        _("meetmoment %(others)s heeft dezelfde referentiedatum")
                        % {"others": others},
                    )

    # -- writing -------------------------------------------------------------------------

    def bulk_create(self, model: type[models.Model], objects: Iterable[models.Model]) -> None:
        created = False
        for batch in _batches(objects):
            model._default_manager.bulk_create(batch)
            created = True
        if created:
            names = [t.name for t in TABLES if t.model is model]
            names += [name for name, lookup in LOOKUPS.items() if lookup.model is model]
            for name in names:
                self._ids.pop(name, None)

    def bulk_update(
        self, model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
    ) -> None:
        """Update these fields; a model with a history gets its historical records, with
        the importing user, as a change through a form would."""
        tracked = hasattr(model, "history")
        for batch in _batches(objects, BATCH // 4):
            if not tracked:
                model._default_manager.bulk_update(batch, fields)
                continue
            # The historical record copies the whole row: start from the stored one.
            stored = model._default_manager.in_bulk([obj.pk for obj in batch])
            for obj in batch:
                for name in fields:
                    setattr(stored[obj.pk], name, getattr(obj, name))
            bulk_update_with_history(
                list(stored.values()),
                model,
                fields,
                default_user=self.user,
                default_change_reason=CHANGE_REASON,
            )

    def write(self) -> None:
        for table in TABLES:
            plan = self.plans.get(table.name)
            if plan and (plan.creates or plan.updates):
                table.write(self, plan.creates, plan.updates)
        for step in self.after_write:
            step()
        reason = _("Gesloten bij het importeren van een werkboek.")
        closing = list(
            ReportingRound.objects.filter(code__in=self.closing).order_by("reference_date")
        )
        freeze_budgets(round_ids=[r.pk for r in closing])
        for reporting_round in closing:
            reporting_round.close(by=self.user, reason=reason)
        for reporting_round in ReportingRound.objects.filter(code__in=self.opening):
            reporting_round.state = RoundState.OPEN
            reporting_round.save(update_fields=["state"])

    def result(self, *, written: bool, timings: dict[str, float]) -> ImportResult:
        # In the order of the workbook's sheets and rows (unknown sheets first).
        order = {name: index for index, name in enumerate(SHEETS_BY_NAME)}
        self.errors.sort(key=lambda error: (order.get(error.sheet or "", -1), error.row or 0))
        return ImportResult(
            timings=timings,
            sheets=[self.reports[t.name] for t in TABLES if t.name in self.reports],
            errors=self.errors,
            written=written,
            closed_rounds=sorted(self.closing),
            opened_rounds=sorted(self.opening),
        )


class _Refused(Exception):
    """Rolls the transaction back when the rows turn out wrong after all."""


def import_workbook(
    source: IO[bytes],
    *,
    user: User | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
    filename: str = "",
) -> ImportResult:
    """Import a plan workbook: every row checked first, then all written in one transaction,
    or nothing at all. With ``dry_run`` nothing is written: the result is the preview.

    ``filename`` names the file in the review history of the fiches whose flag it changes.

    Never raises for a bad file: every problem is in ``result.errors``.
    """
    job = Job(user=user, filename=filename)
    clock = _Clock()
    try:
        with open_workbook(source, limits) as sheets:
            job.read(sheets)
    except WorkbookRefused as refused:
        return ImportResult(errors=[WorkbookError(None, None, None, str(refused))])
    clock.lap("read")
    if dry_run:
        job.validate()
        clock.lap("check")
        return job.result(written=False, timings=clock.laps)
    try:
        with transaction.atomic():
            # Nobody closes or opens a round while the rows are checked and written.
            list(ReportingRound.objects.select_for_update().values_list("pk"))
            job.validate()
            clock.lap("check")
            if job.errors:
                raise _Refused
            job.write()
    except _Refused:
        return job.result(written=False, timings=clock.laps)
    except DatabaseError:
        logger.exception("The workbook import was refused by the database.")
        job.errors.append(
            WorkbookError(
                None,
                None,
                None,
                _(
                    "De databank weigerde de wijzigingen (werd er intussen iets gewijzigd, "
                    "zoals een meetmoment gesloten?). Er is niets geïmporteerd."
                ),
            )
        )
        return job.result(written=False, timings=clock.laps)
    clock.lap("write")
    result = job.result(written=True, timings=clock.laps)
    logger.info(
        "Workbook imported: %s created, %s updated (%s).",
        result.created,
        result.updated,
        ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.timings.items()),
    )
    return result


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
