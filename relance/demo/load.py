"""Writing the demo plan into an empty database, in a handful of bulk inserts per round."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    FollowUpAction,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Speerpunt,
    StatusFlag,
    User,
)
from projects.models.rounds import RoundState
from relance.services import open_round

from .data import (
    CLUSTERS,
    DOMAINS,
    ENVELOPE_EUR,
    FLAG_MOTIVATIONS,
    FOLLOW_UPS,
    GENERIC_MOTIVATIONS,
    INDICATORS,
    LEAVERS_FROM,
    LEAVERS_REASON,
    NARRATIVES,
    ROUNDS,
    SPEERPUNTEN,
    IndicatorPlan,
    RoundPlan,
)
from .plan import DemoPlan, DemoProject, MilestoneRow
from .users import DemoUser, create_demo_users

S = ProjectStatus
RETURN_COMMENT = "Graag de bedragen afstemmen op de boekhouding."
DEMO_VALUE_NOTE = "Demogegeven: geen gepubliceerde waarde."


def _owner_status(status: ProjectStatus) -> ProjectStatus:
    """Behind an orange or red flag, the owner had reported the project in progress."""
    return S.IN_PROGRESS if status in S.flags() else status


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class _Written:
    """What one closed round wrote, for the next round to carry forward."""

    fiches: dict[int, Fiche]  # by project number
    milestones: dict[int, MilestoneRow]  # by milestone index
    flags: dict[int, StatusFlag]  # raised flags by project number
    open_actions: dict[int, list[FollowUpAction]]  # by flag pk: open when the round closed


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
        )
        for p in plan.projects
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=projects[p.number - 1],
            number=number,
            description=step,
            deadline=deadline,
            rrf_reference=f"{projects[p.number - 1].rrf_measure}-M{number}" if p.is_rrf else "",
        )
        for p, number, deadline, step in plan.milestones
    )
    indicators = {
        (i.project, i.code): Indicator.objects.create(project=projects[i.project - 1], code=i.code)
        for i in INDICATORS
    }

    writer = _RoundWriter(plan, projects, milestones, indicators, coordinator)
    written: _Written | None = None
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


class _RoundWriter:
    """Writes the closed rounds one after the other, each from its plan and the round before."""

    def __init__(
        self,
        plan: DemoPlan,
        projects: list[Project],
        milestones: list[Milestone],
        indicators: dict[tuple[int, str], Indicator],
        coordinator: User | None,
    ) -> None:
        self.plan = plan
        self.rng = plan.rng
        self.projects = projects
        self.milestones = milestones
        self.indicators = indicators
        self.coordinator = coordinator
        self.statuses = plan.milestone_statuses()
        self.money = plan.finance()

    def closed_round(self, round_plan: RoundPlan, before: _Written | None) -> _Written:
        rng, code = self.rng, round_plan.code
        reporting_round = ReportingRound.objects.create(
            code=code,
            name=round_plan.name,
            reference_date=round_plan.reference_date,
            opens_on=round_plan.opens_on,
            deadline=round_plan.deadline,
            envelope_eur=Decimal(ENVELOPE_EUR),
            state=RoundState.DRAFT,
        )
        members = self.plan.members(code)
        carried = {
            p.number
            for p in members
            if before
            and p.number in before.fiches
            and before.fiches[p.number].status in S.finished()
        }
        # Milestones: a finished project's carried unchanged, the others as the plan reads them.
        rows = {row.index: row for row in self.statuses[code]}
        if before:
            for index, row in before.milestones.items():
                if self.plan.milestones[index][0].number in carried:
                    rows[index] = row
        MilestoneStatus.objects.bulk_create(
            MilestoneStatus(
                round=reporting_round,
                milestone=self.milestones[row.index],
                status=row.status,
                realised_on=row.realised_on,
                forecast_date=row.forecast,
                postponements=row.postponements,
                delay_reason=row.delay_reason,
            )
            for row in rows.values()
        )
        tallies = self._tallies(rows.values())
        closed_at = _aware(round_plan.closed_on, 16)

        def fiche(p: DemoProject) -> Fiche:
            if p.number in carried:
                old = before.fiches[p.number]  # type: ignore[union-attr]
                return Fiche(
                    round=reporting_round,
                    project=self.projects[p.number - 1],
                    status=old.status,
                    owner_status=old.owner_status,
                    narrative=old.narrative,
                    review_state=ReviewState.APPROVED,
                    carried_forward=True,
                )
            status = p.statuses[code]
            submitted = round_plan.deadline - dt.timedelta(days=rng.randrange(1, 15))
            return Fiche(
                round=reporting_round,
                project=self.projects[p.number - 1],
                status=status,
                owner_status=_owner_status(status),
                narrative=NARRATIVES[status].format(**tallies[p.number]),
                review_state=ReviewState.APPROVED,
                submitted_at=_aware(submitted),
                reviewed_at=_aware(_between(rng, round_plan.deadline, round_plan.closed_on)),
                reviewed_by=self.coordinator,
            )

        fiches = Fiche.objects.bulk_create(fiche(p) for p in members)
        by_number = {p.number: f for p, f in zip(members, fiches, strict=True)}
        money = self.money[code]
        FinanceReport.objects.bulk_create(
            FinanceReport(
                fiche=by_number[number],
                budget_eur=Decimal(budget),
                committed_eur=Decimal(committed),
                paid_eur=Decimal(paid),
            )
            for number, (budget, committed, paid) in money.items()
        )
        flags = self._flags(round_plan, members, by_number, before)
        self._indicators(reporting_round, round_plan)
        if code == LEAVERS_FROM:
            Project.objects.filter(
                code__in=[p.code for p in self.plan.projects if p.left_plan]
            ).update(left_plan_from=reporting_round, left_plan_reason=LEAVERS_REASON)
        # Closed on a day near the real publication: the state and the day in one update
        # while the round is still a draft (a closed round's row never changes again).
        ReportingRound.objects.filter(pk=reporting_round.pk).update(
            state=RoundState.CLOSED, closed_at=closed_at, closed_by=self.coordinator
        )
        return _Written(
            fiches=by_number, milestones=rows, flags=flags, open_actions=self.open_actions
        )

    def _tallies(self, rows: Any) -> dict[int, dict[str, int]]:
        tallies: dict[int, dict[str, int]] = {}
        for row in rows:
            project = self.plan.milestones[row.index][0]
            tally = tallies.setdefault(project.number, {"realised": 0, "delayed": 0, "total": 0})
            tally["total"] += 1
            tally["realised"] += row.status == MilestoneState.REALISED
            tally["delayed"] += row.status == MilestoneState.DELAYED
        return tallies

    def _flags(
        self,
        round_plan: RoundPlan,
        members: list[DemoProject],
        fiches: dict[int, Fiche],
        before: _Written | None,
    ) -> dict[int, StatusFlag]:
        """A raised flag for every orange or red fiche, with its follow-up.

        As the application carries them (relance.fiches.review.carry_flags): a flag raised at
        the previous round's close continues where the project stays flagged, with its
        level, motivation and open follow-up actions, and the coordinator confirms it. A
        project no longer flagged simply has no flag in the new round.
        """
        rng = self.rng
        flagged = [p for p in members if fiches[p.number].status in S.flags()]
        new: list[StatusFlag] = []
        events: list[ReviewEvent] = []
        for p in flagged:
            fiche = fiches[p.number]
            previous = before.flags.get(p.number) if before else None
            if previous:
                if previous.level != fiche.status:
                    raise ValueError(f"{p.code}: a carried flag keeps its level.")
                raised_at = _aware(round_plan.opens_on, 9)
                confirmed_at = _aware(_between(rng, round_plan.deadline, round_plan.closed_on))
                flag = StatusFlag(
                    fiche=fiche,
                    level=previous.level,
                    motivation=previous.motivation,
                    raised_by=previous.raised_by,
                    raised_at=raised_at,
                    carried_from=previous,
                    confirmed_by=self.coordinator,
                    confirmed_at=confirmed_at,
                )
                carried = (
                    f"{previous.get_level_display()}, overgenomen uit meetmoment "
                    f"{previous.fiche.round}: {previous.motivation}"
                )
                events += [
                    ReviewEvent(
                        fiche=fiche, action=ReviewAction.FLAG_CARRIED, at=raised_at, comment=carried
                    ),
                    ReviewEvent(
                        fiche=fiche,
                        action=ReviewAction.FLAG_CONFIRMED,
                        by=self.coordinator,
                        at=confirmed_at,
                        comment=previous.get_level_display(),
                    ),
                ]
            else:
                level = S(fiche.status)
                raised_at = _aware(_between(rng, round_plan.deadline, round_plan.closed_on))
                flag = StatusFlag(
                    fiche=fiche,
                    level=level,
                    motivation=FLAG_MOTIVATIONS.get(p.number)
                    or rng.choice(GENERIC_MOTIVATIONS[level]),
                    raised_by=self.coordinator,
                    raised_at=raised_at,
                )
                events.append(
                    ReviewEvent(
                        fiche=fiche,
                        action=ReviewAction.FLAGGED,
                        by=self.coordinator,
                        at=raised_at,
                        comment=f"{flag.get_level_display()}: {flag.motivation}",
                    )
                )
            new.append(flag)
        StatusFlag.objects.bulk_create(new)
        actions = []
        for p, flag in zip(flagged, new, strict=True):
            if flag.carried_from:
                # The open actions came along, and were done in this round.
                actions += [
                    FollowUpAction(
                        flag=flag,
                        description=action.description,
                        owner=action.owner,
                        due_date=action.due_date,
                        done_at=_aware(round_plan.deadline, 15),
                        done_by=self.coordinator,
                    )
                    for action in before.open_actions[flag.carried_from.pk]  # type: ignore[union-attr]
                ]
            else:
                # A first step done before the round closed.
                first = _between(
                    rng, round_plan.deadline, round_plan.closed_on - dt.timedelta(days=1)
                )
                actions.append(
                    FollowUpAction(
                        flag=flag,
                        description=FOLLOW_UPS[0],
                        owner=p.entity,
                        due_date=first,
                        done_at=_aware(first, 15),
                        done_by=self.coordinator,
                    )
                )
            # And one still open when the round closed.
            actions.append(
                FollowUpAction(
                    flag=flag,
                    description=rng.choice(FOLLOW_UPS[1:]),
                    owner=p.entity,
                    due_date=round_plan.closed_on + dt.timedelta(days=rng.randrange(30, 120)),
                )
            )
        FollowUpAction.objects.bulk_create(actions)
        ReviewEvent.objects.bulk_create(events)
        self.open_actions = {
            flag.pk: [a for a in actions if a.flag is flag and a.done_at is None] for flag in new
        }
        return {p.number: flag for p, flag in zip(flagged, new, strict=True)}

    def _indicators(self, reporting_round: ReportingRound, round_plan: RoundPlan) -> None:
        """Each indicator's definition in the round (a changed one from its round on) and its
        value, rising towards the target."""
        definitions, values = [], []
        for spec in INDICATORS:
            project = self.plan.by_number[spec.project]
            if round_plan.code not in project.statuses:
                continue
            definition = _definition_at(spec, round_plan.code)
            definitions.append(
                IndicatorDefinition(
                    indicator=self.indicators[(spec.project, spec.code)],
                    round=reporting_round,
                    rrf_reference=f"{self.projects[spec.project - 1].rrf_measure}-T1"
                    if project.is_rrf
                    else "",
                    **definition,
                )
            )
            values.append(
                IndicatorValue(
                    round=reporting_round,
                    indicator=self.indicators[(spec.project, spec.code)],
                    value=_value_at(spec, project, round_plan.reference_date),
                    note=DEMO_VALUE_NOTE,
                )
            )
        IndicatorDefinition.objects.bulk_create(definitions)
        IndicatorValue.objects.bulk_create(values)


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _definition_at(spec: IndicatorPlan, code: str) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": spec.name,
        "kind": spec.kind,
        "unit": spec.unit,
        "baseline": Decimal(spec.baseline),
        "target": Decimal(spec.target),
        "target_date": spec.target_date,
    }
    reference = next(plan.reference_date for plan in ROUNDS if plan.code == code)
    for change_code, change in spec.changes.items():
        if next(plan.reference_date for plan in ROUNDS if plan.code == change_code) <= reference:
            definition.update(
                {
                    k: Decimal(str(v)) if k in ("baseline", "target") else v
                    for k, v in change.items()
                }
            )
    return definition


def _value_at(spec: IndicatorPlan, project: DemoProject, day: dt.date) -> Decimal:
    """Cumulative progress: slow at first, towards the (last) target by the target date."""
    target = max([spec.target] + [int(c.get("target", 0)) for c in spec.changes.values()])  # type: ignore[call-overload]
    span = max(1, (spec.target_date - project.start).days)
    share = min(1.0, max(0.0, (day - project.start).days / span)) ** 1.4
    return Decimal(round(spec.baseline + (target - spec.baseline) * share * 0.95))


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
        IndicatorDefinition(
            indicator_id=d.indicator_id,
            round=reporting_round,
            name=d.name,
            kind=d.kind,
            unit=d.unit,
            baseline=d.baseline,
            target=d.target,
            target_date=d.target_date,
            rrf_reference=d.rrf_reference,
        )
        for d in last
        if d.indicator_id not in have
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
