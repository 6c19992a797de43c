"""The list pages' query plans: no sequential scan of a big table on a filtered page.

    python -m benchmarks.explain [--verbose]

requests each list page below (filtered, sorted, deep) on the database of ``DATABASE_URL``
(PostgreSQL: an imported, ANALYZEd plan, the bigger the better), records every SELECT it
runs, and asks PostgreSQL for the plan of each (``EXPLAIN``, not run). It prints each page
with its query count and the big tables any of its queries reads with a Seq Scan, and
exits 1 when there is one. ``--verbose`` prints every query's plan. ``make bench`` runs it
on the 100x plan (``explain`` in ``benchmarks.steps``) and writes what it finds in
``benchmarks/results.md``.

A sequential scan of a small table (rounds, domains, clusters, even the projects) is the
right plan and is not reported; the big tables are those that grow with the milestones
and the rounds.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from typing import Any

# The tables that grow with milestones × rounds: never read whole on a page.
BIG_TABLES = {
    "milestones_milestone",
    "milestones_milestonestatus",
    "milestones_historicalmilestonestatus",
    "projects_fiche",
    "projects_historicalfiche",
    "finance_financereport",
    "finance_historicalfinancereport",
}

OPEN = "2023-12"
CLOSED = "2022-12"
PROJECT = "VV00001"
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def list_pages(deep: int) -> list[tuple[str, str, bool]]:
    """(label, URL, signed in as a coordinator) of every list page, filtered and sorted as
    people use them; the milestone list's deep page as ``benchmarks.pages`` measures it."""
    return [
        ("project list", "/projects/", True),
        ("projects, closed round", f"/projects/?round={CLOSED}", True),
        ("projects, by status", "/projects/?sort=status", True),
        ("projects, red", "/projects/?flag=red", True),
        ("projects, domain, RRF", "/projects/?domain=OV&rrf=yes", True),
        ("projects, speerpunt, by budget", "/projects/?speerpunt=2&sort=-budget", True),
        ("projects, search", "/projects/?q=VV0001", True),
        ("projects, deep page", "/projects/?page=100", True),
        ("milestones", "/milestones/", True),
        ("milestones, overdue, deep page", f"/milestones/?overdue=on&page={deep}", True),
        ("milestones, overdue, closed round", f"/milestones/?overdue=on&round={CLOSED}", True),
        ("milestones, delayed", "/milestones/?status=delayed", True),
        ("milestones, due in 90 days", "/milestones/?due=90&sort=deadline", True),
        ("milestones, by deadline, deep", f"/milestones/?sort=-deadline&page={deep}", True),
        ("milestones, by status", "/milestones/?sort=status", True),
        ("milestones, domain", "/milestones/?domain=OV&speerpunt=2", True),
        ("milestones, search", "/milestones/?q=VV00001", True),
        ("round page", f"/rounds/{OPEN}/", True),
        ("round page, closed", f"/rounds/{CLOSED}/", True),
        ("project page", f"/projects/{PROJECT}/", True),
        ("fiche form", f"/projects/{PROJECT}/fiche/", True),
        ("public projects", "/public/projects/", False),
        ("public projects, filtered", "/public/projects/?status=delayed&speerpunt=2", False),
        ("public projects, deep page", f"/public/projects/?round={CLOSED}&page=150", False),
        ("public project", f"/public/projects/{PROJECT}/", False),
        ("API projects", "/api/projects/", False),
        ("API fiches", f"/api/rounds/{CLOSED}/fiches/", False),
        ("API milestones", f"/api/rounds/{CLOSED}/milestones/", False),
    ]


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def seq_scans(plan: dict[str, Any]) -> list[str]:
    """The big tables a plan (EXPLAIN's JSON, its top node) reads with a Seq Scan."""
    return sorted(
        {
            node["Relation Name"]
            for node in _nodes(plan)
            if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES
        }
    )


def explain_pages(*, verbose: bool = False) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client, override_settings

    from milestones.models import Milestone
    from projects.models import User
    from projects.models.users import Role
    from projects.roles import assign_role

    if connection.vendor != "postgresql":
        raise SystemExit("benchmarks.explain needs PostgreSQL (DATABASE_URL).")
    coordinator, _created = User.objects.get_or_create(username="bench-coordinator")
    assign_role(user=coordinator, role=Role.COORDINATOR)
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(coordinator)
    deep = max(1, min(100, Milestone.objects.count() // 50 // 2))

    results = []
    for label, url, needs_user in list_pages(deep):
        executed: list[tuple[str, Any]] = []

        def record(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
            executed.append((sql, params))
            return execute(sql, params, many, context)

        # Cached pages (a closed round's) would run no query: plan what a miss runs.
        with override_settings(CACHES=NO_CACHE), connection.execute_wrapper(record):
            response = (signed_in if needs_user else anonymous).get(url)
        if response.status_code != 200:
            results.append({"page": label, "url": url, "status": response.status_code})
            continue
        queries = []
        with connection.cursor() as cursor:
            for sql, params in executed:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = _loaded(cursor.fetchone()[0])[0]["Plan"]
                queries.append(
                    {"sql": sql, "cost": plan["Total Cost"], "seq_scans": seq_scans(plan)}
                )
                if verbose:
                    cursor.execute(f"EXPLAIN {sql}", params)
                    text = "\n".join(row[0] for row in cursor.fetchall())
                    print(f"--- {label}\n{connection.ops.compose_sql(sql, params)}\n{text}\n")
        results.append(
            {
                "page": label,
                "url": url,
                "status": 200,
                "queries": len(executed),
                "seq_scans": sorted({t for q in queries for t in q["seq_scans"]}),
                "costliest": max((q["cost"] for q in queries), default=0),
            }
        )
    return results


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def table(results: list[dict[str, Any]]) -> list[str]:
    header = f"{'page':<36} {'q':>3} {'max cost':>9}  seq scan of a big table"
    lines = [header, "-" * len(header)]
    for r in results:
        if r["status"] != 200:
            lines.append(f"{r['page']:<36} (answered {r['status']})")
            continue
        scans = ", ".join(r["seq_scans"]) or "none"
        lines.append(f"{r['page']:<36} {r['queries']:>3} {r['costliest']:>9,.0f}  {scans}")
    return lines


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    import django

    django.setup()
    results = explain_pages(verbose="--verbose" in sys.argv[1:])
    print("\n".join(table(results)))
    sys.exit(1 if any(r.get("seq_scans") for r in results) else 0)


if __name__ == "__main__":
    main()
