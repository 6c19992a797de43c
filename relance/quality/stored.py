"""A round's quality findings kept in the database (``StoredFinding``), for the page
``/quality/<code>/``: it filters, counts and pages them in SQL instead of running every
rule on every fiche on each request (80 seconds at a hundred plans' size).

What they were computed from is the scan's ``key``: a closed round's is its chain (the
round and the closed round before it, ``relance.summary.cache.closed_key``: a closed
round's data never change); an open or draft round's is the data version
(``relance.summary.version``: every committed change to the tables the rules read raises
it), the day (an open round's follow-up actions fall overdue by the day) and the
thresholds. Without a data version (in a transaction that has written) the findings are
computed here and stored under no key, for no one to take as current. The
coordinators' explanations are applied when the findings are read (``FindingNote``,
few): an explanation counts at once.

A scan whose key is not the current one is computed anew: in the request without a worker
(``RELANCE_TASKS_IN_PROCESS``), else on a worker, once at a time, while the page shows the
findings last computed and says when that was. A round that closes has its findings
computed on a worker at once (``queue_refresh``), as its documents are built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Field, Q, QuerySet
from django.utils import timezone, translation

from projects.models import FindingNote, NoteKind, Project, ReportingRound
from relance.fiches.notes import standing_notes
from relance.models import QualityScan, StoredFinding
from relance.summary.cache import closed_key
from relance.summary.version import data_version

from .report import QUALITY_RULES, QualityFinding, raw_findings

logger = logging.getLogger(__name__)

TASK = "relance.tasks.refresh_quality"
BATCH = 2000


# The key of findings computed without a data version: never the current one.
UNKEPT = ""


def scan_key(reporting_round: ReportingRound) -> str | None:
    """What the round's findings are computed from, as a key (see the module); None when
    there is none (no data version): what is computed then is kept for no one."""
    thresholds = repr(
        (sorted(settings.RELANCE_QUALITY.items()), sorted(settings.RELANCE_EARLY_WARNING.items()))
    )
    digest = hashlib.sha256(thresholds.encode()).hexdigest()[:16]
    if reporting_round.is_closed:
        previous = reporting_round.previous()
        chain = [reporting_round, *([previous] if previous else [])]
        key = closed_key("quality", chain, digest)
        if key is not None:
            return key
    version = data_version()
    if version is None:
        return None
    return f"{reporting_round.state}:{timezone.localdate()}:{version}:{digest}"


def refresh(reporting_round: ReportingRound, language: str) -> QualityScan:
    """Compute the round's findings and store them, in place of the ones before."""
    # The key before the data: what is stored is never older than its key.
    return _refresh(reporting_round, language, scan_key(reporting_round))


def _refresh(reporting_round: ReportingRound, language: str, key: str | None) -> QualityScan:
    with translation.override(language):
        findings = raw_findings(reporting_round)
    with transaction.atomic():
        scan, _created = QualityScan.objects.get_or_create(round=reporting_round, language=language)
        scan = QualityScan.objects.select_for_update().get(pk=scan.pk)
        StoredFinding.objects.filter(scan=scan).delete()
        _store(scan, findings)
        tally = Counter((f.rule, f.project.domain_id, f.severity) for f in findings)
        scan.key = key if key is not None else UNKEPT
        scan.computed_at = timezone.now()
        scan.refreshing_since = None
        scan.tally = [[*group, count] for group, count in sorted(tally.items())]
        scan.save(update_fields=["key", "computed_at", "refreshing_since", "tally"])
    return scan


# The columns ``_store`` fills, in its rows' order.
COLUMNS = (
    "scan", "position", "rule", "severity", "project", "domain", "milestone", "message", "facts",
)  # fmt: skip


def _store(scan: QualityScan, findings: list[QualityFinding]) -> None:
    """Insert the scan's findings: on PostgreSQL with ``COPY … FROM STDIN`` (a hundred
    thousand rows at a hundred plans' size, without building a model instance for each),
    elsewhere with ``bulk_create``."""
    if connection.vendor != "postgresql":
        for start in range(0, len(findings), BATCH):
            StoredFinding.objects.bulk_create(
                StoredFinding(**dict(zip(_attnames(), row, strict=True)))
                for row in _rows(scan, findings[start : start + BATCH], start)
            )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields())
    table = quote(StoredFinding._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copying,
    ):
        for row in _rows(scan, findings, 0):
            copying.write_row([*row[:-1], json.dumps(row[-1])])


def _fields() -> list[Field[Any, Any]]:
    by_name = {field.name: field for field in StoredFinding._meta.concrete_fields}
    return [by_name[name] for name in COLUMNS]


def _attnames() -> list[str]:
    return [field.attname for field in _fields()]


def _rows(
    scan: QualityScan, findings: list[QualityFinding], start: int
) -> Iterator[tuple[object, ...]]:
    for offset, finding in enumerate(findings):
        yield (
            scan.pk,
            start + offset,
            finding.rule,
            finding.severity,
            finding.project.pk,
            finding.project.domain_id,
            finding.milestone,
            finding.message,
            list(finding.facts),
        )


def refresh_by_id(round_id: int, language: str) -> None:
    """The worker's half (``relance.tasks.refresh_quality``)."""
    reporting_round = ReportingRound.objects.filter(pk=round_id).first()
    if reporting_round is None:
        return
    try:
        refresh(reporting_round, language)
    except Exception:
        QualityScan.objects.filter(round_id=round_id, language=language).update(
            refreshing_since=None
        )
        raise


@dataclass(frozen=True)
class Current:
    """The scan to read (None: none computed yet), and whether it is the current data's."""

    scan: QualityScan | None
    fresh: bool


def current_scan(reporting_round: ReportingRound, language: str) -> Current:
    """The round's stored findings in ``language``: computed here when they are not the
    current data's and no worker runs; else the last ones, with a worker computing anew."""
    key = scan_key(reporting_round)
    scan = QualityScan.objects.filter(round=reporting_round, language=language).first()
    if key is not None and scan is not None and scan.key == key and scan.computed_at:
        return Current(scan, True)
    # Without a data version the caller's own writes are not yet a worker's to read.
    if settings.RELANCE_TASKS_IN_PROCESS or key is None:
        return Current(_refresh(reporting_round, language, key), True)
    if scan is None:
        scan, _created = QualityScan.objects.get_or_create(round=reporting_round, language=language)
    _ask_worker(scan)
    return Current(scan if scan.computed_at else None, False)


def queue_refresh(reporting_round: ReportingRound) -> None:
    """Have a worker compute the round's findings in every language, once the caller's
    transaction commits (a round that closes: its findings never change again). Without a
    worker nothing is computed ahead: the page's first reader computes them."""
    if settings.RELANCE_TASKS_IN_PROCESS:
        return
    for language, _name in settings.LANGUAGES:
        scan, _created = QualityScan.objects.get_or_create(round=reporting_round, language=language)
        _ask_worker(scan)


def _ask_worker(scan: QualityScan) -> None:
    """Send the scan's refresh to a worker, unless one has it already (and is not stuck)."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = (
        QualityScan.objects.filter(pk=scan.pk)
        .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=stale))
        .update(refreshing_since=now)
    )
    if claimed:
        args = [scan.round_id, scan.language]
        queue = settings.RELANCE_ARTEFACT_QUEUE
        transaction.on_commit(
            lambda: current_app.send_task(TASK, args=args, queue=queue), robust=True
        )


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """The page's filters: a rule, a domain (id), a severity, explained ("yes", "no") and
    part of a project's code; empty (None) for any."""

    rule: str = ""
    domain: int | None = None
    severity: str = ""
    explained: str = ""
    project: str = ""


@dataclass(frozen=True)
class Explained:
    """A stored finding an explanation holds for, with what the page filters and counts."""

    note: FindingNote
    rule: str
    domain_id: int
    severity: str
    project_code: str


@dataclass
class Reading:
    """The stored findings of a scan with the notes standing at the round: which hold."""

    scan: QualityScan
    rows: QuerySet[StoredFinding]
    explained: dict[int, Explained]  # by stored finding id

    @classmethod
    def of(cls, scan: QualityScan, reporting_round: ReportingRound) -> Reading:
        rows = StoredFinding.objects.filter(scan=scan)
        standing = {
            key: note
            for key, note in standing_notes(reporting_round).items()
            if note.kind == NoteKind.EXPLAINED and key[1] in QUALITY_RULES
        }
        held: dict[int, Explained] = {}
        if standing:
            candidates = rows.filter(
                project_id__in={project for project, _rule, _milestone in standing},
                rule__in={rule for _project, rule, _milestone in standing},
            ).values_list(
                "pk", "project_id", "rule", "milestone", "facts", "domain_id", "severity",
                "project__code",
            )  # fmt: skip
            for pk, project_id, rule, milestone, facts, domain, severity, code in candidates:
                note = standing.get((project_id, rule, milestone))
                if note is not None and note.covers(facts):
                    held[pk] = Explained(note, rule, domain, severity, code)
        return cls(scan, rows, held)

    @property
    def domain_ids(self) -> set[int]:
        return {domain for _rule, domain, _severity, _count in self.scan.tally}

    def filtered(self, wanted: Wanted, *, explained: bool = True) -> QuerySet[StoredFinding]:
        """The findings ``wanted`` (whether explained or not too, unless ``explained`` is
        False)."""
        rule, domain, severity, project = (
            wanted.rule,
            wanted.domain,
            wanted.severity,
            wanted.project,
        )
        shown = self.rows
        if rule:
            shown = shown.filter(rule=rule)
        if domain is not None:
            shown = shown.filter(domain_id=domain)
        if severity:
            shown = shown.filter(severity=severity)
        if project:
            shown = shown.filter(project__in=Project.objects.filter(code__icontains=project))
        if explained and wanted.explained == "yes":
            shown = shown.filter(pk__in=list(self.explained))
        elif explained and wanted.explained == "no" and self.explained:
            shown = shown.exclude(pk__in=list(self.explained))
        return shown

    def counts(self, wanted: Wanted) -> list[tuple[str, int, int, int]]:
        """(rule, domain id, findings, not explained) of the findings ``filtered`` gives:
        from the scan's tally and the explained ones, a query only to filter by project."""
        rule, domain, severity, project = (
            wanted.rule,
            wanted.domain,
            wanted.severity,
            wanted.project,
        )
        explained = wanted.explained
        if project:
            shown = self.filtered(wanted, explained=False)
            grouped = shown.values_list("rule", "domain_id").annotate(count=Count("pk"))
            tally = [(r, d, "", n) for r, d, n in grouped.order_by()]
        else:
            tally = [
                (r, d, s, n)
                for r, d, s, n in self.scan.tally
                if (not rule or r == rule)
                and (domain is None or d == domain)
                and (not severity or s == severity)
            ]
        found: Counter[tuple[str, int]] = Counter()
        for r, d, _s, n in tally:
            found[(r, d)] += n
        held: Counter[tuple[str, int]] = Counter(
            (e.rule, e.domain_id)
            for e in self.explained.values()
            if (not rule or e.rule == rule)
            and (domain is None or e.domain_id == domain)
            and (not severity or e.severity == severity)
            and (not project or project.upper() in e.project_code.upper())
        )
        if explained == "yes":
            return [(r, d, n, 0) for (r, d), n in held.items()]
        if explained == "no":
            counts = [(r, d, n - held[(r, d)], n - held[(r, d)]) for (r, d), n in found.items()]
        else:
            counts = [(r, d, n, n - held[(r, d)]) for (r, d), n in found.items()]
        return [row for row in counts if row[2]]

    def findings(self, shown: QuerySet[StoredFinding]) -> list[QualityFinding]:
        """``shown`` (sliced or not) as the report's findings, with their explanations."""
        return [
            QualityFinding(
                rule=row.rule,
                severity="error" if row.severity == "error" else "warning",
                project=row.project,
                milestone=row.milestone,
                message=row.message,
                facts=tuple(row.facts),
                note=held.note if (held := self.explained.get(row.pk)) else None,
            )
            for row in shown.select_related("project__domain")
        ]
