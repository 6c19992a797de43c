"""Writing the demo plan's closed rounds, one after the other, each from its plan and the
round before: fiches, milestone statuses, money, flags with their follow-up, indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    FollowUpAction,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
    User,
)
from projects.models.rounds import RoundState

from .data import (
    ENVELOPE_EUR,
    FLAG_MOTIVATIONS,
    FOLLOW_UPS,
    GENERIC_MOTIVATIONS,
    INDICATORS,
    LEAVERS_FROM,
    LEAVERS_REASON,
    NARRATIVES,
    ROUNDS,
    IndicatorPlan,
    RoundPlan,
)
from .plan import DemoPlan, DemoProject, day_between
from .progress import MilestoneRow, finance, milestone_statuses
from .rrf import rrf_target

S = ProjectStatus
DEMO_VALUE_NOTE = "Demogegeven: geen gepubliceerde waarde."


def _owner_status(status: ProjectStatus) -> ProjectStatus:
    """Behind an orange or red flag, the owner had reported the project in progress."""
    return S.IN_PROGRESS if status in S.flags() else status


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class Written:
    """What one closed round wrote, for the next round to carry forward."""

    fiches: dict[int, Fiche]  # by project number
    milestones: dict[int, MilestoneRow]  # by milestone index
    flags: dict[int, StatusFlag]  # raised flags by project number
    open_actions: dict[int, list[FollowUpAction]]  # by flag pk: open when the round closed


class RoundWriter:
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
        self.statuses = milestone_statuses(plan)
        self.money = finance(plan)

    def closed_round(self, round_plan: RoundPlan, before: Written | None) -> Written:
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
        closed_at = aware(round_plan.closed_on, 16)

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
                submitted_at=aware(submitted),
                reviewed_at=aware(day_between(rng, round_plan.deadline, round_plan.closed_on)),
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
        return Written(
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
        before: Written | None,
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
                raised_at = aware(round_plan.opens_on, 9)
                confirmed_at = aware(day_between(rng, round_plan.deadline, round_plan.closed_on))
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
                raised_at = aware(day_between(rng, round_plan.deadline, round_plan.closed_on))
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
                        done_at=aware(round_plan.deadline, 15),
                        done_by=self.coordinator,
                    )
                    for action in before.open_actions[flag.carried_from.pk]  # type: ignore[union-attr]
                ]
            else:
                # A first step done before the round closed.
                first = day_between(
                    rng, round_plan.deadline, round_plan.closed_on - dt.timedelta(days=1)
                )
                actions.append(
                    FollowUpAction(
                        flag=flag,
                        description=FOLLOW_UPS[0],
                        owner=p.entity,
                        due_date=first,
                        done_at=aware(first, 15),
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
                    **(rrf_target(definition) if project.is_rrf else {}),
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
