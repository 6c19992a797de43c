"""One builder for the plans the tests read: speerpunten 1 and 2 with their clusters, the
domains MOW and OMG, projects spread over them, rounds, and fiches with their money.

A suite's plan is a recipe of these steps with its own figures
(tests/relance/open_data_plan.py, tests/relance/reporting_plan.py)::

    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    projects = builder.add_projects(4, rrf=lambda n: n == 0, budget=lambda n: Decimal(n + 1))
    first = builder.round(2022, state=RoundState.OPEN)
    builder.fiche(first, projects[0], status=ProjectStatus.STARTED, finance={"paid_eur": 5})
    builder.close(first)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from projects.models import Cluster, Fiche, PolicyDomain, Project, ReportingRound, Speerpunt
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    FinanceReportFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)


@dataclass
class PlanBuilder:
    speerpunten: list[Speerpunt]
    clusters: list[Cluster]
    domains: list[PolicyDomain]
    projects: list[Project] = field(default_factory=list)

    @classmethod
    def two_speerpunten(cls, *, clusters: Sequence[dict[str, Any]]) -> PlanBuilder:
        """Speerpunten 1 and 2, these clusters (``speerpunt`` is 0 or 1, the rest goes to
        the factory) and the domains MOW and OMG."""
        speerpunten = [SpeerpuntFactory(number=1), SpeerpuntFactory(number=2)]
        made = [
            ClusterFactory(**{**fields, "speerpunt": speerpunten[fields["speerpunt"]]})
            for fields in clusters
        ]
        domains = [PolicyDomainFactory(code="MOW"), PolicyDomainFactory(code="OMG")]
        return cls(speerpunten=speerpunten, clusters=made, domains=domains)

    def add_projects(
        self,
        size: int,
        *,
        rrf: Callable[[int], bool],
        rrf_measure: str = "I-1.01",
        budget: Callable[[int], Decimal],
        code: Callable[[int], str] | None = None,
    ) -> list[Project]:
        """``size`` projects, the n-th in cluster n and domain n in turn, RRF where
        ``rrf(n)``, with ``budget(n)``; coded ``code(n)`` or by the factory."""
        projects = [
            ProjectFactory(
                **({"code": code(n)} if code else {}),
                cluster=self.clusters[n % len(self.clusters)],
                domain=self.domains[n % len(self.domains)],
                is_rrf=rrf(n),
                rrf_measure=rrf_measure if rrf(n) else "",
                budget_eur=budget(n),
            )
            for n in range(size)
        ]
        self.projects.extend(projects)
        return projects

    def round(self, year: int, **fields: Any) -> ReportingRound:
        """The round of 31 December ``year``, in preparation unless ``state`` says otherwise."""
        return ReportingRoundFactory(reference_date=dt.date(year, 12, 31), **fields)

    def fiche(
        self,
        reporting_round: ReportingRound,
        project: Project,
        *,
        finance: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Fiche:
        """The project's fiche in the round, with a finance report of ``finance`` (the
        factory's figures for ``{}``; none for None)."""
        fiche = FicheFactory(round=reporting_round, project=project, **fields)
        if finance is not None:
            FinanceReportFactory(fiche=fiche, **finance)
        return fiche

    def close(self, *rounds: ReportingRound) -> None:
        for reporting_round in rounds:
            reporting_round.close(by=None)
