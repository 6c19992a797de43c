"""One import's state: what it read, what the database holds, what it will write, and
the writing itself (in bulk, with history). It implements what a table sees of it
(``tables.Context``); reading and checking are ``reading.py`` and ``checking.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from finance.services import freeze_budgets
from milestones.models import Milestone
from projects.analyze import analyze_after_commit
from projects.models import Fiche, ReportingRound, User
from projects.models.rounds import RoundState
from relance.audit.channels import REASONS, Channel

from ..parsing import normalise_text
from ..results import ImportResult, SheetReport, WorkbookError
from ..rows import Old, SheetInput
from ..sheets import BY_NAME as SHEETS_BY_NAME
from ..tables import BY_NAME as TABLES_BY_NAME
from ..tables import LOOKUPS, TABLES, Table

BATCH = 2000
# The reason an update by the import gives in the history of a fiche, its money, a milestone
# status or an indicator value. (Records the import creates have no history of their own
# yet, like those that opening a round or the demo plan create in bulk.)
CHANGE_REASON = REASONS[Channel.IMPORT]


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
        # The rows written, by model (for the statistics: projects/analyze.py).
        self.written: dict[type[models.Model], int] = {}

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(WorkbookError(sheet, row, column, message))

    # -- what the database holds ---------------------------------------------------------

    def round_codes_in(self, sheet: str) -> set[str]:
        sheet_input = self.inputs.get(sheet)
        if not sheet_input or not sheet_input.sheet.round_column:
            return set()
        at = sheet_input.sheet.key.index(sheet_input.sheet.round_column)
        return {key[at] for key in sheet_input.keys}

    def load(self, table: Table) -> dict[tuple[Any, ...], Old]:
        if table.name not in self.existing:
            sheet = table.sheet
            paths = sheet.paths
            width = len(paths)
            key_indexes = [sheet.index(column) for column in sheet.key]
            make, extra = sheet.record._make, table.extra_record()._make
            records = {}
            rows = table.queryset(self).values_list(*paths, *table.extra_paths, "pk")
            for row in rows.iterator(chunk_size=BATCH):
                values = make(
                    normalise_text(value) if isinstance(value, str) else value
                    for value in row[:width]
                )
                key = tuple(values[i] for i in key_indexes)
                records[key] = Old(row[-1], values, extra(row[width:-1]))
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
            if name in self.existing and not table.sheet.round_column:
                stored = set(self.existing[name])
            else:
                stored = set(table.model._default_manager.values_list(*table.sheet.key_paths))
            sheet_input = self.inputs.get(name)
            self._known[name] = stored | (set(sheet_input.keys) if sheet_input else set())
        return self._known[name]

    def ids(self, name: str) -> dict[tuple[Any, ...], int]:
        """Key → primary key, as the database holds it now (during the write)."""
        if name not in self._ids:
            lookup = LOOKUPS.get(name)
            model = lookup.model if lookup else TABLES_BY_NAME[name].model
            key_paths = lookup.key_paths if lookup else TABLES_BY_NAME[name].sheet.key_paths
            rows = model._default_manager.values_list(*key_paths, "pk")
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
        if sheet_input and sheet_input.given("deadline"):
            for key, record in sheet_input.records():
                if key in milestones:
                    deadlines[key] = record.deadline
        return deadlines

    def fiche_ids(self, round_codes: set[str]) -> dict[tuple[int, int], int]:
        rows = Fiche.objects.filter(round__code__in=round_codes).values_list(
            "round_id", "project_id", "pk"
        )
        return {(r, p): pk for r, p, pk in rows.iterator(chunk_size=BATCH)}

    # -- writing -------------------------------------------------------------------------

    def bulk_create(self, model: type[models.Model], objects: Iterable[models.Model]) -> None:
        created = False
        for batch in _batches(objects):
            model._default_manager.bulk_create(batch)
            self.written[model] = self.written.get(model, 0) + len(batch)
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
            self.written[model] = self.written.get(model, 0) + len(batch)
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
            history = model.history.model  # type: ignore[attr-defined]
            self.written[history] = self.written.get(history, 0) + len(batch)

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
        # A large import leaves PostgreSQL's statistics stale: refreshed once committed.
        analyze_after_commit(self.written, rows=sum(self.written.values()))

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
