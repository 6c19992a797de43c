"""A closed round's summary, kept in Django's cache: a closed round's data never changes
(the database refuses it, projects/closed_rounds.py), and neither do the closed rounds
before it that its changes and envelope come from. The key holds the filters and the
round's envelope chain (this round and the closed rounds before it: id, state, reference
date, closing time, envelope), which the summary reads first in any case, so that a round
that closes, reopens or is added before it changes the key: nothing needs to be cleared.
An open or draft round is computed every time.

Not in the key: a rename of a speerpunt or cluster after the round closed (its summary
keeps the names it was computed with until the entry expires,
``RELANCE_SUMMARY_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache

from projects.models import ReportingRound

from .figures import round_summary as compute_round_summary
from .values import RoundSummary


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


def round_summary(
    reporting_round: ReportingRound | str,
    *,
    speerpunt: int | None = None,
    domain: str | None = None,
    rrf_only: bool = False,
    outlook: bool = True,
    chain: list[ReportingRound] | None = None,
) -> RoundSummary:
    """``relance.summary.figures.round_summary`` (see there), from the cache for a closed
    round; see the module's docstring. The same queries as that one when it computes, one
    when the cache holds the summary (none when ``chain``, the round's
    ``envelope_chain()``, is given)."""
    if isinstance(reporting_round, str):
        reporting_round = ReportingRound.objects.get(code=reporting_round)
    chain = chain or reporting_round.envelope_chain()

    def compute() -> RoundSummary:
        return compute_round_summary(
            reporting_round,
            speerpunt=speerpunt,
            domain=domain,
            rrf_only=rrf_only,
            outlook=outlook,
            chain=chain,
        )

    key = closed_key("summary", chain, speerpunt, domain, rrf_only, outlook)
    if key is None:
        return compute()
    summary: RoundSummary | None = cache.get(key)
    if summary is None:
        summary = compute()
        cache.set(key, summary, settings.RELANCE_SUMMARY_CACHE_SECONDS)
    return summary
