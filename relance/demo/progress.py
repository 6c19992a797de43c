"""The demo plan's progress over the rounds: its milestones' statuses and its money, both
generated from the plan (plan.py) with its random draws, in the order load.py asks for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from milestones.models import MilestoneState, count_postponements
from projects.models import ProjectStatus

from .data import (
    DELAY_REASONS,
    MILESTONE_PIVOT,
    ON_SCHEDULE_OR_REALISED_2023,
    ROUNDS,
    VV181_FROM,
    RoundPlan,
)
from .plan import ROUND_BY_CODE, DemoPlan, DemoProject, day_between, spread

S = ProjectStatus


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone's status in one round."""

    index: int  # into DemoPlan.milestones
    status: MilestoneState
    realised_on: dt.date | None = None
    forecast: dt.date | None = None
    postponements: int = 0
    delay_reason: str = ""


def milestone_statuses(plan: DemoPlan) -> dict[str, list[MilestoneRow]]:
    """Every round's milestone statuses, from one story per milestone.

    Each milestone gets a realisation date (or none yet); December 2023 is fixed to the
    published 1483 of 1753 by choosing which milestones are late then, and which have
    not begun. Every round then reads the same story at its reference date, so a
    realised milestone stays realised with its date, and a delayed one's expected date
    only moves later (counted with count_postponements).
    """
    rng = plan.rng
    pivot = ROUND_BY_CODE[MILESTONE_PIVOT].reference_date
    last = ROUNDS[-1]
    realised_on: dict[int, dt.date] = {}
    delayed_candidates, future_candidates = [], []
    for index, (p, _number, deadline, _step) in enumerate(plan.milestones):
        finished = p.finished_in()
        if finished and p.statuses[finished.code] == S.REALISED:
            realised_on[index] = min(
                max(deadline + dt.timedelta(days=rng.randrange(-20, 20)), p.start), p.end
            )
            if finished.reference_date > pivot and deadline <= pivot:
                realised_on[index] = min(realised_on[index], pivot)
                delayed_candidates.append(index)
        elif deadline <= pivot:
            realised_on[index] = min(
                max(deadline + dt.timedelta(days=rng.randrange(-30, 150)), p.start), pivot
            )
            if p.statuses[MILESTONE_PIVOT] not in S.finished():
                delayed_candidates.append(index)
        elif p.statuses.get(last.code, S.STOPPED) not in S.finished():
            if deadline <= last.reference_date:
                realised_on[index] = deadline + dt.timedelta(days=rng.randrange(-30, 150))
            else:
                future_candidates.append(index)
    stopped = sum(
        1
        for index, (p, *_rest) in enumerate(plan.milestones)
        if p.statuses[MILESTONE_PIVOT] == S.STOPPED and index not in realised_on
    )
    missing = len(plan.milestones) - ON_SCHEDULE_OR_REALISED_2023 - stopped
    flagged = {p.number for p in plan.projects if p.statuses[MILESTONE_PIVOT] in S.flags()}
    delayed_candidates.sort(
        key=lambda i: (plan.milestones[i][0].number not in flagged, rng.random())
    )
    delayed = delayed_candidates[: int(missing * 0.7)]
    future_candidates.sort(key=lambda i: plan.milestones[i][2], reverse=True)
    future = set(future_candidates[: missing - len(delayed)])
    for index in delayed:
        p = plan.milestones[index][0]
        finished = p.finished_in()
        if finished:  # realised in 2024: late, but before the project's end
            realised_on[index] = day_between(rng, pivot + dt.timedelta(days=10), p.end)
        elif p.left_plan or rng.random() < 0.5:
            realised_on.pop(index, None)
        else:
            realised_on[index] = day_between(
                rng, pivot + dt.timedelta(days=10), dt.date(2024, 11, 30)
            )
    slips = {index: rng.randrange(120, 300) for index in range(len(plan.milestones))}
    reasons = {index: rng.choice(DELAY_REASONS) for index in range(len(plan.milestones))}

    by_round: dict[str, list[MilestoneRow]] = {}
    before: dict[int, MilestoneRow] = {}
    for round_plan in ROUNDS:
        rows = []
        for index, (p, _number, deadline, _step) in enumerate(plan.milestones):
            if round_plan.code not in p.statuses:
                continue
            status, on, forecast = _status_at(
                round_plan, p, deadline, realised_on.get(index), slips[index], index in future
            )
            previous = before.get(index)
            count = count_postponements(
                before=previous.postponements if previous else 0,
                expected_before=previous.forecast if previous else None,
                deadline=deadline,
                forecast=forecast,
            )
            row = MilestoneRow(
                index=index,
                status=status,
                realised_on=on,
                forecast=forecast,
                postponements=count,
                delay_reason=reasons[index] if forecast else "",
            )
            rows.append(row)
            before[index] = row
        by_round[round_plan.code] = rows
    return by_round


def _status_at(
    plan: RoundPlan,
    project: DemoProject,
    deadline: dt.date,
    realised_on: dt.date | None,
    slip: int,
    not_begun: bool,
) -> tuple[MilestoneState, dt.date | None, dt.date | None]:
    """A milestone's status, realisation date and expected date as ``plan`` reads its story;
    ``not_begun``: one of the milestones chosen not to have begun by December 2023."""
    ref = plan.reference_date
    if realised_on and realised_on <= ref:
        return MilestoneState.REALISED, realised_on, None
    finished = project.finished_in()
    if finished and finished.reference_date <= ref:
        return MilestoneState.STOPPED, None, None
    if not_begun or project.statuses[plan.code] == S.NOT_STARTED:
        return MilestoneState.FUTURE, None, None
    if deadline <= ref:
        if realised_on:
            return MilestoneState.DELAYED, None, realised_on
        # Not realised yet: the expected date moves a slip later each time it is passed.
        expected = deadline + dt.timedelta(days=slip)
        while expected <= ref + dt.timedelta(days=30):
            expected += dt.timedelta(days=slip)
        return MilestoneState.DELAYED, None, expected
    return MilestoneState.ON_SCHEDULE, None, None


def finance(plan: DemoPlan) -> dict[str, dict[int, tuple[int, int, int]]]:
    """Per round and project number: (budget at the round, VAK, VEK), cumulative.

    VAK and VEK never fall; a finished project's stay as they were; VEK ≤ VAK ≤ the
    project's budget (the lower one where money moved to VV181)."""
    rng = plan.rng
    appetite = {p.number: rng.uniform(0.6, 1.4) for p in plan.projects}
    progress = {S.NOT_STARTED: 0.0, S.STARTED: 0.5, S.REALISED: 3.0, S.STOPPED: 0.1}
    before_vv181 = ROUND_BY_CODE[VV181_FROM].reference_date
    previous: dict[int, tuple[int, int, int]] = {}
    result = {}
    for round_plan in ROUNDS:
        members = plan.members(round_plan.code)
        budgets = [
            p.budget_2021 if round_plan.reference_date < before_vv181 else p.budget for p in members
        ]
        done = [
            p.number in previous and p.finished_in() is not None
            and p.finished_in().reference_date < round_plan.reference_date  # type: ignore[union-attr]
            for p in members
        ]  # fmt: skip
        weights = [
            0.0 if stays else p.budget * appetite[p.number] * progress.get(
                p.statuses[round_plan.code], 1.0
            )
            for p, stays in zip(members, done, strict=True)
        ]  # fmt: skip
        floors = [previous.get(p.number, (0, 0, 0))[1] for p in members]
        caps = [
            floor if stays else p.budget
            for p, floor, stays in zip(members, floors, done, strict=True)
        ]
        committed = spread(round_plan.committed_eur, weights, floors, caps)
        paid_floors = [previous.get(p.number, (0, 0, 0))[2] for p in members]
        paid_caps = [
            floor if stays else c
            for floor, c, stays in zip(paid_floors, committed, done, strict=True)
        ]
        paid = spread(
            round_plan.paid_eur,
            [w * rng.uniform(0.5, 1.5) for w in weights],
            paid_floors,
            paid_caps,
        )
        result[round_plan.code] = {
            p.number: (b, c, v)
            for p, b, c, v in zip(members, budgets, committed, paid, strict=True)
        }
        previous = {**previous, **result[round_plan.code]}
    return result
