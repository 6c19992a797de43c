"""A round against the round before it (by reference date): how the projects' statuses
moved, which projects changed status or flag, the money that moved and the milestones that
slipped.

The totals are those of ``round_summary`` for each round; the rows behind them come from
four queries, whatever the plan's size. A closed round's comparison never changes: it is
kept in the cache, keyed like its summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from milestones.models import Milestone, MilestoneState
from projects.models import Project, ProjectStatus, ReportingRound, StatusFlag
from relance.summary import RoundSummary, round_summary
from relance.summary.cache import closed_key
from relance.summary.values import PROJECT_STATUSES

NONE = ""  # a project without a fiche in one of the two rounds
# The page lists this many of the projects that moved and of the milestones that slipped
# (their counts are all of them): at a hundred plans' size there are tens of thousands.
LISTED = 100


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
    moves: list[ProjectMove]
    movers: list[ProjectMove]  # the largest changes in money
    slips: list[Slip]
    rrf_only: bool = False  # the RRF projects only

    @property
    def listed_moves(self) -> list[ProjectMove]:
        return self.moves[:LISTED]

    @property
    def listed_slips(self) -> list[Slip]:
        return self.slips[:LISTED]

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


def _raised_flag(fiche: str) -> Subquery:
    return Subquery(
        StatusFlag.objects.filter(fiche=OuterRef(fiche), lifted_at__isnull=True).values("level")[:1]
    )


def compare_rounds(
    reporting_round: ReportingRound, *, movers: int = 10, rrf_only: bool = False
) -> Comparison:
    """``reporting_round`` against the round before it; see the module's docstring.
    ``rrf_only``: the RRF projects only, in every figure and row. A closed round's
    comparison is kept in the cache, as its summary is (relance/summary/cache.py)."""
    chain = reporting_round.envelope_chain()
    key = closed_key("comparison", chain, movers, rrf_only)
    if key is None:
        return _compare(reporting_round, chain, movers=movers, rrf_only=rrf_only)
    comparison: Comparison | None = cache.get(key)
    if comparison is None:
        comparison = _compare(reporting_round, chain, movers=movers, rrf_only=rrf_only)
        cache.set(key, comparison, settings.RELANCE_SUMMARY_CACHE_SECONDS)
    return comparison


def _compare(
    reporting_round: ReportingRound, chain: list[ReportingRound], *, movers: int, rrf_only: bool
) -> Comparison:
    summary = round_summary(reporting_round, rrf_only=rrf_only, chain=chain)
    previous = summary.previous
    previous_summary = round_summary(previous, rrf_only=rrf_only) if previous else None

    projects = Project.objects.of_rrf() if rrf_only else Project.objects.all()
    both = projects.annotate(
        now=FilteredRelation("fiches", condition=Q(fiches__round=reporting_round)),
        then=FilteredRelation("fiches", condition=Q(fiches__round=previous)),
    ).filter(Q(now__isnull=False) | Q(then__isnull=False))

    columns = [*PROJECT_STATUSES, NONE]
    matrix = {before: dict.fromkeys(columns, 0) for before in columns}
    pairs = (
        both.values(before=F("then__status"), after=F("now__status"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in pairs:
        matrix[row["before"] or NONE][row["after"] or NONE] += row["n"]

    rows = (
        both.annotate(
            speerpunt_number=F("cluster__speerpunt__number"),
            status_before=F("then__status"),
            status_after=F("now__status"),
            flag_before=_raised_flag("then__pk"),
            flag_after=_raised_flag("now__pk"),
            committed_before=F("then__finance__committed_eur"),
            committed_after=F("now__finance__committed_eur"),
            paid_before=F("then__finance__paid_eur"),
            paid_after=F("now__finance__paid_eur"),
        )
        .values(
            "code",
            "title",
            "speerpunt_number",
            "status_before",
            "status_after",
            "flag_before",
            "flag_after",
            "committed_before",
            "committed_after",
            "paid_before",
            "paid_after",
        )
        .order_by("code")
    )
    all_moves = [
        ProjectMove(
            code=row["code"],
            title=row["title"],
            speerpunt=row["speerpunt_number"],
            status_before=row["status_before"],
            status_after=row["status_after"],
            flag_before=_flag(row["flag_before"], row["status_before"]),
            flag_after=_flag(row["flag_after"], row["status_after"]),
            committed_change=_change(row["committed_before"], row["committed_after"]),
            paid_change=_change(row["paid_before"], row["paid_after"]),
        )
        for row in rows
    ]
    moves = [m for m in all_moves if previous and (m.status_changed or m.flag_changed)]
    biggest = sorted(
        (m for m in all_moves if previous and (m.committed_change or m.paid_change)),
        key=lambda m: abs(m.paid_change or Decimal(0)) + abs(m.committed_change or Decimal(0)),
        reverse=True,
    )[:movers]
    return Comparison(
        round=reporting_round,
        previous=previous,
        summary=summary,
        previous_summary=previous_summary,
        matrix=matrix,
        moves=moves,
        movers=biggest,
        slips=_slips(reporting_round, previous, rrf_only=rrf_only) if previous else [],
        rrf_only=rrf_only,
    )


def _flag(level: str | None, status: str | None) -> str | None:
    """The raised flag's level; else an orange or red status (a round imported from a
    workbook has the status without the flag's record)."""
    if level:
        return level
    return status if status in ProjectStatus.flags() else None


def _change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None and after is None:
        return None
    return (after or Decimal(0)) - (before or Decimal(0))


def _slips(
    reporting_round: ReportingRound, previous: ReportingRound, *, rrf_only: bool
) -> list[Slip]:
    """Milestones expected later than at the round before (their forecast, or their
    deadline while they had none), or delayed now and not then."""
    expected_before = Coalesce("then__forecast_date", "deadline")
    expected_after = Coalesce("now__forecast_date", "deadline")
    milestones = Milestone.objects.of_rrf_projects() if rrf_only else Milestone.objects.all()
    slipped = (
        milestones.annotate(
            now=FilteredRelation("statuses", condition=Q(statuses__round=reporting_round)),
            then=FilteredRelation("statuses", condition=Q(statuses__round=previous)),
        )
        .filter(now__isnull=False)
        .annotate(expected_before=expected_before, expected_after=expected_after)
        .filter(
            Q(now__status=MilestoneState.DELAYED)
            & (Q(then__isnull=True) | ~Q(then__status=MilestoneState.DELAYED))
            | Q(then__isnull=False, expected_after__gt=F("expected_before"))
            & ~Q(now__status__in=[MilestoneState.REALISED, MilestoneState.STOPPED])
        )
        .values(
            "number",
            "description",
            "deadline",
            "expected_before",
            "expected_after",
            project_code=F("project__code"),
            project_title=F("project__title"),
            status_before=F("then__status"),
            status_after=F("now__status"),
        )
        .order_by("project__code", "number")
    )
    return [Slip(**row) for row in slipped]
