"""Counting requests per key in the shared cache, for limits such as the password reset's."""

from __future__ import annotations

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` as (5, 3600): a number of requests per second, minute, hour or day."""
    number, _slash, period = rate.partition("/")
    return int(number), PERIODS[period.strip()[:1]]


def hit(key: str, rate: str) -> bool:
    """Count one request under ``key``; False once the rate's number is used up in its
    period (fixed window, counted from the first request)."""
    limit, seconds = parse_rate(rate)
    if cache.add(key, 1, timeout=seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds)
            count = 1
    return count <= limit
