"""The public pages' cache: a closed round never changes, so its pages are kept in Django's
cache, keyed by the closed rounds (code and closing time), the language and what the page
shows. A round that closes changes the key of every page; nothing needs to be cleared."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from projects.models import ReportingRound

T = TypeVar("T")


def rounds_signature(rounds: Iterable[ReportingRound]) -> str:
    """What identifies the published state: every closed round and when it closed."""
    return ",".join(
        f"{r.pk}:{r.code}:{r.closed_at.isoformat() if r.closed_at else ''}" for r in rounds
    )


def cached(kind: str, parts: Iterable[object], build: Callable[[], T]) -> T:
    """The value ``build`` makes for ``kind`` and ``parts`` in the current language, from the
    cache when it holds it. Nothing is kept when ``build`` raises (a 404 included)."""
    raw = "\x1f".join(str(part) for part in (get_language(), *parts))
    key = f"relance:public:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.RELANCE_PUBLIC_CACHE_SECONDS)
    return value
