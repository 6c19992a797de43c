"""The pages and the round's computations, measured on an imported benchmark plan.

Each page is requested once to warm up, then ``REPEAT`` times in Django's test client as a
signed-in coordinator (anonymous for the public pages and the API); the median server time
and the number of queries of one request are reported. A page that this version of the
application does not have (404) is reported as such, not measured.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from io import StringIO

REPEAT = 5

OPEN = "2023-12"
CLOSED = "2022-12"


def _pages(per_page: int, milestones: int) -> list[tuple[str, str, bool]]:
    """(label, URL, signed in) for every page measured. The milestone list's page is half
    way through the overdue ones, as deep at every size as the plan allows."""
    deep = max(1, min(100, milestones // per_page // 2))
    return [
        ("dashboard", "/", True),
        ("dashboard, open round", f"/?round={OPEN}", True),
        ("project list", "/projects/", True),
        ("milestones, overdue, deep page", f"/milestones/?overdue=on&page={deep}", True),
        ("milestones, search", "/milestones/?q=VV00001", True),
        ("project list, search", "/projects/?q=VV00001", True),
        ("round page", f"/rounds/{OPEN}/", True),
        ("round comparison", f"/rounds/{OPEN}/compare/", True),
        ("review desk", f"/rounds/{OPEN}/desk/", True),
        ("project page", "/projects/VV00001/", True),
        ("fiche form", "/projects/VV00001/fiche/", True),
        ("public dashboard", "/public/", False),
        ("public projects", "/public/projects/", False),
        ("public projects, deep page", f"/public/projects/?round={CLOSED}&page=150", False),
        ("public project", "/public/projects/VV00001/", False),
        ("open data", "/open-data/", False),
        ("open data catalogue", "/open-data/catalog.jsonld", False),
        ("API round summary", f"/api/rounds/{CLOSED}/summary/", False),
        ("API projects", "/api/projects/", False),
        ("API fiches", f"/api/rounds/{CLOSED}/fiches/", False),
        ("API milestones", f"/api/rounds/{CLOSED}/milestones/", False),
        ("quality, open round", f"/quality/{OPEN}/", True),
        ("quality, closed round", f"/quality/{CLOSED}/", True),
    ]


def _median_seconds(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def measure_pages(scale: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from milestones.models import Milestone
    from projects.models import User
    from projects.models.users import Role
    from projects.roles import assign_role

    coordinator, _created = User.objects.get_or_create(username="bench-coordinator")
    assign_role(user=coordinator, role=Role.COORDINATOR)
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(coordinator)

    results = []
    for label, url, needs_user in _pages(per_page=50, milestones=Milestone.objects.count()):
        client = signed_in if needs_user else anonymous
        response = client.get(url)
        if response.status_code == 404:
            results.append({"page": label, "url": url, "status": 404})
            continue
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Counted now: the next request empties the connection's log the count reads.
        count = len(queries)
        seconds = _median_seconds(lambda client=client, url=url: client.get(url))
        results.append(
            {
                "page": label,
                "url": url,
                "status": 200,
                "ms": seconds * 1000,
                "queries": count,
            }
        )
    return {"pages": results}


def measure_commands(scale: int) -> dict:
    from django.core.management import call_command, get_commands

    commands: list[tuple[str, Callable[[], object]]] = [
        (
            "round_summary --json",
            lambda: call_command("round_summary", CLOSED, "--json", stdout=StringIO()),
        ),
    ]
    if "quality_check" in get_commands():
        commands.append(
            (
                "quality_check --json",
                lambda: call_command("quality_check", OPEN, "--json", stdout=StringIO()),
            )
        )
    measured = [
        {"command": label, "ms": _median_seconds(action, repeat=3) * 1000}
        for label, action in commands
    ]
    measured.insert(1, _reminder_scan())
    return {"commands": measured}


def _reminder_scan(repeat: int = 3) -> dict:
    """The reminder scan as the day's first: one editor with an address for every policy
    domain and the bench's coordinator, and an empty log before each run (emptied off the
    clock), so that every run finds, claims and mails the whole day's digests; a second
    scan of the same day would find them claimed and send nothing."""
    from django.test import override_settings

    from milestones.models import ReminderLog
    from milestones.reminders.sending import send_reminders
    from projects.models import PolicyDomain, User
    from projects.models.users import Role
    from projects.roles import assign_role

    for domain in PolicyDomain.objects.all():
        editor, _created = User.objects.get_or_create(
            username=f"bench-editor-{domain.code}",
            defaults={"email": f"{domain.code.lower()}@bench.invalid"},
        )
        assign_role(user=editor, role=Role.EDITOR, domains=[domain])
    today = dt.date(2024, 1, 15)
    timings, result = [], None
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for _ in range(repeat):
            ReminderLog.objects.all().delete()
            start = time.perf_counter()
            result = send_reminders(today=today)
            timings.append(time.perf_counter() - start)
    assert result is not None
    return {
        "command": "send_reminders (day's first scan)",
        "ms": statistics.median(timings) * 1000,
        "note": f"{result.digests:,} digests, {result.reminders:,} reminders",
    }


def pages(scale: int, workbook: str) -> dict:
    return {**measure_pages(scale), **measure_commands(scale)}
