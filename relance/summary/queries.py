"""The queries of a round's figures (figures.py computes the figures from their rows):
the money, the projects and the milestones of a round and of the closed rounds its changes
compare with, summed in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import Cast, Coalesce, Round

from milestones.models import MilestoneStatus
from projects.models import Fiche, ReportingRound

from .extras import TRANSITIONS
from .keys import closed_key
from .values import PROJECT_STATUSES


def _cents(expression: Any) -> Cast:
    """An amount as whole cents: integer sums are exact on every database."""
    return Cast(Round(expression * 100), BigIntegerField())


# The tagged amounts: (annotation, amount, coefficient) per transition and amount.
TAGGED = tuple(
    (f"{name}_{part}", part, f"project__{name}_coefficient")
    for name in TRANSITIONS
    for part in ("budget", "committed", "paid")
)


def _tagged(amount: Any, coefficient: str) -> ExpressionWrapper:
    return ExpressionWrapper(_cents(amount) * F(coefficient), output_field=BigIntegerField())


def scope(
    speerpunt: int | None = None,
    domain: str | None = None,
    rrf_only: bool = False,
    *,
    project: str = "project",
) -> Q:
    """The part of the plan that round_summary's filters keep, as a condition on the
    project reached through ``project`` (``"project"`` from a fiche)."""
    condition = Q()
    if speerpunt is not None:
        condition &= Q(**{f"{project}__cluster__speerpunt__number": speerpunt})
    if domain is not None:
        condition &= Q(**{f"{project}__domain__code": domain})
    if rrf_only:
        condition &= Q(**{f"{project}__is_rrf": True})
    return condition


Rows = list[dict[str, Any]]

# The projects' count per status: (status, column of the projects' rows).
PROJECT_COUNTS = tuple((status, f"status_{status}") for status in PROJECT_STATUSES)


def round_rows(
    reporting_round: ReportingRound,
    chain: list[ReportingRound],
    earlier: Mapping[int, ReportingRound],
    kept: Q,
    filters: tuple[Any, ...],
    *,
    clusters: bool = True,
) -> tuple[Rows, Rows, Rows]:
    """The money, the projects and the milestones of the round and of the ``earlier``
    (closed) rounds its changes compare with, summed in SQL: three queries. The earlier
    rounds' rows never change (a closed round's data is frozen, projects/closed_rounds.py),
    so they are kept in the cache under their chain (``chain[1:]``, the previous round's
    own), and the queries then read the round's own rows only: half the rows a plan of two
    rounds would have them scan after every save.

    The projects are counted per status in columns (``PROJECT_COUNTS``: one row per
    speerpunt, or per cluster with ``clusters``, not one per status and cluster), and
    ``carried`` of them carried forward."""
    key = closed_key("earlier-counts", chain[1:], *filters, sorted(earlier)) if earlier else None
    found = cache.get(key) if key is not None else None
    rounds = [reporting_round.pk, *([] if found is not None else earlier)]
    speerpunt_id = "project__cluster__speerpunt_id"
    budget = Coalesce("finance__budget_eur", "project__budget_eur")
    amounts = {
        "budget": budget,
        "committed": F("finance__committed_eur"),
        "paid": F("finance__paid_eur"),
    }
    money_rows = (
        Fiche.objects.filter(kept, round_id__in=rounds)
        .values("round_id", speerpunt=F(speerpunt_id))
        .annotate(
            budget=Sum(_cents(budget)),
            committed=Sum(_cents(F("finance__committed_eur"))),
            paid=Sum(_cents(F("finance__paid_eur"))),
            **{
                name: Sum(_tagged(amounts[part], coefficient)) for name, part, coefficient in TAGGED
            },
        )
        .order_by()
    )
    cluster = (
        {"cluster": F("project__cluster__number"), "cluster_name": F("project__cluster__name")}
        if clusters
        else {}
    )
    project_counts = (
        Fiche.objects.filter(kept, round_id__in=rounds)
        .values("round_id", speerpunt=F(speerpunt_id), **cluster)
        .annotate(
            carried=Count("pk", filter=Q(carried_forward=True)),
            **{column: Count("pk", filter=Q(status=status)) for status, column in PROJECT_COUNTS},
        )
        .order_by()
    )
    milestone_counts = (
        MilestoneStatus.objects.filter(
            scope(*filters, project="milestone__project"), round_id__in=rounds
        )
        .values("round_id", "status", speerpunt=F("milestone__project__cluster__speerpunt_id"))
        .annotate(n=Count("pk"), first=Min("milestone__deadline"), last=Max("milestone__deadline"))
        .order_by()
    )
    read = (list(money_rows), list(project_counts), list(milestone_counts))
    if key is None:
        return read
    if found is None:
        found = _earlier(read, reporting_round.pk)
        cache.set(key, found, settings.RELANCE_SUMMARY_CACHE_SECONDS)
        return read
    return (read[0] + found[0], read[1] + found[1], read[2] + found[2])


def _earlier(read: tuple[Rows, Rows, Rows], pk: int) -> tuple[Rows, Rows, Rows]:
    """What the earlier rounds count, as the summary reads it (their money per speerpunt,
    their projects and milestones per status, round_summary's ``earlier_sums``): not their
    clusters, which only the round's own heat map reads, nor their milestones' deadlines.
    A country's cluster rows made this entry a third of a megabyte to read back."""
    money, projects, milestones = ([row for row in rows if row["round_id"] != pk] for rows in read)
    columns = ("carried", *(column for _status, column in PROJECT_COUNTS))
    project_sums: dict[int, dict[str, int]] = {}
    for row in projects:
        sums = project_sums.setdefault(row["round_id"], dict.fromkeys(columns, 0))
        for column in columns:
            sums[column] += row[column]
    milestone_sums: dict[tuple[int, str], int] = {}
    for row in milestones:
        counted = (row["round_id"], row["status"])
        milestone_sums[counted] = milestone_sums.get(counted, 0) + row["n"]
    return (
        money,
        [{"round_id": key, "speerpunt": None, **sums} for key, sums in project_sums.items()],
        [
            {"round_id": round_id, "status": status, "n": n}
            for (round_id, status), n in milestone_sums.items()
        ],
    )
