"""A closed round's summary, kept in Django's cache: a closed round's data never changes
(the database refuses it, projects/closed_rounds.py), and neither do the closed rounds
before it that its changes and envelope come from. The key holds the filters and the
round's envelope chain (this round and the closed rounds before it: id, state, reference
date, closing time, envelope), which the summary reads first in any case, so that a round
that closes, reopens or is added before it changes the key: nothing needs to be cleared.
An open or draft round is computed every time here; the dashboard keeps what it shows of
one under the data version (version.py), which every committed change to the figures'
tables changes (``version_key``, ``kept``).

Not in the key: a rename of a speerpunt or cluster after the round closed (its summary
keeps the names it was computed with until the entry expires,
``RELANCE_SUMMARY_CACHE_SECONDS``).
"""

from __future__ import annotations

from projects.models import ReportingRound

from .figures import round_summary as compute_round_summary
from .keys import closed_key, kept, version_key
from .values import RoundSummary

__all__ = ["closed_key", "envelope_chain", "kept", "round_summary", "version_key"]


def envelope_chain(reporting_round: ReportingRound, version: str | None) -> list[ReportingRound]:
    """``reporting_round.envelope_chain()`` (it sums every round's budgets), from the cache
    under the data ``version`` when there is one."""
    return kept(version_key("chain", version, reporting_round.pk), reporting_round.envelope_chain)


def round_summary(
    reporting_round: ReportingRound | str,
    *,
    speerpunt: int | None = None,
    domain: str | None = None,
    rrf_only: bool = False,
    outlook: bool = True,
    clusters: bool = True,
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
            clusters=clusters,
            chain=chain,
        )

    key = closed_key("summary", chain, speerpunt, domain, rrf_only, outlook, clusters)
    return kept(key, compute)


def round_summary_json(
    reporting_round: ReportingRound, *, chain: list[ReportingRound] | None = None
) -> dict:
    """``round_summary(reporting_round).as_json()`` (the API's round summary and
    ``round_summary --json``), kept as the summary is for a closed round: a country's
    summary is large to unpickle and to turn into JSON again."""
    chain = chain or reporting_round.envelope_chain()
    return kept(
        closed_key("summary-json", chain),
        lambda: round_summary(reporting_round, chain=chain).as_json(),
    )
