"""make bench: the plan workbook at 1x, 10x and 100x the plan's size.

For each size, in throwaway databases (SQLite files in a temporary directory, or, when
``DATABASE_URL`` names PostgreSQL, databases created next to it and dropped after):

- generate: the plan as a workbook (181 projects and 1753 milestones per 1x, two rounds of
  fiches and milestone statuses);
- raw: the same rows, already typed, with plain ``bulk_create`` into an empty database;
- copy (PostgreSQL): the same rows with ``COPY … FROM STDIN`` (psycopg), the database's floor;
- import: ``import_workbook`` of the workbook into an empty database: reading, checking
  and writing, all or nothing; the target is at most 2x raw at 100x, under 1 GB;
- again: the same workbook a second time (everything compared, nothing written);
- export: ``export_workbook`` of the imported plan, streamed: its memory stays flat;
- pages: every page's median server time and query count, and the round's computations
  (``round_summary``, the reminder scan, ``quality_check``), on the imported plan
  (``pages.py``);
- pdf (1x, when ``steps.py`` has the step: ``pdf_renderers.py``): the report PDF of the
  closed round, ``render_pdf`` against bare Chromium printing the same HTML in the same run.

The tables are printed and written to ``benchmarks/results.md`` with the machine they ran on,
with issue 16's targets and whether each is met (``TARGETS``).

Each step runs in a process of its own, so that its peak memory (ru_maxrss) is its own.
``BENCH_SCALES=1,10`` runs fewer sizes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .steps import STEPS

ROOT = Path(__file__).resolve().parent.parent
# Issue 16's targets, judged at the largest size run (100x by default).
MAX_RATIO = 2.0  # import / raw bulk_create
MAX_PEAK_MB = 1024  # the import's peak memory
MAX_PAGE_MS = 150  # every page's median server time
MAX_PAGE_GROWTH = 3.0  # every page's time at the largest size / at the smallest
MAX_SCAN_MS = 5000  # the reminder scan
MAX_PDF_RATIO = 2.0  # the report PDF / Chromium printing the same HTML (1x)


class Databases:
    """Fresh, migrated, throwaway databases, copied from one migrated template."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.url.startswith(("postgres://", "postgresql://"))
        self.created: list[str] = []
        self.template = self._name("template")
        if self.postgres:
            self._sql(f'CREATE DATABASE "{self.template}"')
            self.created.append(self.template)
        self._migrate(self.template)

    def _name(self, role: str) -> str:
        # BENCH_DB_PREFIX: the throwaway databases' prefix, so that runs beside each other
        # on one server are told apart (and never drop each other's).
        prefix = os.environ.get("BENCH_DB_PREFIX", "relance_bench")
        return f"{prefix}_{role}_{uuid.uuid4().hex[:8]}"

    def url_of(self, name: str) -> str:
        if self.postgres:
            parts = urlsplit(self.url)
            return urlunsplit(parts._replace(path=f"/{name}"))
        return f"sqlite:///{self.workdir / name}.sqlite3"

    def _sql(self, statement: str) -> None:
        import psycopg

        parts = urlsplit(self.url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
            db.execute(statement)

    def _migrate(self, name: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": self.url_of(name)},
            check=True,
        )

    def fresh(self, role: str) -> str:
        name = self._name(role)
        if self.postgres:
            self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        else:
            shutil.copy(self.workdir / f"{self.template}.sqlite3", self.workdir / f"{name}.sqlite3")
        self.created.append(name)
        return self.url_of(name)

    def drop_all(self) -> None:
        if self.postgres:
            for name in reversed(self.created):
                self._sql(f'DROP DATABASE IF EXISTS "{name}"')


def step(name: str, scale: int, workbook: Path, database_url: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.steps", name, str(scale), str(workbook)],
        cwd=ROOT,
        # As in production: no debug cursor, no debug toolbar of any kind on the clock.
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", "DEBUG": "0"},
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"benchmark step {name} at {scale}x failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(scale: int, databases: Databases) -> dict:
    workbook = databases.workdir / f"plan-{scale}x.xlsx"
    print(f"{scale}x: generating the workbook …", flush=True)
    generated = step("generate", scale, workbook, databases.url_of(databases.template))
    print(f"{scale}x: raw bulk_create …", flush=True)
    raw = step("raw", scale, workbook, databases.fresh("raw"))
    copied = None
    if databases.postgres:
        print(f"{scale}x: COPY …", flush=True)
        copied = step("copy", scale, workbook, databases.fresh("copy"))
    imported_url = databases.fresh("import")
    print(f"{scale}x: import …", flush=True)
    imported = step("import", scale, workbook, imported_url)
    print(f"{scale}x: import again, and export …", flush=True)
    again = step("reimport", scale, workbook, imported_url)
    exported = step("export", scale, databases.workdir / f"export-{scale}x.xlsx", imported_url)
    print(f"{scale}x: pages and commands …", flush=True)
    measured = step("pages", scale, workbook, imported_url)
    pdf = None
    if scale == 1 and "pdf" in STEPS:
        print(f"{scale}x: the report PDF against Chromium …", flush=True)
        pdf = step("pdf", scale, workbook, imported_url)
    plans = step("explain", scale, workbook, imported_url)["plans"] if databases.postgres else []
    return {
        "plans": plans,
        "pages": measured["pages"],
        "commands": measured["commands"],
        "scale": scale,
        "generated": generated,
        "raw": raw,
        "copy": copied,
        "import": imported,
        "again": again,
        "export": exported,
        "pdf": pdf,
    }


def table(results: list[dict]) -> list[str]:
    """Import and export: seconds, rows/s, peak memory, and the import's time as a multiple
    of raw bulk_create and (on PostgreSQL) of COPY, all measured in this run."""
    postgres = any(r["copy"] for r in results)
    header = (
        f"{'size':>5} {'rows':>9} {'xlsx MB':>8} | {'raw s':>6} "
        + (f"{'copy s':>6} " if postgres else "")
        + f"| {'import s':>8} {'rows/s':>8} {'peak MB':>8} {'x raw':>6} "
        + (f"{'x copy':>6} " if postgres else "")
        + f"| {'again s':>8} | {'export s':>8} {'rows/s':>8} {'peak MB':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        rows, imp, raw, exp = r["raw"]["rows"], r["import"], r["raw"], r["export"]
        line = (
            f"{r['scale']:>4}x {rows:>9,} {r['generated']['bytes'] / 2**20:>8.1f} | "
            f"{raw['seconds']:>6.1f} "
        )
        if postgres:
            line += f"{r['copy']['seconds']:>6.1f} "
        line += (
            f"| {imp['seconds']:>8.1f} {rows / imp['seconds']:>8,.0f} {imp['peak_mb']:>8.0f} "
            f"{imp['seconds'] / raw['seconds']:>6.2f} "
        )
        if postgres:
            line += f"{imp['seconds'] / r['copy']['seconds']:>6.2f} "
        line += (
            f"| {r['again']['seconds']:>8.1f} | "
            f"{exp['seconds']:>8.1f} {rows / exp['seconds']:>8,.0f} {exp['peak_mb']:>8.0f}"
        )
        lines.append(line)
    lines.append("")
    for r in results:
        phases = ", ".join(
            f"{name} {seconds:.1f} s" for name, seconds in r["import"]["timings"].items()
        )
        line = f"{r['scale']:>4}x import: {phases}"
        if r["copy"]:
            line += f"; raw bulk_create peak {r['raw']['peak_mb']:.0f} MB"
            line += f", COPY peak {r['copy']['peak_mb']:.0f} MB"
        lines.append(line)
    return lines


def _measured(page: dict) -> bool:
    return page["status"] == 200


def speed_table(results: list[dict]) -> list[str]:
    """Each page's and command's median time (ms) and queries per size, and the largest
    size's time as a multiple of the smallest's. At the largest size (when larger than
    the smallest), ``!`` marks a page over its targets: slower than MAX_PAGE_MS, more than
    MAX_PAGE_GROWTH times its smallest size's time, or a query count that changed."""
    scales = [r["scale"] for r in results]
    judged = len(results) > 1
    header = f"{'page':<34}" + "".join(f"{f'{s}x ms':>10}{'q':>5}" for s in scales)
    header += f"{'ratio':>7}"
    lines = [header, "-" * len(header)]
    for index, page in enumerate(results[0]["pages"]):
        row = f"{page['page']:<34}"
        cells = [r["pages"][index] for r in results]
        if not all(_measured(cell) for cell in cells):
            lines.append(row + "  (not in this version: 404)")
            continue
        row += "".join(f"{cell['ms']:>10.0f}{cell['queries']:>5}" for cell in cells)
        row += f"{cells[-1]['ms'] / cells[0]['ms']:>7.1f}"
        if judged and _page_misses(cells[0], cells[-1]):
            row += "  ! " + ", ".join(_page_misses(cells[0], cells[-1]))
        lines.append(row)
    lines.append("")
    for index, command in enumerate(results[0]["commands"]):
        cells = [r["commands"][index]["ms"] for r in results]
        row = f"{command['command']:<34}" + "".join(f"{ms:>10.0f}{'':>5}" for ms in cells)
        lines.append(row + f"{cells[-1] / cells[0]:>7.1f}")
    for index, command in enumerate(results[0]["commands"]):
        notes = [(r["scale"], r["commands"][index].get("note")) for r in results]
        if any(note for _scale, note in notes):
            sizes = "; ".join(f"{scale}x {note}" for scale, note in notes if note)
            lines.append(f"  {command['command']}: {sizes}")
    return lines


def _page_misses(smallest: dict, largest: dict) -> list[str]:
    misses = []
    if largest["ms"] >= MAX_PAGE_MS:
        misses.append(f">= {MAX_PAGE_MS} ms")
    if largest["ms"] > MAX_PAGE_GROWTH * smallest["ms"]:
        misses.append(f"> {MAX_PAGE_GROWTH:.0f}x")
    if largest["queries"] != smallest["queries"]:
        misses.append("queries differ")
    return misses


def pdf_lines(results: list[dict]) -> list[str]:
    measured = [r["pdf"] for r in results if r.get("pdf")]
    if not measured:
        return ["report PDF: not measured (no pdf step in benchmarks/steps.py)"]
    return [
        f"report PDF, round {pdf.get('round', '?')} at 1x: render_pdf {pdf['seconds']:.1f} s, "
        f"Chromium printing the same HTML {pdf['chromium_seconds']:.1f} s: "
        f"{pdf['ratio']:.2f}x"
        for pdf in measured
    ]


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "MISSED")


def targets(results: list[dict]) -> tuple[list[str], bool]:
    """Issue 16's targets at the largest size run, each with what was measured and whether
    it is met (a size other than 100x says so). Returns the lines and whether all are."""
    largest, smallest = results[-1], results[0]
    at = f"{largest['scale']}x" + ("" if largest["scale"] == 100 else ", not 100x")
    rows: list[tuple[str, str, bool | None]] = []
    ratio = largest["import"]["seconds"] / largest["raw"]["seconds"]
    rows.append(
        (
            f"import <= {MAX_RATIO:.0f}x raw bulk_create",
            f"{ratio:.2f}x ({at})",
            ratio <= MAX_RATIO,
        )
    )
    peak = largest["import"]["peak_mb"]
    rows.append((f"import peak < {MAX_PEAK_MB} MB", f"{peak:.0f} MB ({at})", peak < MAX_PEAK_MB))
    pairs = [
        (first, last)
        for first, last in zip(smallest["pages"], largest["pages"], strict=True)
        if _measured(first) and _measured(last)
    ]
    slow = [last["page"] for _first, last in pairs if last["ms"] >= MAX_PAGE_MS]
    grown = [last["page"] for first, last in pairs if last["ms"] > MAX_PAGE_GROWTH * first["ms"]]
    counted = [last["page"] for first, last in pairs if last["queries"] != first["queries"]]
    several = len(results) > 1

    def pages(names: list[str]) -> str:
        return (f"{len(names)} of {len(pairs)} pages miss" if names else "every page") + f" ({at})"

    rows.append((f"pages < {MAX_PAGE_MS} ms", pages(slow), not slow))
    rows.append(
        (
            f"pages <= {MAX_PAGE_GROWTH:.0f}x their {smallest['scale']}x time"
            if several
            else f"pages <= {MAX_PAGE_GROWTH:.0f}x their smallest size's time",
            pages(grown) if several else "one size run",
            not grown if several else None,
        )
    )
    rows.append(
        (
            f"query counts equal at {smallest['scale']}x and {largest['scale']}x"
            if several
            else "query counts equal at every size",
            pages(counted) if several else "one size run",
            not counted if several else None,
        )
    )
    scan = next(
        (c["ms"] for c in largest["commands"] if c["command"].startswith("send_reminders")),
        None,
    )
    rows.append(
        (
            f"reminder scan < {MAX_SCAN_MS / 1000:.0f} s",
            "—" if scan is None else f"{scan / 1000:.1f} s ({at})",
            None if scan is None else scan < MAX_SCAN_MS,
        )
    )
    pdf = next((r["pdf"] for r in results if r.get("pdf")), None)
    rows.append(
        (
            f"report PDF <= {MAX_PDF_RATIO:.0f}x Chromium (1x)",
            "—" if pdf is None else f"{pdf['ratio']:.2f}x",
            None if pdf is None else pdf["ratio"] <= MAX_PDF_RATIO,
        )
    )
    header = f"{'target':<44} {'measured':<30} verdict"
    lines = [header, "-" * len(header)]
    lines += [f"{name:<44} {value:<30} {_verdict(met)}" for name, value, met in rows]
    return lines, all(met is not False for _name, _value, met in rows)


def machine() -> str:
    import platform

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"{memory:.0f} GB, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}"
    )


def write_results(backend: str, lines: list[str]) -> None:
    import datetime as dt

    text = [
        "# Benchmark results",
        "",
        f"`make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {backend}, {machine()}.",
        "",
        "```",
        *lines,
        "```",
        "",
    ]
    (ROOT / "benchmarks" / "results.md").write_text("\n".join(text), encoding="utf-8")


def plan_lines(results: list[dict]) -> list[str]:
    """The list pages' query plans at the largest size (PostgreSQL only: none on SQLite)."""
    largest = results[-1]
    if not largest["plans"]:
        return []
    from .explain import table as plan_table

    return ["", f"List pages' query plans at {largest['scale']}x (EXPLAIN)"] + plan_table(
        largest["plans"]
    )


def main() -> None:
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]
    with tempfile.TemporaryDirectory(prefix="relance-bench-") as workdir:
        databases = Databases(Path(workdir))
        try:
            results = [run(scale, databases) for scale in scales]
        finally:
            databases.drop_all()
    backend = "PostgreSQL" if databases.postgres else "SQLite"
    target_lines, all_met = targets(results)
    sections = [
        f"Issue 16's targets ({backend}; judged at the largest size run)",
        *target_lines,
        "",
        f"Plan workbook ({backend}; peak = the step's own process, ru_maxrss; "
        "x raw / x copy = the import's time over theirs, same run)",
        *table(results),
        "",
        "Pages (median of 5 in the test client, queries of one request) and commands (ms)",
        *speed_table(results),
        "",
        *pdf_lines(results),
        *plan_lines(results),
    ]
    print()
    print("\n".join(sections))
    write_results(backend, sections)
    print()
    print(f"All targets met: {'yes' if all_met else 'no'} (benchmarks/results.md).")


if __name__ == "__main__":
    main()
