"""make bench: the plan workbook at 1x, 10x and 100x the plan's size.

For each size, in throwaway databases (SQLite files in a temporary directory, or, when
``DATABASE_URL`` names PostgreSQL, databases created next to it and dropped after):

- generate: the plan as a workbook (181 projects and 1753 milestones per 1x, two rounds of
  fiches and milestone statuses);
- raw: the same rows, already typed, with plain ``bulk_create`` into an empty database;
- import: ``import_workbook`` of the workbook into an empty database: reading, checking
  and writing, all or nothing; the target is at most 3x raw, under 1 GB at 100x;
- again: the same workbook a second time (everything compared, nothing written);
- export: ``export_workbook`` of the imported plan, streamed: its memory stays flat;
- pages: every page's median server time and query count, and the round's computations
  (``round_summary``, the reminder scan, ``quality_check``), on the imported plan
  (``pages.py``).

The tables are printed and written to ``benchmarks/results.md`` with the machine they ran on.

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

ROOT = Path(__file__).resolve().parent.parent
MAX_RATIO = 3.0
MAX_PEAK_MB = 1024


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
        return f"relance_bench_{role}_{uuid.uuid4().hex[:8]}"

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
    imported_url = databases.fresh("import")
    print(f"{scale}x: import …", flush=True)
    imported = step("import", scale, workbook, imported_url)
    print(f"{scale}x: import again, and export …", flush=True)
    again = step("reimport", scale, workbook, imported_url)
    exported = step("export", scale, databases.workdir / f"export-{scale}x.xlsx", imported_url)
    print(f"{scale}x: pages and commands …", flush=True)
    measured = step("pages", scale, workbook, imported_url)
    plans = step("explain", scale, workbook, imported_url)["plans"] if databases.postgres else []
    return {
        "plans": plans,
        "pages": measured["pages"],
        "commands": measured["commands"],
        "scale": scale,
        "generated": generated,
        "raw": raw,
        "import": imported,
        "again": again,
        "export": exported,
    }


def table(results: list[dict]) -> list[str]:
    header = (
        f"{'size':>5} {'rows':>9} {'xlsx MB':>8} | {'raw s':>7} {'import s':>8} {'ratio':>6} "
        f"{'rows/s':>8} {'peak MB':>8} | {'again s':>8} | "
        f"{'export s':>8} {'rows/s':>8} {'peak MB':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        rows, imp, raw, exp = r["raw"]["rows"], r["import"], r["raw"], r["export"]
        ratio = imp["seconds"] / raw["seconds"]
        lines.append(
            f"{r['scale']:>4}x {rows:>9,} {r['generated']['bytes'] / 2**20:>8.1f} | "
            f"{raw['seconds']:>7.1f} {imp['seconds']:>8.1f} {ratio:>6.2f} "
            f"{rows / imp['seconds']:>8,.0f} {imp['peak_mb']:>8.0f} | "
            f"{r['again']['seconds']:>8.1f} | "
            f"{exp['seconds']:>8.1f} {rows / exp['seconds']:>8,.0f} {exp['peak_mb']:>8.0f}"
        )
    lines.append("")
    for r in results:
        phases = ", ".join(
            f"{name} {seconds:.1f} s" for name, seconds in r["import"]["timings"].items()
        )
        lines.append(f"{r['scale']:>4}x import: {phases}")
    return lines


def speed_table(results: list[dict]) -> list[str]:
    """Each page's and command's median time (ms) and queries per size, and the largest
    size's time as a multiple of the smallest's."""
    scales = [r["scale"] for r in results]
    header = f"{'page':<34}" + "".join(f"{f'{s}x ms':>10}{'q':>5}" for s in scales)
    header += f"{'ratio':>7}"
    lines = [header, "-" * len(header)]
    for index, page in enumerate(results[0]["pages"]):
        row = f"{page['page']:<34}"
        cells = [r["pages"][index] for r in results]
        if any(cell["status"] != 200 for cell in cells):
            lines.append(row + "  (not in this version: 404)")
            continue
        row += "".join(f"{cell['ms']:>10.0f}{cell['queries']:>5}" for cell in cells)
        lines.append(row + f"{cells[-1]['ms'] / cells[0]['ms']:>7.1f}")
    lines.append("")
    for index, command in enumerate(results[0]["commands"]):
        cells = [r["commands"][index]["ms"] for r in results]
        row = f"{command['command']:<34}" + "".join(f"{ms:>10.0f}{'':>5}" for ms in cells)
        lines.append(row + f"{cells[-1] / cells[0]:>7.1f}")
    return lines


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


def main() -> None:
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]
    with tempfile.TemporaryDirectory(prefix="relance-bench-") as workdir:
        databases = Databases(Path(workdir))
        try:
            results = [run(scale, databases) for scale in scales]
        finally:
            databases.drop_all()
    backend = "PostgreSQL" if databases.postgres else "SQLite"
    print()
    print(f"Plan workbook benchmarks ({backend}; peak = the step's own process, ru_maxrss)")
    workbook_lines = table(results)
    print("\n".join(workbook_lines))
    print()
    speed_lines = speed_table(results)
    print("Pages (median of 5 in the test client, queries of one request) and commands (ms)")
    print("\n".join(speed_lines))
    plan_lines: list[str] = []
    if largest_plans := results[-1]["plans"]:
        from .explain import table as plan_table

        plan_lines = ["", f"List pages' query plans at {results[-1]['scale']}x (EXPLAIN)"]
        plan_lines += plan_table(largest_plans)
        print("\n".join(plan_lines))
    write_results(
        backend,
        [
            f"Plan workbook ({backend})",
            *workbook_lines,
            "",
            "Pages and commands",
            *speed_lines,
            *plan_lines,
        ],
    )
    largest = results[-1]
    ratio = largest["import"]["seconds"] / largest["raw"]["seconds"]
    peak = largest["import"]["peak_mb"]
    verdict = ratio <= MAX_RATIO and peak < MAX_PEAK_MB
    print()
    print(
        f"{largest['scale']}x: import {ratio:.2f}x raw bulk_create (target ≤ {MAX_RATIO}x), "
        f"peak {peak:.0f} MB (target < {MAX_PEAK_MB} MB): {'met' if verdict else 'MISSED'}"
    )
    if not verdict:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
