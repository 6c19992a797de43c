"""The public dashboard: the signed-in dashboard's figures, charts, heat map and filters
(relance.reporting.dashboard), over the closed rounds only, with every link leading to a
public page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.urls import reverse

from projects.models import Cluster, PolicyDomain, ReportingRound, Speerpunt
from relance.reporting import heatmap
from relance.reporting.rows import Scope

from .cache import cached, rounds_signature


@dataclass(frozen=True)
class PublicScope(Scope):
    """A scope whose links open the public project list instead of the signed-in tables."""

    dashboard: ClassVar[str] = "public:dashboard"

    def projects_url(self, reporting_round: ReportingRound | None = None, **extra: Any) -> str:
        query = {
            "round": (reporting_round or self.round).code,
            "speerpunt": self.speerpunt,
            "domain": self.domain,
            "rrf": "1" if self.rrf_only else None,
            **extra,
        }
        return public_projects_url(query)

    def milestones_url(self, **extra: Any) -> str:
        """There is no public milestone table: the projects the milestones belong to."""
        return self.projects_url(speerpunt=extra.get("speerpunt", self.speerpunt))


def public_projects_url(query: dict[str, Any]) -> str:
    kept = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse('public:projects')}?{urlencode(kept)}"


def public_scope(scope: Scope) -> PublicScope:
    return PublicScope(
        round=scope.round,
        speerpunt=scope.speerpunt,
        domain=scope.domain,
        rrf_only=scope.rrf_only,
    )


@dataclass(frozen=True)
class PlanChoices:
    """What the public filters offer: the plan's speerpunten, clusters and domains. The
    clusters by number, and as (number, label) only where a select offers them (up to
    ``heatmap.INLINE_ROWS``, else None): a country has thousands, chosen by number, and
    every public page reads its choices back from the cache."""

    speerpunten: list[Speerpunt]
    clusters: list[tuple[int, str]] | None
    cluster_numbers: frozenset[int]
    domains: list[PolicyDomain]


def _plan_choices() -> PlanChoices:
    clusters = [(c.number, str(c)) for c in Cluster.objects.order_by("number")]
    return PlanChoices(
        speerpunten=list(Speerpunt.objects.order_by("number")),
        clusters=clusters if len(clusters) <= heatmap.INLINE_ROWS else None,
        cluster_numbers=frozenset(number for number, _label in clusters),
        domains=list(PolicyDomain.objects.order_by("code")),
    )


def plan_choices(rounds: list[ReportingRound]) -> PlanChoices:
    """The filters' choices, cached with the published rounds (three queries on a miss)."""
    # The clusters' labels only up to INLINE_ROWS since issue 16's last pages.
    return cached("plan-choices-by-number", [rounds_signature(rounds)], _plan_choices)
