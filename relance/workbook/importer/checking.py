"""Checking the rows read: each merged over what is stored, checked on its own, against
the other sheets and across the rounds, and planned as a create or an update (the
preview shows the first of them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from projects.models import Project
from projects.models.rounds import RoundState

from ..results import CellChange, RowChange, SheetReport, shown
from ..schema import Sheet
from ..tables import BY_NAME as TABLES_BY_NAME
from ..tables import TABLES, Table
from .job import Job, Plan

# The preview shows this many created and this many changed rows per sheet (counts are
# always complete).
PREVIEW_ROWS = 200


def validate(job: Job) -> None:
    rounds = job.load(TABLES_BY_NAME["meetmomenten"])
    job.closed_in_db = {
        old.values.code for old in rounds.values() if old.values.status == RoundState.CLOSED
    }
    _foresee(job)
    for table in TABLES:
        if table.name in job.inputs:
            _validate_table(job, table)
    if "meetmomenten" in job.inputs:
        _validate_rounds_together(job)


def _foresee(job: Job) -> None:
    """What the rounds and the projects' leaving will be once the file is in: the checks
    of one sheet need them from another (before that sheet's own checks)."""
    states = {}
    for old in job.existing["meetmomenten"].values():
        job.round_dates[old.values.code] = old.values.referentiedatum
        states[old.values.code] = old.values.status
    rounds = job.inputs.get("meetmomenten")
    if rounds:
        state_given = rounds.given("status")
        for _key, record in rounds.records():
            job.round_dates[record.code] = record.referentiedatum
            if state_given:
                states[record.code] = record.status
            else:
                states.setdefault(record.code, RoundState.DRAFT)
    open_codes = [code for code, state in states.items() if state == RoundState.OPEN]
    job.open_round = open_codes[0] if len(open_codes) == 1 else None
    job.left_plan = dict(
        Project.objects.filter(left_plan_from__isnull=False).values_list(
            "code", "left_plan_from__code"
        )
    )
    projects = job.inputs.get("projecten")
    if projects and projects.given("buiten_plan_vanaf"):
        for _key, record in projects.records():
            if record.buiten_plan_vanaf is None:
                job.left_plan.pop(record.code, None)
            else:
                job.left_plan[record.code] = record.buiten_plan_vanaf


def _validate_table(job: Job, table: Table) -> None:
    sheet, sheet_input = table.sheet, job.inputs[table.name]
    existing = job.load(table)
    plan = job.plans[table.name] = Plan()
    report = job.reports[table.name] = SheetReport(table.name)
    present = [i for i, here in enumerate(sheet_input.present) if here]
    make = sheet.record._make
    defaults = make(column.empty for column in sheet.columns)
    refs = [
        (ref, [sheet.index(column) for column in ref.columns], job.known(ref.table))
        for ref in sheet.refs
    ]
    round_index = sheet.index(sheet.round_column) if sheet.round_column else None
    kept = [(column.name, i) for i, column in enumerate(sheet.columns) if column.kept]
    table.prepare(job, sheet_input, existing)
    seen: dict[tuple[Any, ...], int] = {}
    for raw_key, row in sheet_input.rows.items():
        key = table.resolve_key(job, raw_key)
        if key != raw_key:
            if key in sheet_input.first_rows or key in seen:
                other = sheet_input.first_rows.get(key) or seen[key]
                job.error(
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
        merged = make(
            row.values
            if len(present) == len(base)
            else (row.values[i] if sheet_input.present[i] else base[i] for i in range(len(base)))
        )
        if kept and old is not None:
            # An empty cell of a column the application fills keeps what is stored.
            stored = {name: old.values[i] for name, i in kept if merged[i] is None}
            merged = merged._replace(**stored) if stored else merged
        problems: list[tuple[str, str]] = []
        merged = table.normalise(job, key, merged, old, problems)
        for ref, indexes, known in refs:
            target = tuple(merged[i] for i in indexes)
            # An empty optional reference (a project in the plan) names nothing.
            if None not in target and target not in known:
                value = " / ".join(map(str, target))
                problems.append((ref.columns[-1], str(ref.message) % {"value": value}))
        problems += table.check(job, merged, old)
        # Columns the file leaves out keep what is stored; a table may still have
        # derived a change from another column (a flag word in a status).
        changed = [i for i in range(len(merged)) if old and merged[i] != old.values[i]]
        if (
            round_index is not None
            and merged[round_index] in job.closed_in_db
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
                job.error(table.name, row.number, column, message)
            continue
        label = " / ".join("" if part is None else str(part) for part in key)
        if old is None:
            plan.creates.append(merged)
            report.created += 1
            if len(report.new_rows) < PREVIEW_ROWS:
                cells = tuple(
                    CellChange(sheet.columns[i].name, "", _shown(sheet, i, merged[i]))
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
                        _shown(sheet, i, old.values[i]),
                        _shown(sheet, i, merged[i]),
                    )
                    for i in changed
                )
                report.changed_rows.append(RowChange(row.number, label, cells))
        else:
            report.unchanged += 1


def _shown(sheet: Sheet, index: int, value: Any) -> str:
    return shown(sheet.columns[index].cell(value))


def _validate_rounds_together(job: Job) -> None:
    """At most one round open, one round per reference date, once all rows are in."""
    table = TABLES_BY_NAME["meetmomenten"]
    sheet, plan = table.sheet, job.plans["meetmomenten"]
    rows = job.inputs["meetmomenten"].rows
    final = {
        old.values.code: (old.values.status, old.values.referentiedatum)
        for old in job.existing["meetmomenten"].values()
    }
    before = dict(final)
    merged: Any
    for merged in [*plan.creates, *(m for m, _old in plan.updates)]:
        final[merged.code] = (merged.status, merged.referentiedatum)
    for code, (now, _date) in final.items():
        was = before.get(code, (None, None))[0]
        if now == RoundState.CLOSED and was != RoundState.CLOSED:
            job.closing.add(code)
        if now == RoundState.OPEN and was != RoundState.OPEN:
            job.opening.add(code)
    open_codes = sorted(code for code, (now, _date) in final.items() if now == RoundState.OPEN)
    if len(open_codes) > 1:
        for code in open_codes:
            if (code,) in rows and code in job.opening:
                others = ", ".join(c for c in open_codes if c != code)
                job.error(
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
                job.error(
                    sheet.name,
                    rows[(code,)].number,
                    "referentiedatum",
                    _("meetmoment %(others)s heeft dezelfde referentiedatum") % {"others": others},
                )
