"""make loadtest: locust against gunicorn and PostgreSQL with the 10x plan and two Celery
workers, headless and bounded: 20 coordinators browsing, filtering, opening and saving
fiches, two readers downloading a closed round's report (benchmarks/locustfile.py).

    DATABASE_URL=postgres://…/postgres REDIS_URL=redis://…/N python -m benchmarks.loadtest

The plan is generated and imported into a throwaway database next to DATABASE_URL's
(dropped after; named ``BENCH_DB_PREFIX``…, ``relance_bench`` by default). The imported
plan's closed round was never closed by the application: before the clock starts, the
workers build its documents and warm its pages (``manage.py build_round_documents CODE
--wait``), as production has them from its close. Prints p50/p95/p99 and the errors per
request, as locust saw them and as gunicorn served them (its access log's request times:
the time in the server, without the wait for a free worker), with the machine's load
before and after, and writes them to ``benchmarks/loadtest.md``. LOADTEST_SECONDS (90),
LOADTEST_SCALE (10), LOADTEST_WORKERS (gunicorn's, 4) and LOADTEST_SPAWN_RATE (users
signing in per second, 1: a morning's users arrive over some seconds, not all in the same
one) change the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.__main__ import Databases, machine, step

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("LOADTEST_PORT", "8765"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "90"))
SCALE = int(os.environ.get("LOADTEST_SCALE", "10"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "1"))
COORDINATORS, READERS = 20, 2
# The closed round the readers download the report of (benchmarks/locustfile.py).
CLOSED = os.environ.get("LOADTEST_CLOSED_ROUND", "2022-12")
# gunicorn's access log: method, path, query, status and the request's time in microseconds.
ACCESS_FORMAT = "%(m)s %(U)s %(q)s %(s)s %(D)s"
# The load test's users' password (passed to locust through LOADTEST_PASSWORD).
PASSWORD = "loadtest-wachtwoord-1"


def setup_users() -> None:
    """Run inside Django: the load test's users. (Not importing the locustfile: locust
    patches threading with gevent on import.)"""
    from projects.models import User
    from projects.models.users import Role
    from projects.roles import assign_role

    people = ((Role.COORDINATOR, COORDINATORS, "coordinator"), (Role.READER, READERS, "reader"))
    for role, count, name in people:
        for number in range(1, count + 1):
            user, _ = User.objects.get_or_create(username=f"loadtest-{name}-{number}")
            user.set_password(PASSWORD)
            user.save()
            assign_role(user=user, role=role)


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def _summary(stats: Path) -> list[str]:
    lines = [
        "| request | count | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    with stats.open() as handle:
        for row in csv.DictReader(handle):
            lines.append(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
                f"| {row['50%']} | {row['95%']} | {row['99%']} |"
            )
    return lines


def _request_name(method: str, path: str, query: str) -> str:
    """The locustfile's name of a request, from what gunicorn logged of it."""
    if path == "/accounts/login/":
        return "sign in" if method == "POST" else "login form"
    if path == "/start/" or re.fullmatch(r"/rounds/[^/]+/desk/", path):
        return "sign in's landing (start, review desk)"  # locust counts it in "sign in"
    if path == "/":
        return "dashboard"
    if path == "/projects/":
        return "project list ?q" if "q=" in query else "project list"
    if path == "/milestones/":
        return "milestones ?overdue"
    if re.fullmatch(r"/projects/[^/]+/fiche/", path):
        return "fiche save" if method == "POST" else "fiche form"
    if re.fullmatch(r"/projects/[^/]+/", path):
        return "project page"
    if path.startswith("/rounds/") and ("/report" in path or "/artefacts/" in path):
        return "report.pdf (or its progress)"
    if re.fullmatch(r"/rounds/[^/]+/", path):
        return "round page"
    return "other"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _server_times(log: Path) -> list[str]:
    """p50/p95/p99 of the time gunicorn spent on each kind of request, in ms."""
    times: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        parts = line.split(" ")
        if len(parts) != 5 or not parts[4].isdigit():
            continue
        method, path, query, _status, micros = parts
        name = _request_name(method, path, "" if query == "-" else query)
        times.setdefault(name, []).append(int(micros) / 1000)
    lines = [
        "| request (gunicorn) | count | p50 ms | p95 ms | p99 ms | mean ms |",
        "|---|---|---|---|---|---|",
    ]
    for name in sorted(times):
        values = times[name]
        lines.append(
            f"| {name} | {len(values)} | {_percentile(values, 0.5):.0f} "
            f"| {_percentile(values, 0.95):.0f} | {_percentile(values, 0.99):.0f} "
            f"| {statistics.fmean(values):.0f} |"
        )
    return lines


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("make loadtest needs DATABASE_URL on PostgreSQL")
    workdir = Path(tempfile.mkdtemp(prefix="relance-loadtest-"))
    databases = Databases(workdir)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        workbook = workdir / f"plan-{SCALE}x.xlsx"
        print(f"{SCALE}x: generating and importing the plan …", flush=True)
        step("generate", SCALE, workbook, databases.url_of(databases.template))
        url = databases.fresh("loadtest")
        step("import", SCALE, workbook, url)
        env = {
            **os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "RELANCE_TASKS_IN_PROCESS": "0",
            "MEDIA_ROOT": str(workdir / "media"), "DJANGO_SETTINGS_MODULE": "relance.settings",
        }  # fmt: skip
        subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); "
             "from benchmarks.loadtest import setup_users; setup_users()"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        for number in (1, 2):
            processes.append(subprocess.Popen(
                [BIN / "celery", "-A", "relance", "worker", "-n", f"loadtest{number}@%h",
                 "--concurrency", "1", "--loglevel", "WARNING"], cwd=ROOT, env=env,
            ))  # fmt: skip
        # What production has from the round's close: its documents and warm pages.
        print(f"the workers build {CLOSED}'s documents …", flush=True)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "build_round_documents", CLOSED, "--wait"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        prebuilt = time.monotonic() - started
        access = workdir / "access.log"
        processes.append(subprocess.Popen(
            [BIN / "gunicorn", "relance.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}",
             "--log-level", "warning", "--access-logfile", str(access),
             "--access-logformat", ACCESS_FORMAT], cwd=ROOT, env=env,
        ))  # fmt: skip
        _wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
        access.write_text("")  # the clock starts: the readiness probe's lines go
        before, when = _load(), dt.datetime.now(dt.UTC)
        print(f"locust: {COORDINATORS + READERS} users for {SECONDS} s …", flush=True)
        subprocess.run(
            [BIN / "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
             "-u", str(COORDINATORS + READERS), "-r", str(SPAWN_RATE), "-t", f"{SECONDS}s",
             "--host", f"http://127.0.0.1:{PORT}", "--csv", str(workdir / "loadtest"),
             "--only-summary", "--stop-timeout", "10"],
            cwd=ROOT, check=False,
            env={**env, "LOADTEST_PROJECTS": str(181 * SCALE), "LOADTEST_PASSWORD": PASSWORD,
                 "LOADTEST_CLOSED_ROUND": CLOSED},
        )  # fmt: skip
        after = _load()
        lines = _summary(workdir / "loadtest_stats.csv")
        served = _server_times(access)
        text = "\n".join(lines)
        print(text)
        print("\n".join(served))
        (ROOT / "benchmarks" / "loadtest.md").write_text(
            f"# make loadtest\n\n{machine()}\n\n{SCALE}x plan on PostgreSQL, gunicorn with "
            f"{WORKERS} workers, two Celery workers, {COORDINATORS} coordinators and "
            f"{READERS} report readers signing in at {SPAWN_RATE:g} a second, for {SECONDS} s, "
            f"on {when:%Y-%m-%d} at {when:%H:%M} UTC. "
            f"The closed round {CLOSED}'s documents built and its pages warmed before the "
            f"clock started ({prebuilt:.0f} s on the two workers). Load average (1, 5, 15 "
            f"min) before the run: {before}; after: {after}.\n\nAs locust saw them:\n\n"
            f"{text}\n\nAs gunicorn served them (from a worker's taking the request to its "
            f"answer; without the wait for a free worker):\n\n" + "\n".join(served) + "\n"
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        # FORCE: a connection of a gunicorn worker killed mid-request may linger a moment.
        for name in reversed(databases.created):
            databases._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
