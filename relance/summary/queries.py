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


def round_rows(
    reporting_round: ReportingRound,
    chain: list[ReportingRound],
    earlier: Mapping[int, ReportingRound],
    kept: Q,
    filters: tuple[Any, ...],
) -> tuple[Rows, Rows, Rows]:
    """The money, the projects and the milestones of the round and of the ``earlier``
    (closed) rounds its changes compare with, summed in SQL: three queries. The earlier
    rounds' rows never change (a closed round's data is frozen, projects/closed_rounds.py),
    so they are kept in the cache under their chain (``chain[1:]``, the previous round's
    own), and the queries then read the round's own rows only: half the rows a plan of two
    rounds would have them scan after every save."""
    key = closed_key("earlier-rows", chain[1:], *filters, sorted(earlier)) if earlier else None
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
    project_counts = (
        Fiche.objects.filter(kept, round_id__in=rounds)
        .values(
            "round_id",
            "status",
            "carried_forward",
            speerpunt=F(speerpunt_id),
            cluster=F("project__cluster__number"),
            cluster_name=F("project__cluster__name"),
        )
        .annotate(n=Count("pk"))
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
        # What the earlier rounds count: not their clusters, which only the round's own
        # heat map reads.
        found = tuple(
            [row for row in rows if row["round_id"] != reporting_round.pk] for rows in read
        )
        cache.set(key, found, settings.RELANCE_SUMMARY_CACHE_SECONDS)
        return read
    return (read[0] + found[0], read[1] + found[1], read[2] + found[2])
