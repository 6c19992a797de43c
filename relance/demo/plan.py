"""The demo plan generated in memory, from a fixed seed, around the published facts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from milestones.models import MilestoneState
from projects.models import ProjectStatus

from .data import (
    CLUSTERS,
    DONORS_OF_VV181,
    KNOWN_PROJECTS,
    MILESTONE_STEPS,
    MILLION,
    ON_SCHEDULE_OR_REALISED_2023,
    PINNED_STATUS,
    PROJECTS_PER_SPEERPUNT,
    ROUNDS,
    SEED,
    SPEERPUNTEN,
    TITLE_FORMS,
    TOTAL_MILESTONES,
    RoundPlan,
)

S = ProjectStatus


@dataclass
class DemoProject:
    number: int
    cluster: int
    domain: str
    title: str
    is_demo: bool
    budget: int = 0
    budget_2021: int = 0
    start: dt.date = dt.date(2021, 1, 1)
    end: dt.date = dt.date(2026, 12, 31)
    statuses: dict[str, ProjectStatus] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return f"VV{self.number:03d}"


def _spread(
    total: int, weights: Sequence[float], floors: Sequence[int], caps: Sequence[int]
) -> list[int]:
    """Share ``total`` out in whole euros: at least the floor, at most the cap, in proportion
    to the weights; the sum is exact."""
    alloc = list(floors)
    remaining = total - sum(floors)
    if remaining < 0 or remaining > sum(caps) - sum(floors):
        raise ValueError("The total does not fit between the floors and the caps.")
    active = [i for i in range(len(alloc)) if caps[i] > alloc[i] and weights[i] > 0]
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active)
        given = 0
        for i in active:
            share = min(int(remaining * weights[i] / weight_sum), caps[i] - alloc[i])
            alloc[i] += share
            given += share
        remaining -= given
        active = [i for i in active if caps[i] > alloc[i]]
        if given == 0:
            for i in active:
                step = min(remaining, caps[i] - alloc[i])
                alloc[i] += step
                remaining -= step
                if remaining == 0:
                    break
    if remaining:
        raise ValueError("The total could not be shared out.")
    return alloc


class DemoPlan:
    """Generates the plan in memory, then writes it in a handful of bulk inserts."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.projects = self._projects()
        self._budgets()
        self._statuses()
        self._dates()
        self.milestones = self._milestones()

    # -- the plan ---------------------------------------------------------------------------

    def _projects(self) -> list[DemoProject]:
        rng = self.rng
        clusters_of = {sp: [c for c in CLUSTERS if c[1] == sp] for sp, *_ in SPEERPUNTEN}
        slots: list[int] = []  # one cluster number per project, in code order
        for speerpunt, count in PROJECTS_PER_SPEERPUNT.items():
            clusters = clusters_of[speerpunt]
            sizes = [count // len(clusters)] * len(clusters)
            for i in rng.sample(range(len(clusters)), count % len(clusters)):
                sizes[i] += 1
            for row, size in zip(clusters, sizes, strict=True):
                slots.extend([row[0]] * size)
        for known_cluster, *_rest in KNOWN_PROJECTS.values():
            slots.remove(known_cluster)
        free = iter(slots)
        cluster_by_number = {c[0]: c for c in CLUSTERS}
        forms_used: dict[int, int] = {}
        projects = []
        for number in range(1, 182):
            if number in KNOWN_PROJECTS:
                cluster, title, _budget, domain = KNOWN_PROJECTS[number]
                is_demo = False
            else:
                cluster = next(free)
                name = cluster_by_number[cluster][2]
                form = forms_used.get(cluster, rng.randrange(len(TITLE_FORMS)))
                forms_used[cluster] = form + 1
                title = TITLE_FORMS[form % len(TITLE_FORMS)].format(name[0].lower() + name[1:])
                domain, is_demo = None, True
            projects.append(
                DemoProject(
                    number=number,
                    cluster=cluster,
                    domain=domain or cluster_by_number[cluster][3],
                    title=title,
                    is_demo=is_demo,
                )
            )
        return projects

    def _budgets(self) -> None:
        """Each speerpunt's budget over its projects; known budgets as published."""
        rng = self.rng
        speerpunt_of = {c[0]: c[1] for c in CLUSTERS}
        for speerpunt, _nl, _en, millions in SPEERPUNTEN:
            members = [p for p in self.projects if speerpunt_of[p.cluster] == speerpunt]
            fixed = [p for p in members if KNOWN_PROJECTS.get(p.number, (0, "", None))[2]]
            free = [p for p in members if p not in fixed]
            for p in fixed:
                p.budget = KNOWN_PROJECTS[p.number][2]  # type: ignore[assignment]
            rest = millions * MILLION - sum(p.budget for p in fixed)
            # Budgets in thousands of euro, like the plan's tables.
            weights = [rng.lognormvariate(0, 0.9) for _ in free]
            shares = _spread(rest // 1000, weights, [100] * len(free), [rest] * len(free))
            for p, share in zip(free, shares, strict=True):
                p.budget = share * 1000
        for p in self.projects:
            p.budget_2021 = p.budget
        # VV181 was funded in 2022 by moving 6 million out of three projects.
        for number in DONORS_OF_VV181:
            self.projects[number - 1].budget_2021 = self.projects[number - 1].budget + 2 * MILLION
        vv181 = self.projects[180]
        vv181.budget_2021 = 0
        donor_speerpunten = {speerpunt_of[self.projects[n - 1].cluster] for n in DONORS_OF_VV181}
        assert donor_speerpunten, "VV181's donors belong to a speerpunt"

    def _statuses(self) -> None:
        """Project statuses per round: nested realised sets, the pinned facts, exact counts."""
        rng = self.rng
        realised_before: set[int] = set()
        previous: dict[int, ProjectStatus] = {}
        for plan in ROUNDS:
            in_round = [p for p in self.projects if plan.code != "2021-12" or p.number != 181]
            pinned = dict(PINNED_STATUS[plan.code])
            for number in realised_before:
                pinned[number] = S.REALISED
            wanted = dict(plan.counts)
            for status in pinned.values():
                wanted[status] -= 1
            # Realised and stopped projects come from those that were running longest.
            open_numbers = [p.number for p in in_round if p.number not in pinned]
            rng.shuffle(open_numbers)
            if previous:
                # Who was not started or just started moves on first; stay-at-home last.
                order = {S.NOT_STARTED: 0, S.STARTED: 1}
                open_numbers.sort(key=lambda n: order.get(previous.get(n, S.STARTED), 2))
            # Projects from the sources get only what the sources say of them: they stay in
            # the middle, which becomes "in uitvoering".
            known = [n for n in open_numbers if n in KNOWN_PROJECTS]
            open_numbers = [n for n in open_numbers if n not in KNOWN_PROJECTS]
            middle = len(open_numbers) // 2
            open_numbers[middle:middle] = known
            assigned: dict[int, ProjectStatus] = dict(pinned)
            # Early statuses first from the front, finished ones from the back.
            for status in (S.NOT_STARTED, S.STARTED):
                for _ in range(wanted.pop(status, 0)):
                    assigned[open_numbers.pop(0)] = status
            for status in (S.REALISED, S.STOPPED, S.ATTENTION, S.ACTION_REQUIRED):
                for _ in range(wanted.pop(status, 0)):
                    assigned[open_numbers.pop()] = status
            for number in open_numbers:
                assigned[number] = S.IN_PROGRESS
            wanted.pop(S.IN_PROGRESS, None)
            assert not any(wanted.values()), wanted
            for p in in_round:
                p.statuses[plan.code] = assigned[p.number]
            realised_before |= {n for n, s in assigned.items() if s == S.REALISED}
            previous = assigned

    def _dates(self) -> None:
        rng = self.rng
        for p in self.projects:
            if p.number == 181:
                p.start = dt.date(2022, 9, 1)
            else:
                p.start = dt.date(2020, 7, 1) + dt.timedelta(days=rng.randrange(0, 480))
                if p.statuses.get("2021-12") == S.NOT_STARTED:
                    p.start = dt.date(2022, 2, 1) + dt.timedelta(days=rng.randrange(0, 150))
            realised_in = next(
                (plan for plan in ROUNDS if p.statuses.get(plan.code) == S.REALISED), None
            )
            if realised_in:
                latest = realised_in.reference_date - dt.timedelta(days=rng.randrange(15, 120))
                p.end = max(latest, p.start + dt.timedelta(days=200))
                if p.end > realised_in.reference_date:
                    p.start = realised_in.reference_date - dt.timedelta(days=400)
                    p.end = realised_in.reference_date - dt.timedelta(days=20)
            else:
                p.end = dt.date(rng.randrange(2024, 2031), rng.choice([3, 6, 9, 12]), 28)

    def _milestones(self) -> list[tuple[DemoProject, int, dt.date, str]]:
        rng = self.rng
        counts = _spread(
            TOTAL_MILESTONES - 5,
            [rng.uniform(0.5, 1.5) for _ in range(180)],
            [4] * 180,
            [18] * 180,
        ) + [5]
        milestones = []
        for p, count in zip(self.projects, counts, strict=True):
            span = (p.end - p.start).days
            for i in range(count):
                at = p.start + dt.timedelta(days=int(span * (i + 1) / count))
                if i < count - 1:
                    at -= dt.timedelta(days=rng.randrange(0, max(1, span // (count * 3))))
                step = MILESTONE_STEPS[
                    min(len(MILESTONE_STEPS) - 1, round(i * 12 / max(1, count - 1)))
                ]
                milestones.append((p, i + 1, at, step))
        return milestones

    # -- milestone statuses -------------------------------------------------------------------

    def milestone_statuses(
        self,
    ) -> dict[str, list[tuple[int, MilestoneState, dt.date | None, dt.date | None]]]:
        """Per round: (index into self.milestones, status, realised on, forecast date).

        December 2023 is fixed first, to the published 1483 of 1753; the earlier rounds follow
        from the same dates, so a milestone realised in 2022 stays realised in 2023.
        """
        rng = self.rng
        last = ROUNDS[-1]
        ref = last.reference_date
        final: dict[int, MilestoneState] = {}
        realised_on: dict[int, dt.date] = {}
        delayed_candidates, future_candidates = [], []
        for index, (p, _number, deadline, _step) in enumerate(self.milestones):
            status = p.statuses[last.code]
            due = deadline <= ref
            if status == S.REALISED:
                final[index] = MilestoneState.REALISED
                realised_on[index] = min(
                    deadline + dt.timedelta(days=rng.randrange(-20, 20)), p.end
                )
            elif due:
                final[index] = MilestoneState.REALISED
                realised_on[index] = min(deadline + dt.timedelta(days=rng.randrange(-30, 150)), ref)
                if status != S.STOPPED:
                    delayed_candidates.append(index)
            elif status == S.STOPPED:
                final[index] = MilestoneState.STOPPED
            else:
                final[index] = MilestoneState.ON_SCHEDULE
                future_candidates.append(index)
        stopped = sum(1 for s in final.values() if s == MilestoneState.STOPPED)
        missing = len(self.milestones) - ON_SCHEDULE_OR_REALISED_2023 - stopped
        flagged = {p.number for p in self.projects if p.statuses[last.code] in S.flags()}
        delayed_candidates.sort(
            key=lambda i: (self.milestones[i][0].number not in flagged, rng.random())
        )
        delayed = delayed_candidates[: int(missing * 0.7)]
        future_candidates.sort(key=lambda i: self.milestones[i][2], reverse=True)
        future = future_candidates[: missing - len(delayed)]
        for index in delayed:
            final[index] = MilestoneState.DELAYED
            del realised_on[index]
        for index in future:
            final[index] = MilestoneState.FUTURE

        by_round = {}
        for plan in ROUNDS:
            rows = []
            for index, (p, _number, deadline, _step) in enumerate(self.milestones):
                if plan.code not in p.statuses:
                    continue
                rows.append(
                    (
                        index,
                        *self._status_at(plan, p, deadline, final[index], realised_on.get(index)),
                    )
                )
            by_round[plan.code] = rows
        return by_round

    def _status_at(
        self,
        plan: RoundPlan,
        project: DemoProject,
        deadline: dt.date,
        final: MilestoneState,
        realised_on: dt.date | None,
    ) -> tuple[MilestoneState, dt.date | None, dt.date | None]:
        ref = plan.reference_date
        if realised_on and realised_on <= ref:
            return MilestoneState.REALISED, realised_on, None
        if plan is ROUNDS[-1] and final == MilestoneState.STOPPED:
            return MilestoneState.STOPPED, None, None
        if final == MilestoneState.FUTURE or project.statuses[plan.code] == S.NOT_STARTED:
            return MilestoneState.FUTURE, None, None
        if deadline <= ref:
            forecast = realised_on or deadline + dt.timedelta(days=270)
            return MilestoneState.DELAYED, None, max(forecast, ref + dt.timedelta(days=30))
        return MilestoneState.ON_SCHEDULE, None, None

    # -- money -------------------------------------------------------------------------------

    def finance(self) -> dict[str, dict[int, tuple[int, int, int]]]:
        """Per round and project number: (budget at the round, VAK, VEK), cumulative."""
        rng = self.rng
        appetite = {p.number: rng.uniform(0.6, 1.4) for p in self.projects}
        previous: dict[int, tuple[int, int, int]] = {}
        result = {}
        for plan in ROUNDS:
            members = [p for p in self.projects if plan.code in p.statuses]
            budgets = [p.budget_2021 if plan.code == "2021-12" else p.budget for p in members]
            progress = {S.NOT_STARTED: 0.0, S.STARTED: 0.5, S.REALISED: 3.0, S.STOPPED: 0.1}
            weights = [
                b * appetite[p.number] * progress.get(p.statuses[plan.code], 1.0)
                for p, b in zip(members, budgets, strict=True)
            ]
            committed = _spread(
                plan.committed_eur,
                weights,
                [
                    min(previous.get(p.number, (0, 0, 0))[1], b)
                    for p, b in zip(members, budgets, strict=True)
                ],
                budgets,
            )
            paid = _spread(
                plan.paid_eur,
                [w * rng.uniform(0.5, 1.5) for w in weights],
                [
                    min(previous.get(p.number, (0, 0, 0))[2], c)
                    for p, c in zip(members, committed, strict=True)
                ],
                committed,
            )
            result[plan.code] = {
                p.number: (b, c, v)
                for p, b, c, v in zip(members, budgets, committed, paid, strict=True)
            }
            previous = result[plan.code]
        return result
