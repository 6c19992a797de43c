"""The quality rules on the fiches a workbook would produce, for its preview: warnings beside
the errors (they import all the same).

Each fiche the file holds (a right row of ``rapportering``, or of ``mijlpaalstatus`` for a
fiche that is stored) becomes a ``FicheView`` as it will be once the file is in: the file's
cells over what is stored, its milestones with their statuses in that round, and as
``previous`` the project's fiche in the closed round before, from the file where it has it,
else as stored. Then the one registry (``relance.fiches.checks``) runs on it; the quality
rules' findings are the warnings. Five queries, however large the file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, Project
from relance.fiches.checks import run_checks
from relance.fiches.early_warnings import is_suggestion
from relance.fiches.snapshots import FicheView, MilestoneView
from relance.quality.report import QUALITY_RULES, described

from ..results import WorkbookError
from ..tables import BY_NAME as TABLES_BY_NAME
from .job import Job

FICHES, STATUSES = "rapportering", "mijlpaalstatus"
# A finding's field → the column of the sheet it is about.
FICHE_COLUMNS = {
    "owner_status": "status",
    "committed_eur": "vastgelegd_eur",
    "paid_eur": "vereffend_eur",
    "narrative": "toelichting",
    "budget_eur": "budget_eur",
}
STATUS_COLUMNS = {
    "status": "status",
    "realised_on": "realisatiedatum",
    "forecast_date": "verwachte_datum",
    "delay_reason": "reden_vertraging",
}


def workbook_findings(job: Job) -> list[WorkbookError]:
    """The quality rules' findings on the file's fiches, as ``sheet!row: column: message``
    (the row of the fiche, or of the milestone's status, where the file has it)."""
    fiches, fiche_rows = _right_rows(job, FICHES)
    statuses, status_rows = _right_rows(job, STATUSES)
    if not fiches and not statuses:
        return []
    closed = job.closed_in_db | job.closing
    dates = job.round_dates

    def previous(code: str) -> str | None:
        earlier = [c for c in closed if c in dates and dates[c] < dates[code]]
        return max(earlier, key=dates.__getitem__, default=None)

    wanted = set(fiches) | {(r, p) for r, p, _number in statuses}
    rounds = {r for r, _p in wanted} | {r for r in map(previous, {r for r, _ in wanted}) if r}
    stored = _Stored(job, rounds, {p for _r, p in wanted})

    def view(key: tuple[str, str], *, with_previous: bool) -> FicheView | None:
        round_code, project = key
        record, fiche = fiches.get(key), stored.fiches.get(key)
        if round_code not in dates or (record is None and fiche is None):
            return None
        finance: FinanceReport | None = getattr(fiche, "finance", None) if fiche else None
        if record is not None:
            owner, flag = record.status, record.markering
            values = (record.vastgelegd_eur, record.vereffend_eur, record.budget_eur)
            narrative = record.toelichting or ""
        else:
            assert fiche is not None
            owner, flag, narrative = fiche.owner_status, None, fiche.narrative
            values = (
                (finance.committed_eur, finance.paid_eur, finance.budget_eur)
                if finance
                else (None, None, None)
            )
        before = previous(round_code) if with_previous else None
        return FicheView(
            project=project,
            reference_date=dates[round_code],
            status=flag or (fiche.status if fiche and record is None else owner),
            owner_status=owner,
            narrative=narrative,
            committed_eur=values[0],
            paid_eur=values[1],
            budget_eur=values[2] if values[2] is not None else stored.budgets.get(project),
            milestones=tuple(
                _milestone(
                    milestone,
                    statuses.get((round_code, project, milestone[0]))
                    or stored.statuses.get((round_code, project, milestone[0])),
                )
                for milestone in stored.milestones.get(project, [])
            ),
            previous=view((before, project), with_previous=False) if before else None,
        )

    warnings = []
    for key in sorted(wanted):
        fiche_view = view(key, with_previous=True)
        if fiche_view is None:
            continue
        for finding in run_checks(fiche_view):
            # The early warnings' suggestions are the coordinators' advice on flags, in the
            # review queue and the quality check, not a file's plausibility.
            if finding.rule not in QUALITY_RULES or is_suggestion(finding):
                continue
            message = described(finding, key[1], fiche_view)
            status_row = status_rows.get((*key, finding.milestone))
            if finding.milestone is not None and status_row is not None:
                column = STATUS_COLUMNS.get(finding.field or "", "status")
                warnings.append(WorkbookError(STATUSES, status_row, column, message))
            elif key in fiche_rows:
                column = FICHE_COLUMNS.get(finding.field or "", "status")
                warnings.append(WorkbookError(FICHES, fiche_rows[key], column, message))
            else:
                warnings.append(WorkbookError(None, None, None, message))
    return warnings


def _right_rows(job: Job, name: str) -> tuple[dict[Any, Any], dict[Any, int]]:
    """The sheet's rows without an error, as they will be (by key), and their row numbers."""
    sheet_input, plan = job.inputs.get(name), job.plans.get(name)
    if sheet_input is None or plan is None:
        return {}, {}
    table = TABLES_BY_NAME[name]
    wrong = {error.row for error in job.errors if error.sheet == name}
    merged = {_key(table, record): record for record in plan.creates}
    merged.update((_key(table, record), record) for record, _old in plan.updates)
    existing = job.existing.get(name, {})
    records, rows = {}, {}
    for raw_key, row in sheet_input.rows.items():
        if row.number in wrong:
            continue
        key = table.resolve_key(job, raw_key)
        record = merged.get(key) or (existing[key].values if key in existing else None)
        if record is not None:
            records[key] = record
            rows[key] = row.number
    return records, rows


def _key(table: Any, record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, column) for column in table.sheet.key)


def _milestone(milestone: tuple[int, str, dt.date, int], entry: Any) -> MilestoneView:
    number, description, deadline, pk = milestone
    if entry is None:
        return MilestoneView(pk, number, description, deadline)
    return MilestoneView(
        pk,
        number,
        description,
        deadline,
        status=entry.status or "",
        realised_on=entry.realisatiedatum,
        forecast_date=entry.verwachte_datum,
        delay_reason=entry.reden_vertraging or "",
    )


class _Stored:
    """What the database holds of these rounds' fiches and these projects, with the file's
    own milestones and budgets over it: five queries."""

    def __init__(self, job: Job, rounds: set[str], projects: set[str]) -> None:
        # By round only: a file of a whole round names every project, more than a query may
        # list (SQLite's limit on parameters); the rounds are a handful.
        self.fiches = {
            (fiche.round.code, fiche.project.code): fiche
            for fiche in Fiche.objects.filter(round__code__in=rounds).select_related(
                "round", "project", "finance"
            )
            if fiche.project.code in projects
        }
        self.statuses = {
            (r, p, n): _Entry(status, realised, forecast, reason)
            for r, p, n, status, realised, forecast, reason in MilestoneStatus.objects.filter(
                round__code__in=rounds
            ).values_list(
                "round__code",
                "milestone__project__code",
                "milestone__number",
                "status",
                "realised_on",
                "forecast_date",
                "delay_reason",
            )
            if p in projects
        }
        milestones: dict[tuple[str, int], tuple[int, str, dt.date, int]] = {
            (p, n): (n, description, deadline, pk)
            for p, n, description, deadline, pk in Milestone.objects.values_list(
                "project__code", "number", "description", "deadline", "pk"
            ).iterator(chunk_size=2000)
            if p in projects
        }
        file_milestones, _rows = _right_rows(job, "mijlpalen")
        for (project, number), record in file_milestones.items():
            if project in projects:
                pk = milestones.get((project, number), (0, "", dt.date.min, -number))[3]
                milestones[(project, number)] = (number, record.omschrijving, record.deadline, pk)
        self.milestones: dict[str, list[tuple[int, str, dt.date, int]]] = {}
        for (project, _number), milestone in sorted(milestones.items()):
            self.milestones.setdefault(project, []).append(milestone)
        self.budgets: dict[str, Decimal | None] = {
            code: budget
            for code, budget in Project.objects.values_list("code", "budget_eur")
            if code in projects
        }
        file_projects, _rows = _right_rows(job, "projecten")
        for (code,), record in file_projects.items():
            if code in projects:
                self.budgets[code] = record.budget_eur


class _Entry:
    """A stored milestone status, read as the sheet's record is."""

    __slots__ = ("realisatiedatum", "reden_vertraging", "status", "verwachte_datum")

    def __init__(self, *values: Any) -> None:
        self.status, self.realisatiedatum, self.verwachte_datum, self.reden_vertraging = values
