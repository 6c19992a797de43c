"""Writing the demo plan into an empty database, in a handful of bulk inserts per round
(history.py writes the closed rounds)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from milestones.models import Milestone
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorDefinition,
    PolicyDomain,
    Project,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Speerpunt,
    User,
)
from projects.models.rounds import RoundState
from relance.services import copied_into, open_round

from .data import (
    CLUSTERS,
    DOMAINS,
    ENVELOPE_EUR,
    INDICATORS,
    ROUNDS,
    SEED,
    SPEERPUNTEN,
)
from .history import RoundWriter, Written, aware
from .plan import DemoPlan
from .rrf import rrf_timing
from .users import DemoUser, create_demo_users

RETURN_COMMENT = "Graag de bedragen afstemmen op de boekhouding."


@transaction.atomic
def load_demo_plan(*, today: dt.date, users: bool = False) -> dict[str, Any]:
    """Write the demo plan into an empty database; returns what was created (and, with
    ``users``, the demo users, made before the rounds so that the coordinator reviews)."""
    plan = DemoPlan()
    domains = {}
    for code, name, name_en, until, _merged in DOMAINS:
        domains[code] = PolicyDomain.objects.create(
            code=code, name=name, name_en=name_en, active_until=until
        )
    for code, *_rest, merged in DOMAINS:
        if merged:
            domains[code].merged_into = domains[merged]
            domains[code].save(update_fields=["merged_into"])
    demo_users = create_demo_users() if users else []
    coordinator = User.objects.filter(username="coordinator").first() if users else None
    speerpunten = {
        number: Speerpunt.objects.create(number=number, name=name, name_en=name_en)
        for number, name, name_en, _budget in SPEERPUNTEN
    }
    clusters = {
        number: Cluster.objects.create(number=number, speerpunt=speerpunten[sp], name=name)
        for number, sp, name, _domain, _real in CLUSTERS
    }
    projects = Project.objects.bulk_create(
        Project(
            code=p.code,
            title=p.title,
            cluster=clusters[p.cluster],
            domain=domains[p.domain],
            entity=p.entity,
            budget_eur=Decimal(p.budget),
            is_rrf=p.is_rrf,
            rrf_measure=f"I-{clusters[p.cluster].speerpunt.number}.{p.cluster:02d}"
            if p.is_rrf
            else "",
            start_date=p.start,
            end_date=p.end,
            climate_coefficient=p.climate,
            digital_coefficient=p.digital,
            is_demo=p.is_demo,
            # No RRF reference of the plan is published: every one is generated.
            rrf_is_demo=p.is_rrf,
        )
        for p in plan.projects
    )
    rrf_rng = random.Random(SEED)
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=projects[p.number - 1],
            number=number,
            description=step,
            deadline=deadline,
            **(rrf_timing(deadline, rrf_rng) if p.is_rrf else {}),
            rrf_reference=f"{projects[p.number - 1].rrf_measure}-M{number}" if p.is_rrf else "",
        )
        for p, number, deadline, step in plan.milestones
    )
    indicators = {
        (i.project, i.code): Indicator.objects.create(project=projects[i.project - 1], code=i.code)
        for i in INDICATORS
    }

    writer = RoundWriter(plan, projects, milestones, indicators, coordinator)
    written: Written | None = None
    for round_plan in ROUNDS:
        written = writer.closed_round(round_plan, written)

    open_fiches = _open_round(plan, projects, indicators, coordinator, today=today)
    return {
        "speerpunten": len(speerpunten),
        "clusters": len(clusters),
        "projects": len(projects),
        "milestones": len(milestones),
        "rounds": len(ROUNDS) + 1,
        "open_fiches": open_fiches,
        "users": demo_users,
    }


def _open_round(
    plan: DemoPlan,
    projects: list[Project],
    indicators: dict[tuple[int, str], Indicator],
    coordinator: User | None,
    *,
    today: dt.date,
) -> int:
    """The coming December's round, opened the way the application opens one, with part
    of it under way."""
    year = max(today.year, ROUNDS[-1].reference_date.year + 1)
    reference = dt.date(year, 12, 31)
    reporting_round = ReportingRound.objects.create(
        code=f"{year}-12",
        name=f"December {year}",
        reference_date=reference,
        opens_on=min(today, reference),
        deadline=reference + dt.timedelta(days=31),
        envelope_eur=Decimal(ENVELOPE_EUR),
        state=RoundState.DRAFT,
    )
    open_round(reporting_round=reporting_round, by=coordinator)  # type: ignore[arg-type]
    # The indicators' definitions go on into the new round, unless opening already did so.
    last = IndicatorDefinition.objects.filter(round__code=ROUNDS[-1].code)
    have = set(
        IndicatorDefinition.objects.filter(round=reporting_round).values_list(
            "indicator", flat=True
        )
    )
    IndicatorDefinition.objects.bulk_create(
        copied_into(reporting_round, (d for d in last if d.indicator_id not in have))
    )
    in_plan = Project.objects.in_plan_at(reporting_round)
    running = list(
        Fiche.objects.filter(
            round=reporting_round, carried_forward=False, project__in=in_plan
        ).order_by("project__code")
    )
    _review_some(running, today, plan.rng, coordinator)
    return Fiche.objects.filter(round=reporting_round).count()


def _review_some(
    fiches: list[Fiche], today: dt.date, rng: random.Random, coordinator: User | None
) -> None:
    """Part of the open round under way: some fiches submitted, some approved, two returned."""
    shuffled = rng.sample(fiches, len(fiches))
    approved, submitted, returned = shuffled[:25], shuffled[25:60], shuffled[60:62]
    at = aware(today)
    for group, state in (
        (approved, ReviewState.APPROVED),
        (submitted, ReviewState.SUBMITTED),
        (returned, ReviewState.RETURNED),
    ):
        Fiche.objects.filter(pk__in=[f.pk for f in group]).update(
            review_state=state,
            submitted_at=at,
            reviewed_at=None if state == ReviewState.SUBMITTED else at,
            reviewed_by=None if state == ReviewState.SUBMITTED else coordinator,
            review_comment=RETURN_COMMENT if state == ReviewState.RETURNED else "",
        )
    ReviewEvent.objects.bulk_create(
        [ReviewEvent(fiche=f, action=ReviewAction.SUBMITTED, at=at) for f in shuffled[:62]]
        + [
            ReviewEvent(fiche=f, action=ReviewAction.APPROVED, by=coordinator, at=at)
            for f in approved
        ]
        + [
            ReviewEvent(
                fiche=f, action=ReviewAction.RETURNED, by=coordinator, at=at, comment=RETURN_COMMENT
            )
            for f in returned
        ]
    )


__all__ = ["DemoUser", "load_demo_plan"]
