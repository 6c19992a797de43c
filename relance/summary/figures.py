"""The computation of a round's figures (values.py holds what it computes); see the
package's docstring."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from projects.models import Fiche, ReportingRound, Speerpunt
from projects.models.rounds import resolve_envelopes

from .extras import Changes, TransitionTotals
from .observations import observations
from .outlook import change, forecast, headline, transitions
from .queries import PROJECT_COUNTS, TAGGED, round_rows, scope
from .values import (
    GOOD_MILESTONES,
    HUNDRED,
    MILESTONE_STATUSES,
    PROJECT_STATUSES,
    ClusterFigures,
    Figures,
    MilestoneFigures,
    MoneyFigures,
    ProjectFigures,
    RoundSummary,
    SpeerpuntFigures,
    round_half_up,
    share,
)


def _euro(cents: int | None) -> Decimal:
    return Decimal(cents or 0) / HUNDRED


@dataclass
class _Sums:
    """Running totals of one scope (the round, or one speerpunt)."""

    projects: dict[str, int]
    milestones: dict[str, int]
    carried: int = 0
    budget: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)

    @classmethod
    def empty(cls) -> _Sums:
        return cls(dict.fromkeys(PROJECT_STATUSES, 0), dict.fromkeys(MILESTONE_STATUSES, 0))


@dataclass
class _Money:
    budget: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    # Per TAGGED annotation: cents times coefficient, summed (exact).
    tagged: dict[str, int] = field(default_factory=dict)


def _money_by_speerpunt(rows: Iterable[Mapping[str, Any]]) -> dict[int | None, _Money]:
    money: dict[int | None, _Money] = defaultdict(_Money)
    for row in rows:
        for key in (row["speerpunt"], None):  # None: the whole round
            money[key].budget += _euro(row["budget"])
            money[key].committed += _euro(row["committed"])
            money[key].paid += _euro(row["paid"])
            for name, _part, _coefficient in TAGGED:
                money[key].tagged[name] = money[key].tagged.get(name, 0) + (row[name] or 0)
    return money


def _add(sums: dict[str, int], counts: Mapping[str, int]) -> None:
    for status, n in counts.items():
        sums[status] += n


def _year_before(chain: list[ReportingRound]) -> ReportingRound | None:
    """The closed round of the same month a year earlier, if there is one."""
    reference = chain[0].reference_date
    return next(
        (
            r
            for r in chain[1:]
            if (r.reference_date.year, r.reference_date.month)
            == (reference.year - 1, reference.month)
        ),
        None,
    )


def _figures(
    sums: _Sums,
    money: _Money,
    before: _Money | None,
    envelopes: tuple[Decimal | None, Decimal | None] | None = None,
) -> Figures:
    """A scope's figures. With ``envelopes`` (this round's and the previous round's: the
    whole plan), percentages are of each round's own envelope; without, of the scope's
    budget in each round."""
    good = sum(sums.milestones[status] for status in GOOD_MILESTONES)
    milestones_total = sum(sums.milestones.values())
    envelope, envelope_before = envelopes if envelopes else (None, None)
    base = envelope if envelopes else money.budget
    base_before = envelope_before if envelopes else (before.budget if before else None)
    committed_pct = share(money.committed, base) if base is not None else None
    paid_pct = share(money.paid, base) if base is not None else None

    def change_points(now: Decimal | None, part: Decimal) -> Decimal | None:
        if before is None or base_before is None:
            return None
        earlier = share(part, base_before)
        return None if now is None or earlier is None else now - earlier

    return Figures(
        projects=ProjectFigures(
            total=sum(sums.projects.values()),
            counts=dict(sums.projects),
            carried_forward=sums.carried,
        ),
        milestones=MilestoneFigures(
            total=milestones_total,
            counts=dict(sums.milestones),
            on_schedule_or_realised=good,
            on_schedule_or_realised_pct=round_half_up(share(good, milestones_total)),
        ),
        finance=MoneyFigures(
            budget_eur=money.budget,
            envelope_eur=envelope,
            committed_eur=money.committed,
            paid_eur=money.paid,
            committed_pct=round_half_up(committed_pct),
            paid_pct=round_half_up(paid_pct),
            committed_change_eur=None if before is None else money.committed - before.committed,
            paid_change_eur=None if before is None else money.paid - before.paid,
            committed_change_pct_points=round_half_up(
                change_points(committed_pct, before.committed if before else Decimal(0))
            ),
            paid_change_pct_points=round_half_up(
                change_points(paid_pct, before.paid if before else Decimal(0))
            ),
        ),
    )


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
    """The figures of a round (a ReportingRound or its code), in total and per speerpunt.

    A round's projects are those with a fiche in it: every project in the plan, finished
    ones included (their fiches are carried forward), so counts and money are cumulative.

    The whole plan's VAK and VEK are percentages of the round's envelope
    (``ReportingRound.effective_envelope``: frozen when the round closed), and their change
    in percentage points compares with the previous round's percentage of *its* envelope.
    A speerpunt's figures, and every figure of a filtered summary, are percentages of that
    part's budget in each round (``finance.envelope_eur`` is None there), so that
    ``by_speerpunt`` of the whole plan equals ``round_summary(speerpunt=n).totals``.

    The keyword filters keep part of the plan: one speerpunt (by number), one policy
    domain (by code), the RRF projects only. They apply to every figure, the previous
    round's included, so that changes compare like with like.

    Beyond the counts: the change of the headline figures since the previous round and
    the round a year before, the milestones' span of years, the amounts tagged per
    transition and the observations per speerpunt (no extra query), and, with ``outlook``
    (one query more), the forecast (outlook.py). Without ``clusters``, no ``by_cluster``
    (the heat map's counts): a country's thousands of clusters are not read.

    ``ReportingRound.DoesNotExist`` for an unknown code.
    """
    if isinstance(reporting_round, str):
        reporting_round = ReportingRound.objects.get(code=reporting_round)
    # One query for the previous round and both rounds' envelopes (``chain``, when given).
    chain = chain or reporting_round.envelope_chain()
    previous = chain[1] if len(chain) > 1 else None
    year_before = _year_before(chain)
    earlier = {r.pk: r for r in (previous, year_before) if r is not None}
    resolved = resolve_envelopes(chain)
    filtered = speerpunt is not None or domain is not None or rrf_only
    envelopes = None if filtered else (resolved[0], resolved[1] if previous else None)
    kept = scope(speerpunt, domain, rrf_only)
    money_rows, project_counts, milestone_counts = round_rows(
        reporting_round, chain, earlier, kept, (speerpunt, domain, rrf_only), clusters=clusters
    )
    by_round: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in money_rows:
        by_round[row["round_id"]].append(row)
    money = _money_by_speerpunt(by_round[reporting_round.pk])
    before = _money_by_speerpunt(by_round[previous.pk]) if previous else None

    sums: dict[int | None, _Sums] = defaultdict(_Sums.empty)
    earlier_sums: dict[int, _Sums] = defaultdict(_Sums.empty)
    by_status: dict[tuple[int, str, int], dict[str, int]] = {}
    for row in project_counts:
        counts = {status: row[column] for status, column in PROJECT_COUNTS}
        if row["round_id"] != reporting_round.pk:
            _add(earlier_sums[row["round_id"]].projects, counts)
            continue
        for key in (row["speerpunt"], None):
            _add(sums[key].projects, counts)
            sums[key].carried += row["carried"]
        if clusters:  # one row per cluster
            by_status[(row["cluster"], row["cluster_name"], row["speerpunt"])] = counts
    span: list[Any] = []
    for row in milestone_counts:
        if row["round_id"] != reporting_round.pk:
            earlier_sums[row["round_id"]].milestones[row["status"]] += row["n"]
            continue
        span += [row["first"], row["last"]]
        for key in (row["speerpunt"], None):
            sums[key].milestones[row["status"]] += row["n"]

    present = {key for key in [*sums, *money] if key is not None}
    names: dict[int, str] = {}
    speerpunten = {
        pk: (number, name)
        for pk, number, name, names[pk] in Speerpunt.objects.filter(pk__in=present).values_list(
            "pk", "number", "name", "name_en"
        )
    }
    ordered = sorted(speerpunten.items(), key=lambda item: item[1][0])
    by_speerpunt = tuple(
        SpeerpuntFigures(
            number=number,
            name=name,
            name_en=names[pk],
            figures=_figures(
                sums[pk],
                money.get(pk, _Money()),
                before.get(pk, _Money()) if before is not None else None,
            ),
        )
        for pk, (number, name) in ordered
    )
    by_cluster = tuple(
        ClusterFigures(
            number=number,
            name=name,
            speerpunt=speerpunten[speerpunt_pk][0],
            projects=ProjectFigures(total=sum(counts.values()), counts=counts),
        )
        for (number, name, speerpunt_pk), counts in sorted(by_status.items())
    )
    whole = money.get(None, _Money())

    def headline_of(r: ReportingRound | None) -> Any:
        if r is None:
            return None
        round_money = _money_by_speerpunt(by_round[r.pk]).get(None, _Money())
        counted = earlier_sums[r.pk]
        return headline(
            r, counted.projects, counted.milestones, round_money.committed, round_money.paid
        )

    now = headline(
        reporting_round, sums[None].projects, sums[None].milestones, whole.committed, whole.paid
    )
    return RoundSummary(
        round=reporting_round,
        previous=previous,
        totals=_figures(
            sums[None],
            whole,
            before.get(None, _Money()) if before is not None else None,
            envelopes,
        ),
        by_speerpunt=by_speerpunt,
        by_cluster=by_cluster,
        speerpunt=speerpunt,
        domain=domain,
        rrf_only=rrf_only,
        changes=Changes(
            since_previous_round=change(now, headline_of(previous)),
            since_year_before=change(now, headline_of(year_before)),
        ),
        milestone_years=(min(span).year, max(span).year) if span else None,
        transitions=TransitionTotals(
            plan=transitions(whole.budget, whole.tagged),
            by_speerpunt=tuple(
                (
                    number,
                    transitions(money.get(pk, _Money()).budget, money.get(pk, _Money()).tagged),
                )
                for pk, (number, _name) in ordered
            ),
        ),
        forecast=forecast(reporting_round, kept) if outlook else None,
        observations=observations(by_speerpunt),
    )


def project_status_by_round(
    rounds: Iterable[ReportingRound],
    *,
    speerpunt: int | None = None,
    domain: str | None = None,
    rrf_only: bool = False,
) -> dict[int, dict[str, int]]:
    """Projects per status in each of ``rounds``, by round id, in one query; a round's
    counts are those of ``round_summary(round, ...)`` with the same filters."""
    counts = {reporting_round.pk: dict.fromkeys(PROJECT_STATUSES, 0) for reporting_round in rounds}
    rows = (
        Fiche.objects.filter(scope(speerpunt, domain, rrf_only), round_id__in=list(counts))
        .values("round_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["round_id"]][row["status"]] = row["n"]
    return counts
