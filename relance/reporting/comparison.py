"""A round against the round before it (by reference date): how the projects' statuses
moved, which projects changed status or flag, the money that moved and the milestones that
slipped.

The totals are those of ``round_summary`` for each round. The rest is computed in SQL
(comparison_queries.py), in five queries whatever the plan's size: the from → to matrix
(a GROUP BY over the two rounds' fiches joined on the project), the first ``LISTED``
projects that moved and milestones that slipped (by code, LIMIT), the exact count of each
(one query), and the largest movements in money (ORDER BY … LIMIT): nothing per project or
milestone in Python. A closed round's comparison never changes: it is kept in the cache,
keyed like its summary; an open round's is kept under the data version
(relance/summary/version.py: a save, a flag raised or lifted, changes it), so that only the
first request after a change computes it.

The comparison's summaries leave out the forecast (``outlook``) and the clusters: the page
shows neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar, overload

from django.db.models import Count, F

from milestones.models import MilestoneState
from projects.models import ReportingRound
from relance.summary import RoundSummary, round_summary
from relance.summary.cache import closed_key, kept, version_key
from relance.summary.values import PROJECT_STATUSES

from . import comparison_queries as queries

NONE = ""  # a project without a fiche in one of the two rounds
# The page lists this many of the projects that moved and of the milestones that slipped
# (their counts are all of them): at a hundred plans' size there are tens of thousands.
LISTED = 100


T = TypeVar("T")


class Listing(Sequence[T]):
    """The first rows of a long list and the exact number of all of them: what the page
    shows. The rest is fetched (by ``rest``, which must pickle: the closed rounds'
    comparisons are cached) only when someone reads past the first rows."""

    def __init__(self, first: list[T], total: int, rest: Callable[[], list[T]]) -> None:
        self.first, self.total, self.rest = first, total, rest

    def everything(self) -> list[T]:
        return self.first if len(self.first) >= self.total else self.rest()

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[T]:
        return iter(self.everything())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice) and index.start is None and index.step is None:
            stop = index.stop
            if stop is not None and 0 <= stop <= len(self.first):
                return self.first[:stop]
        return self.everything()[index]

    def __add__(self, other: Sequence[T]) -> list[T]:
        return [*self, *other]

    def __repr__(self) -> str:
        return f"<Listing: {len(self.first)} of {self.total}>"


@dataclass(frozen=True)
class ProjectMove:
    code: str
    title: str
    speerpunt: int
    status_before: str | None
    status_after: str | None
    flag_before: str | None  # the raised flag's level, if any
    flag_after: str | None
    committed_change: Decimal | None
    paid_change: Decimal | None

    @property
    def status_changed(self) -> bool:
        return self.status_before != self.status_after

    @property
    def flag_changed(self) -> bool:
        return self.flag_before != self.flag_after


@dataclass(frozen=True)
class Slip:
    project_code: str
    project_title: str
    number: int
    description: str
    deadline: dt.date
    status_before: str | None
    status_after: str
    expected_before: dt.date | None  # the forecast, else the deadline
    expected_after: dt.date | None

    @property
    def newly_delayed(self) -> bool:
        return self.status_after == MilestoneState.DELAYED and (
            self.status_before != MilestoneState.DELAYED
        )

    @property
    def days_later(self) -> int | None:
        if self.expected_before is None or self.expected_after is None:
            return None
        return (self.expected_after - self.expected_before).days


@dataclass(frozen=True)
class Comparison:
    round: ReportingRound
    previous: ReportingRound | None
    summary: RoundSummary
    previous_summary: RoundSummary | None
    # matrix[before][after]: projects that went from one status to the other; NONE for
    # "no fiche in that round".
    matrix: dict[str, dict[str, int]]
    moves: Sequence[ProjectMove]  # a Listing: the first LISTED, counted all
    movers: list[ProjectMove]  # the largest changes in money
    slips: Sequence[Slip]  # a Listing, as moves
    rrf_only: bool = False  # the RRF projects only

    @property
    def listed_moves(self) -> list[ProjectMove]:
        return list(self.moves[:LISTED])

    @property
    def listed_slips(self) -> list[Slip]:
        return list(self.slips[:LISTED])

    @property
    def statuses(self) -> tuple[str, ...]:
        return PROJECT_STATUSES

    @property
    def rows(self) -> list[tuple[str, list[tuple[int, bool]], int]]:
        """The matrix as table rows: (status before, (count, unchanged) per status after,
        total), leaving out the statuses no project had before."""
        columns = [*PROJECT_STATUSES, NONE]
        return [
            (
                before,
                [
                    (self.matrix[before][after], bool(before) and after == before)
                    for after in columns
                ],
                sum(self.matrix[before].values()),
            )
            for before in columns
            if sum(self.matrix[before].values())
        ]

    @property
    def total(self) -> int:
        """Projects with a fiche in either round: what the matrix's rows and columns add up
        to. A finished project carried forward is one of them (realised → realised); one
        that left the plan goes to "no fiche"."""
        return sum(sum(row.values()) for row in self.matrix.values())

    @property
    def column_totals(self) -> list[int]:
        return [
            sum(self.matrix[b][after] for b in self.matrix) for after in [*PROJECT_STATUSES, NONE]
        ]


def compare_rounds(
    reporting_round: ReportingRound,
    *,
    movers: int = 10,
    rrf_only: bool = False,
    chain: list[ReportingRound] | None = None,
    version: str | None = None,
) -> Comparison:
    """``reporting_round`` against the round before it; see the module's docstring.
    ``rrf_only``: the RRF projects only, in every figure and row. A closed round's
    comparison is kept in the cache, as its summary is (relance/summary/cache.py); another
    under the data ``version`` (``data_version()``), when the caller has read it.
    ``chain``: the round's ``envelope_chain()``, if the caller has it already."""
    chain = chain or reporting_round.envelope_chain()
    key = closed_key("comparison", chain, movers, rrf_only) or version_key(
        "open-comparison", version, reporting_round.pk, movers, rrf_only
    )
    return kept(key, lambda: _compare(reporting_round, chain, movers=movers, rrf_only=rrf_only))


def _compare(
    reporting_round: ReportingRound, chain: list[ReportingRound], *, movers: int, rrf_only: bool
) -> Comparison:
    # Without the forecast and the clusters, which the page does not show: a country's
    # thousands of clusters are neither counted nor read back from the cache.
    summary = round_summary(
        reporting_round, rrf_only=rrf_only, outlook=False, clusters=False, chain=chain
    )
    previous = summary.previous
    # chain[1] is the previous round: the rest of the chain is its own.
    previous_summary = (
        round_summary(previous, rrf_only=rrf_only, outlook=False, clusters=False, chain=chain[1:])
        if previous
        else None
    )

    both = queries.both(reporting_round, previous, rrf_only=rrf_only)
    columns = [*PROJECT_STATUSES, NONE]
    matrix = {before: dict.fromkeys(columns, 0) for before in columns}
    pairs = (
        both.values(before=F("then__status"), after=F("now__status"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in pairs:
        matrix[row["before"] or NONE][row["after"] or NONE] += row["n"]

    if previous is None:
        return Comparison(
            round=reporting_round,
            previous=None,
            summary=summary,
            previous_summary=None,
            matrix=matrix,
            moves=[],
            movers=[],
            slips=[],
            rrf_only=rrf_only,
        )
    rounds = (reporting_round.pk, previous.pk)
    moved = queries.moved(both)
    slipped = queries.slipped(reporting_round, previous, rrf_only=rrf_only)
    biggest = queries.biggest_movers(both)[:movers]
    # Counted without what only the listed rows show (the project's code and title).
    moves_count, slips_count = queries.counts(
        queries.changed(both),
        queries.slipped_milestones(reporting_round, previous, rrf_only=rrf_only),
    )
    return Comparison(
        round=reporting_round,
        previous=previous,
        summary=summary,
        previous_summary=previous_summary,
        matrix=matrix,
        moves=Listing(
            [_move(row) for row in moved[:LISTED]],
            moves_count,
            partial(_all_moves, *rounds, rrf_only),
        ),
        movers=[_move(row) for row in biggest],
        slips=Listing(
            [_slip(row) for row in slipped[:LISTED]],
            slips_count,
            partial(_all_slips, *rounds, rrf_only),
        ),
        rrf_only=rrf_only,
    )


Row = dict[str, Any]


def _move(row: Row) -> ProjectMove:
    return ProjectMove(
        code=row["code"],
        title=row["title"],
        speerpunt=row["speerpunt_number"],
        status_before=row["status_before"],
        status_after=row["status_after"],
        flag_before=row["flag_before"] or None,
        flag_after=row["flag_after"] or None,
        committed_change=_change(row["committed_before"], row["committed_after"]),
        paid_change=_change(row["paid_before"], row["paid_after"]),
    )


def _rounds(*pks: int) -> list[ReportingRound]:
    found = ReportingRound.objects.in_bulk(pks)
    return [found[pk] for pk in pks]


def _all_moves(now: int, then: int, rrf_only: bool) -> list[ProjectMove]:
    """Every project that moved (what ``Comparison.moves`` holds past its first rows)."""
    reporting_round, previous = _rounds(now, then)
    both = queries.both(reporting_round, previous, rrf_only=rrf_only)
    return [_move(row) for row in queries.moved(both)]


def _all_slips(now: int, then: int, rrf_only: bool) -> list[Slip]:
    reporting_round, previous = _rounds(now, then)
    return [_slip(row) for row in queries.slipped(reporting_round, previous, rrf_only=rrf_only)]


def _change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None and after is None:
        return None
    return (after or Decimal(0)) - (before or Decimal(0))


def _slip(row: Row) -> Slip:
    return Slip(**row)
