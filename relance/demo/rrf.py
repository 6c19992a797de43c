"""The demo's RRF timing: generated, as no RRF reference of the plan is published."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .data import SEED

# The Facility's last milestones fall due by the second quarter of 2026; its payment
# requests come twice a year, the first for the second half of 2021.
RRF_FIRST_QUARTER = (2021, 3)
RRF_LAST_QUARTER = (2026, 2)


def _index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def rrf_timing(deadline: dt.date, rng: random.Random) -> dict[str, Any]:
    """A generated indicative year-quarter (the deadline's, or the quarter before it: the
    EU's timeline is often the earlier one) and the half-year payment request it counts
    for."""
    index = _index(deadline.year, (deadline.month - 1) // 3 + 1) - rng.choice((0, 0, 1))
    index = max(min(index, _index(*RRF_LAST_QUARTER)), _index(*RRF_FIRST_QUARTER))
    year, quarter = divmod(index, 4)  # quarter 0 to 3
    # The second half of 2021 is the first request, each half-year after it the next.
    instalment = (year - RRF_FIRST_QUARTER[0]) * 2 + (quarter >= 2)
    return {"rrf_quarter": f"{year}-Q{quarter + 1}", "rrf_instalment": max(instalment, 1)}


def rrf_target(definition: dict[str, Any]) -> dict[str, Any]:
    """A generated year-quarter and instalment for an RRF target, from its target date."""
    return rrf_timing(definition["target_date"], random.Random(SEED))
