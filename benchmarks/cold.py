"""The open round's pages cold: right after a fiche save, which raises the data version
(relance/summary/version.py) and so leaves every cache entry it keys behind.

    python -m benchmarks.steps cold SCALE -

For each page, ``REPEAT`` times: one open-round fiche of VV00001 is saved (its narrative
and its finance report, in one transaction, as the fiche form saves them), then the page is
requested once and timed; the median and the queries of the last request are reported,
next to the page's warm median (``pages._median_seconds``) and queries.
"""

from __future__ import annotations

import statistics
import time
from functools import partial

from .pages import OPEN, REPEAT, _median_seconds

PAGES = [
    ("dashboard", "/"),
    ("dashboard, open round", f"/?round={OPEN}"),
    ("round page", f"/rounds/{OPEN}/"),
    ("round comparison", f"/rounds/{OPEN}/compare/"),
]


def _saver():
    from django.db import transaction

    from finance.models import FinanceReport
    from projects.models import Fiche

    fiche = Fiche.objects.get(round__code=OPEN, project__code="VV00001")
    finance = FinanceReport.objects.get(fiche=fiche)
    narrative = fiche.narrative
    turn = [0]

    def save() -> None:
        # Alternately one character more and the original: the figures never change.
        turn[0] += 1
        with transaction.atomic():
            fiche.narrative = narrative + (" " if turn[0] % 2 else "")
            fiche.save(update_fields=["narrative"])
            finance.save(update_fields=["paid_eur", "committed_eur"])

    return save


def cold(scale: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projects.models import User
    from projects.models.users import Role
    from projects.roles import assign_role

    coordinator, _created = User.objects.get_or_create(username="bench-coordinator")
    assign_role(user=coordinator, role=Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    save = _saver()
    results = []
    for label, url in PAGES:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        timings = []
        for _ in range(REPEAT):
            save()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                timings.append(time.perf_counter() - start)
            cold_queries = len(queries)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        warm_queries = len(queries)
        warm = _median_seconds(partial(client.get, url))
        results.append(
            {
                "page": label,
                "url": url,
                "cold_ms": statistics.median(timings) * 1000,
                "cold_queries": cold_queries,
                "warm_ms": warm * 1000,
                "warm_queries": warm_queries,
            }
        )
    return {"cold": results}


def main() -> None:
    import json
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    import django

    django.setup()
    measured = cold(int(sys.argv[1]))
    for row in measured["cold"]:
        print(
            f"{row['page']:<24} cold {row['cold_ms']:7.0f} ms {row['cold_queries']:3d} q   "
            f"warm {row['warm_ms']:6.0f} ms {row['warm_queries']:3d} q"
        )
    print(json.dumps(measured))


if __name__ == "__main__":
    main()
