"""The cache keys of what is computed from the figures' tables, and ``kept``: a closed
round's (``closed_key``: its data never changes, projects/closed_rounds.py) and the data's
as of a data version (``version_key``, version.py). Apart from cache.py, so that the
computation itself (figures.py) keeps what it reads of closed rounds too."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from projects.models import ReportingRound

T = TypeVar("T")


def closed_key(kind: str, chain: Iterable[ReportingRound], *parts: object) -> str | None:
    """The cache key of what ``kind`` computes from a closed round (``chain[0]``) and the
    closed rounds before it; None when the round is not closed (nothing is kept)."""
    rounds = list(chain)
    if not rounds or not rounds[0].is_closed or rounds[0].closed_at is None:
        return None
    signature = ";".join(
        f"{r.pk},{r.state},{r.reference_date},{r.closed_at},{r.envelope_eur}" for r in rounds
    )
    raw = "\x1f".join([signature, *(repr(part) for part in parts)])
    return f"relance:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def version_key(kind: str, version: str | None, *parts: object) -> str | None:
    """The cache key of what ``kind`` computes from the data as of ``version``
    (``data_version()``); None without a version (nothing is kept)."""
    if version is None:
        return None
    raw = "\x1f".join([version, *(repr(part) for part in parts)])
    return f"relance:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def kept(key: str | None, compute: Callable[[], T]) -> T:
    """What ``compute`` returns, from the cache under ``key`` when it holds it (and kept
    there when not); computed every time without a key."""
    if key is None:
        return compute()
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.RELANCE_SUMMARY_CACHE_SECONDS)
    return value
