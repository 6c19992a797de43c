"""Writing the demo plan into an empty database, in a handful of bulk inserts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Speerpunt,
)
from projects.models.rounds import RoundState

from .data import CLUSTERS, DOMAINS, ENTITIES, NARRATIVES, ROUNDS, SPEERPUNTEN
from .plan import DemoPlan

S = ProjectStatus
DELAY_REASON = "Langere doorlooptijd van de vergunningsprocedure dan gepland."


def _owner_status(status: ProjectStatus) -> ProjectStatus:
    """Behind an orange or red flag, the owner had reported the project in progress."""
    return S.IN_PROGRESS if status in S.flags() else status


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@transaction.atomic
def load_demo_plan(*, today: dt.date) -> dict[str, int]:
    """Write the demo plan into an empty database; returns what was created."""
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
    speerpunten = {
        number: Speerpunt.objects.create(number=number, name=name, name_en=name_en)
        for number, name, name_en, _budget in SPEERPUNTEN
    }
    clusters = {
        number: Cluster.objects.create(number=number, speerpunt=speerpunten[sp], name=name)
        for number, sp, name, _domain, _real in CLUSTERS
    }
    rng = plan.rng
    # 55 RRF projects, among them Digibanken (VV127).
    rrf = set(rng.sample([p.number for p in plan.projects if p.number not in (127, 181)], 54))
    rrf.add(127)
    projects = Project.objects.bulk_create(
        Project(
            code=p.code,
            title=p.title,
            cluster=clusters[p.cluster],
            domain=domains[p.domain],
            entity=rng.choice(ENTITIES[p.domain]),
            budget_eur=Decimal(p.budget),
            is_rrf=p.number in rrf,
            rrf_measure=f"I-{clusters[p.cluster].speerpunt.number}.{p.cluster:02d}"
            if p.number in rrf
            else "",
            start_date=p.start,
            end_date=p.end,
            is_demo=p.is_demo,
        )
        for p in plan.projects
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=projects[p.number - 1],
            number=number,
            description=step,
            deadline=deadline,
            rrf_reference=f"{projects[p.number - 1].rrf_measure}-M{number}"
            if p.number in rrf
            else "",
        )
        for p, number, deadline, step in plan.milestones
    )

    statuses = plan.milestone_statuses()
    money = plan.finance()
    rounds = []
    for round_plan in ROUNDS:
        reporting_round = ReportingRound.objects.create(
            code=round_plan.code,
            name=round_plan.name,
            reference_date=round_plan.reference_date,
            opens_on=round_plan.reference_date - dt.timedelta(days=30),
            deadline=round_plan.deadline,
            state=RoundState.DRAFT,
        )
        rows = statuses[round_plan.code]
        MilestoneStatus.objects.bulk_create(
            MilestoneStatus(
                round=reporting_round,
                milestone=milestones[index],
                status=status,
                realised_on=realised_on,
                forecast_date=forecast,
                postponements=1 if forecast else 0,
                delay_reason=DELAY_REASON if forecast else "",
            )
            for index, status, realised_on, forecast in rows
        )
        tallies = _tallies(plan, rows)
        fiches = Fiche.objects.bulk_create(
            Fiche(
                round=reporting_round,
                project=projects[p.number - 1],
                status=p.statuses[round_plan.code],
                owner_status=_owner_status(p.statuses[round_plan.code]),
                narrative=NARRATIVES[p.statuses[round_plan.code]].format(**tallies[p.number]),
                review_state=ReviewState.APPROVED,
                submitted_at=_aware(round_plan.deadline - dt.timedelta(days=rng.randrange(1, 20))),
                reviewed_at=_aware(round_plan.deadline + dt.timedelta(days=rng.randrange(1, 20))),
            )
            for p in plan.projects
            if round_plan.code in p.statuses
        )
        FinanceReport.objects.bulk_create(
            FinanceReport(
                fiche=fiche,
                budget_eur=Decimal(money[round_plan.code][number][0]),
                committed_eur=Decimal(money[round_plan.code][number][1]),
                paid_eur=Decimal(money[round_plan.code][number][2]),
            )
            for fiche, number in zip(fiches, _numbers(plan, round_plan.code), strict=True)
        )
        reporting_round.close(by=None)
        rounds.append(reporting_round)

    open_round = _open_round(plan, projects, milestones, statuses, money, today=today)
    return {
        "speerpunten": len(speerpunten),
        "clusters": len(clusters),
        "projects": len(projects),
        "milestones": len(milestones),
        "rounds": len(rounds) + 1,
        "open_fiches": open_round.fiches.count(),
    }


def _numbers(plan: DemoPlan, code: str) -> Iterable[int]:
    return (p.number for p in plan.projects if code in p.statuses)


def _tallies(plan: DemoPlan, rows: list) -> dict[int, dict[str, int]]:
    tallies: dict[int, dict[str, int]] = {}
    for index, status, _realised_on, _forecast in rows:
        project = plan.milestones[index][0]
        tally = tallies.setdefault(project.number, {"realised": 0, "delayed": 0, "total": 0})
        tally["total"] += 1
        tally["realised"] += status == MilestoneState.REALISED
        tally["delayed"] += status == MilestoneState.DELAYED
    return tallies


def _open_round(
    plan: DemoPlan,
    projects: list[Project],
    milestones: list[Milestone],
    statuses: dict,
    money: dict,
    *,
    today: dt.date,
) -> ReportingRound:
    """The coming December's round, open, with a draft fiche for every running project,
    pre-filled from December 2023."""
    last = ROUNDS[-1]
    year = max(today.year, last.reference_date.year + 1)
    reference = dt.date(year, 12, 31)
    open_round = ReportingRound.objects.create(
        code=f"{year}-12",
        name=f"December {year}",
        reference_date=reference,
        opens_on=today,
        deadline=reference + dt.timedelta(days=31),
        state=RoundState.OPEN,
    )
    running = [p for p in plan.projects if p.statuses[last.code] not in S.finished()]
    narratives = {
        int(code[2:]): text
        for code, text in Fiche.objects.filter(round__code=last.code).values_list(
            "project__code", "narrative"
        )
    }
    fiches = Fiche.objects.bulk_create(
        Fiche(
            round=open_round,
            project=projects[p.number - 1],
            status=p.statuses[last.code],
            owner_status=_owner_status(p.statuses[last.code]),
            narrative=narratives[p.number],
            review_state=ReviewState.DRAFT,
        )
        for p in running
    )
    FinanceReport.objects.bulk_create(
        FinanceReport(
            fiche=fiche,
            committed_eur=Decimal(money[last.code][p.number][1]),
            paid_eur=Decimal(money[last.code][p.number][2]),
        )
        for fiche, p in zip(fiches, running, strict=True)
    )
    running_numbers = {p.number for p in running}
    MilestoneStatus.objects.bulk_create(
        MilestoneStatus(
            round=open_round,
            milestone=milestones[index],
            status=status,
            realised_on=realised_on,
            forecast_date=forecast,
            postponements=1 if forecast else 0,
            delay_reason=DELAY_REASON if forecast else "",
        )
        for index, status, realised_on, forecast in statuses[last.code]
        if plan.milestones[index][0].number in running_numbers
    )
    _review_some(fiches, today, plan.rng)
    return open_round


def _review_some(fiches: list[Fiche], today: dt.date, rng: random.Random) -> None:
    """Part of the open round under way: some fiches submitted, some approved, two returned."""
    shuffled = rng.sample(fiches, len(fiches))
    approved, submitted, returned = shuffled[:25], shuffled[25:60], shuffled[60:62]
    at = _aware(today)
    for group, state in (
        (approved, ReviewState.APPROVED),
        (submitted, ReviewState.SUBMITTED),
        (returned, ReviewState.RETURNED),
    ):
        Fiche.objects.filter(pk__in=[f.pk for f in group]).update(
            review_state=state,
            submitted_at=at,
            reviewed_at=None if state == ReviewState.SUBMITTED else at,
            review_comment=(
                "Graag de bedragen afstemmen op de boekhouding."
                if state == ReviewState.RETURNED
                else ""
            ),
        )
    ReviewEvent.objects.bulk_create(
        [ReviewEvent(fiche=f, action=ReviewAction.SUBMITTED, at=at) for f in shuffled[:62]]
        + [ReviewEvent(fiche=f, action=ReviewAction.APPROVED, at=at) for f in approved]
        + [
            ReviewEvent(
                fiche=f,
                action=ReviewAction.RETURNED,
                at=at,
                comment="Graag de bedragen afstemmen op de boekhouding.",
            )
            for f in returned
        ]
    )
