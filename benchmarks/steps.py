"""One measured step, in a process of its own so that its peak memory is its own.

    python -m benchmarks.steps STEP SCALE WORKBOOK

runs against the database of ``DATABASE_URL`` and prints one JSON line: the seconds, the
rows and the peak resident memory (MB) of the process.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable
from itertools import islice

BATCH = 2000


def _batches(objects: Iterable, size: int = BATCH) -> Iterable[list]:
    iterator = iter(objects)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_plan(scale: int, create: Callable[[type, Iterable], dict]) -> dict:
    """The plan's rows, already typed, written table by table with ``create(model,
    objects) -> {natural key: pk}``; timed from the first write to the last (the rows are
    made before the clock starts: the import's reading is on its clock)."""
    from django.db import transaction

    from finance.models import FinanceReport
    from milestones.models import Milestone, MilestoneStatus
    from projects.models import Cluster, Fiche, PolicyDomain, Project, ReportingRound, Speerpunt

    from .plan import MILESTONE_CODES, PROJECT_CODES, Plan

    plan = Plan(scale)
    domains, speerpunten = list(plan.domain_rows()), list(plan.speerpunt_rows())
    clusters, projects = list(plan.cluster_rows()), list(plan.project_rows())
    milestones, rounds = list(plan.milestone_rows()), list(plan.round_rows())
    fiches, statuses = list(plan.fiche_rows()), list(plan.milestone_status_rows())

    def tagged(obj, natural):  # the key a later table looks the row up by
        obj.natural = natural
        return obj

    start = time.perf_counter()
    with transaction.atomic():
        domain_ids = create(
            PolicyDomain, (tagged(PolicyDomain(code=c, name=n), c) for c, n in domains)
        )
        speerpunt_ids = create(
            Speerpunt, (tagged(Speerpunt(number=n, name=t), n) for n, t in speerpunten)
        )
        cluster_ids = create(
            Cluster,
            (
                tagged(Cluster(number=n, speerpunt_id=speerpunt_ids[s], name=t), n)
                for n, s, t in clusters
            ),
        )
        project_ids = create(
            Project,
            (
                tagged(
                    Project(
                        code=row[0], title=row[1], cluster_id=cluster_ids[row[2]],
                        domain_id=domain_ids[row[3]], entity=row[4], budget_eur=row[5],
                        is_rrf=row[6], rrf_measure=row[7], start_date=row[8], end_date=row[9],
                    ),
                    row[0],
                )
                for row in projects
            ),
        )  # fmt: skip
        milestone_ids = create(
            Milestone,
            (
                tagged(
                    Milestone(project_id=project_ids[p], number=n, description=d, deadline=day,
                              rrf_reference=r),
                    (p, n),
                )
                for p, n, d, day, r in milestones
            ),
        )  # fmt: skip
        round_ids = create(
            ReportingRound,
            (
                tagged(ReportingRound(code=c, name=n, reference_date=ref, deadline=dl), c)
                for c, n, ref, dl, _state in rounds
            ),
        )
        fiche_ids = create(
            Fiche,
            (
                tagged(
                    Fiche(round_id=round_ids[r], project_id=project_ids[p], status=PROJECT_CODES[s],
                          owner_status=PROJECT_CODES[s] if s != 3 else "in_progress", narrative=t),
                    (r, p),
                )
                for r, p, s, _c, _v, t in fiches
            ),
        )  # fmt: skip
        create(
            FinanceReport,
            (
                tagged(FinanceReport(fiche_id=fiche_ids[(r, p)], committed_eur=c, paid_eur=v), None)
                for r, p, _s, c, v, _t in fiches
            ),
        )
        create(
            MilestoneStatus,
            (
                tagged(
                    MilestoneStatus(round_id=round_ids[r], milestone_id=milestone_ids[(p, n)],
                                    status=MILESTONE_CODES[s], realised_on=day, note=t),
                    None,
                )
                for r, p, n, s, day, t in statuses
            ),
        )  # fmt: skip
        ReportingRound.objects.filter(code=rounds[0][0]).get().close(by=None)
    return {"seconds": time.perf_counter() - start, "rows": plan.rows}


def raw_bulk_create(scale: int, workbook: str) -> dict:
    """The floor of the ORM: the same rows, already typed, with plain ``bulk_create``."""

    def create(model: type, objects: Iterable) -> dict:
        ids = {}
        for batch in _batches(objects):
            for obj in model.objects.bulk_create(batch):
                ids[obj.natural] = obj.pk
        return ids

    return _write_plan(scale, create)


def copy(scale: int, workbook: str) -> dict:
    """The floor of PostgreSQL: the same rows, already typed, with ``COPY … FROM STDIN``
    (psycopg's ``cursor.copy()``). Each row's values are made as ``bulk_create`` makes them
    (``pre_save``, ``get_db_prep_save``), its primary key given (the tables start empty),
    and each table's identity set past them at the end."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The copy step needs PostgreSQL.")

    def create(model: type, objects: Iterable) -> dict:
        fields = [f for f in model._meta.local_concrete_fields]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        ids = {}
        next_id = 1
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copying:
                for obj in objects:
                    obj.pk = next_id
                    next_id += 1
                    copying.write_row(
                        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    )
                    ids[obj.natural] = obj.pk
            pk = model._meta.pk.column
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                [model._meta.db_table, pk, next_id],
            )
        return ids

    return _write_plan(scale, create)


def generate(scale: int, workbook: str) -> dict:
    from .plan import Plan

    start = time.perf_counter()
    Plan(scale).write_workbook(workbook)
    return {
        "seconds": time.perf_counter() - start,
        "rows": Plan(scale).rows,
        "bytes": os.path.getsize(workbook),
    }


def _limits():
    from relance.workbook import Limits

    # The benchmark's workbooks are far larger than an upload may be.
    return Limits(max_bytes=2**31, max_unpacked_bytes=2**34)


def import_(scale: int, workbook: str) -> dict:
    from relance.workbook import import_workbook

    start = time.perf_counter()
    with open(workbook, "rb") as source:
        result = import_workbook(source, limits=_limits())
    seconds = time.perf_counter() - start
    if not result.ok:
        raise SystemExit("\n".join(map(str, result.errors[:20])))
    return {"seconds": seconds, "rows": result.created + result.updated, "timings": result.timings}


def reimport(scale: int, workbook: str) -> dict:
    """The same workbook again: everything is compared, nothing written."""
    from relance.workbook import import_workbook

    start = time.perf_counter()
    with open(workbook, "rb") as source:
        result = import_workbook(source, limits=_limits())
    seconds = time.perf_counter() - start
    if not result.ok or result.created or result.updated:
        raise SystemExit("The second import changed something or failed.")
    return {"seconds": seconds, "rows": sum(s.unchanged for s in result.sheets)}


def export(scale: int, workbook: str) -> dict:
    from relance.workbook import export_workbook

    from .plan import Plan

    start = time.perf_counter()
    with open(workbook, "wb") as target:
        export_workbook(target)
    return {"seconds": time.perf_counter() - start, "rows": Plan(scale).rows}


def pages(scale: int, workbook: str) -> dict:
    from .pages import pages as measure

    return measure(scale, workbook)


def pdf(scale: int, workbook: str) -> dict:
    """The report PDF of the latest closed round: render_pdf against bare Chromium."""
    from .pdf_renderers import measure, report_html_of

    html, code, html_seconds = report_html_of()
    repeat = int(os.environ.get("BENCH_PDF_REPEAT", "3"))
    return {**measure(html, repeat), "round": code, "html_seconds": html_seconds}


def explain(scale: int, workbook: str) -> dict:
    """The list pages' query plans (``benchmarks.explain``): PostgreSQL only."""
    from .explain import explain_pages

    return {"plans": explain_pages()}


STEPS: dict[str, Callable[[int, str], dict]] = {
    "generate": generate,
    "raw": raw_bulk_create,
    "copy": copy,
    "import": import_,
    "reimport": reimport,
    "export": export,
    "pages": pages,
    "pdf": pdf,
    "explain": explain,
}


def main() -> None:
    step, scale, workbook = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    import django

    django.setup()
    measured = STEPS[step](scale, workbook)
    # ru_maxrss is in kilobytes on Linux.
    measured["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(measured))


if __name__ == "__main__":
    main()
