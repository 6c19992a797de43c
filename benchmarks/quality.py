"""The quality check on the plan in the database (``make run`` loads the demo plan):

    python -m benchmarks.quality

For each round, the findings of ``quality_check`` (``round_findings``): how many, the
seconds (best of three) and the queries. The target on the demo plan: well under a second
per round, with the same number of queries in every round.
"""

from __future__ import annotations

import os
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Fiche, ReportingRound
    from relance.quality.report import round_findings

    print(f"{'round':>8} {'fiches':>7} {'findings':>9} {'seconds':>8} {'queries':>8}")
    for reporting_round in ReportingRound.objects.order_by("reference_date"):
        seconds = []
        for _attempt in range(3):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                findings = round_findings(reporting_round)
                seconds.append(time.perf_counter() - start)
        fiches = Fiche.objects.in_round(reporting_round).count()
        print(
            f"{reporting_round.code:>8} {fiches:>7} {len(findings):>9} "
            f"{min(seconds):>8.3f} {len(queries.captured_queries):>8}"
        )


if __name__ == "__main__":
    main()
