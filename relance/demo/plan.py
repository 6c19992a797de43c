"""The demo plan generated in memory, from a fixed seed, around the published facts."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from projects.models import ProjectStatus

from .data import (
    CHOSEN_STATUS,
    CLUSTER_TRANSITIONS,
    CLUSTERS,
    DONORS_OF_VV181,
    ENTITIES,
    KNOWN_PROJECTS,
    LEAVERS,
    LEAVERS_FROM,
    MILESTONE_STEPS,
    MILLION,
    PROJECTS_PER_SPEERPUNT,
    PUBLISHED_STATUS,
    ROUNDS,
    SEED,
    SPEERPUNTEN,
    TITLE_FORMS,
    TOTAL_MILESTONES,
    VV181_FROM,
    RoundPlan,
)

S = ProjectStatus
ROUND_BY_CODE = {plan.code: plan for plan in ROUNDS}
# Projects the sources say something about: the demo draws nothing for them.
SOURCED = set(KNOWN_PROJECTS) | set(DONORS_OF_VV181)


@dataclass
class DemoProject:
    number: int
    cluster: int
    domain: str
    title: str
    is_demo: bool
    entity: str = ""
    budget: int = 0
    budget_2021: int = 0
    is_rrf: bool = False
    climate: int = 0
    digital: int = 0
    start: dt.date = dt.date(2021, 1, 1)
    end: dt.date = dt.date(2026, 12, 31)
    # Status per round code, for the rounds in which the project has a fiche.
    statuses: dict[str, ProjectStatus] = field(default_factory=dict)
    left_plan: bool = False

    @property
    def code(self) -> str:
        return f"VV{self.number:03d}"

    def finished_in(self) -> RoundPlan | None:
        """The round in which the project was realised or stopped, if any."""
        return next((plan for plan in ROUNDS if self.statuses.get(plan.code) in S.finished()), None)


def spread(
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


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day between ``first`` and ``last``, both included."""
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


class _Draw:
    """One round's statuses: the pinned ones, then the published counts drawn."""

    def __init__(
        self,
        rng: random.Random,
        plan: RoundPlan,
        numbers: list[int],
        previous: dict[int, ProjectStatus],
    ) -> None:
        self.plan, self.numbers, self.previous = plan, numbers, previous
        self.assigned = {n: s for n, s in previous.items() if s in S.finished() and n in numbers}
        for pinned in (PUBLISHED_STATUS, CHOSEN_STATUS):
            for number, status in pinned.get(plan.code, {}).items():
                if self.assigned.get(number, status) != status:
                    raise ValueError(f"VV{number:03d} cannot be {status} in {plan.code}.")
                self.assigned[number] = status
        self.wanted = Counter(plan.counts)
        self.wanted.subtract(self.assigned.values())
        if any(count < 0 for count in self.wanted.values()):
            raise ValueError(f"Too many pinned statuses in {plan.code}: {self.wanted}")
        # Projects from the sources get only what the sources say of them: the rest of the
        # time they are in progress. The others are drawn.
        self.drawn = [n for n in numbers if n not in self.assigned and n not in SOURCED]
        rng.shuffle(self.drawn)
        rank: dict[ProjectStatus | None, int] = {S.NOT_STARTED: 0, S.STARTED: 1}
        self.drawn.sort(key=lambda n: rank.get(previous.get(n), 2) if previous else 0)

    def had(self, *statuses: ProjectStatus) -> list[int]:
        """The drawable projects that had one of ``statuses`` in the round before."""
        return [n for n in self.drawn if not self.previous or self.previous.get(n) in statuses]

    def take(self, status: ProjectStatus, candidates: list[int]) -> None:
        count = self.wanted.pop(status, 0)
        if len(candidates) < count:
            raise ValueError(f"Not enough candidates for {status} in {self.plan.code}.")
        for n in candidates[:count]:
            self.assigned[n] = status
            self.drawn.remove(n)

    def assign(self, flagged_ever: set[int]) -> dict[int, ProjectStatus]:
        previous = self.previous
        # Who had not started, or only just, is first to stay behind.
        self.take(S.NOT_STARTED, self.had(S.NOT_STARTED))
        self.take(S.STARTED, self.had(S.NOT_STARTED, S.STARTED))
        running = (S.IN_PROGRESS, *S.flags())
        # Projects stop after trouble; they are realised after running on schedule.
        self.take(S.STOPPED, sorted(self.had(*running), key=lambda n: n not in flagged_ever))
        self.take(
            S.REALISED, sorted(self.had(*running), key=lambda n: previous.get(n) in S.flags())
        )
        # A flag tends to stay, at its level: the projects flagged so before come first (a
        # flag at another level would be lifted and raised anew).
        for level in (S.ATTENTION, S.ACTION_REQUIRED):
            candidates = [
                n
                for n in self.drawn
                if previous.get(n) not in S.flags() or previous.get(n) == level
            ]
            self.take(level, sorted(candidates, key=lambda n: previous.get(n) != level))
        for n in self.numbers:
            self.assigned.setdefault(n, S.IN_PROGRESS)
        self.wanted.pop(S.IN_PROGRESS, None)
        counts = Counter(self.assigned[n] for n in self.numbers)
        if any(self.wanted.values()) or counts != Counter(self.plan.counts):
            raise ValueError(f"{self.plan.code} does not add up: {counts}")
        return {n: self.assigned[n] for n in self.numbers}


class DemoPlan:
    """Generates the plan in memory (progress.py adds its milestone statuses and money),
    then load.py writes it in a handful of bulk inserts."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.projects = self._projects()
        self.by_number = {p.number: p for p in self.projects}
        self._budgets()
        self._rrf_and_transitions()
        self._statuses()
        self._dates()
        self.milestones = self._milestones()

    # -- the plan ---------------------------------------------------------------------------

    def members(self, code: str) -> list[DemoProject]:
        """The projects with a fiche in round ``code``, in code order."""
        return [p for p in self.projects if code in p.statuses]

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
            shares = spread(rest // 1000, weights, [100] * len(free), [rest] * len(free))
            for p, share in zip(free, shares, strict=True):
                p.budget = share * 1000
        for p in self.projects:
            p.budget_2021 = p.budget
        # VV181 was funded in 2022 by moving 6 million out of three projects.
        for number in DONORS_OF_VV181:
            self.by_number[number].budget_2021 = self.by_number[number].budget + 2 * MILLION
        self.by_number[181].budget_2021 = 0

    def _rrf_and_transitions(self) -> None:
        """55 RRF projects, among them Digibanken (VV127); entities; coefficients by cluster."""
        rng = self.rng
        for p in self.projects:
            p.entity = rng.choice(ENTITIES[p.domain])
            p.climate, p.digital = CLUSTER_TRANSITIONS[p.cluster]
        candidates = [p.number for p in self.projects if p.number not in (127, 181)]
        for number in [*rng.sample(candidates, 54), 127]:
            self.by_number[number].is_rrf = True

    def _in_round(self, p: DemoProject, plan: RoundPlan) -> bool:
        if p.number == 181:
            return plan.reference_date >= ROUND_BY_CODE[VV181_FROM].reference_date
        return not (
            p.left_plan and plan.reference_date >= ROUND_BY_CODE[LEAVERS_FROM].reference_date
        )

    def _choose_leavers(self, previous: dict[int, ProjectStatus]) -> None:
        """The 22 smallest running projects that the sources say nothing about, none of them RRF
        (the EU follows those) or flagged, move to regular funding."""
        candidates = sorted(
            (
                p
                for p in self.projects
                if previous.get(p.number) == S.IN_PROGRESS
                and p.number not in SOURCED
                and not p.is_rrf
            ),
            key=lambda p: p.budget,
        )
        for p in candidates[:LEAVERS]:
            p.left_plan = True

    def _statuses(self) -> None:
        """Project statuses per round: the published facts, finished projects staying
        finished, nobody moving back, and the published counts exactly."""
        previous: dict[int, ProjectStatus] = {}
        flagged_ever: set[int] = set()
        for plan in ROUNDS:
            if plan.code == LEAVERS_FROM:
                self._choose_leavers(previous)
            numbers = [p.number for p in self.projects if self._in_round(p, plan)]
            assigned = _Draw(self.rng, plan, numbers, previous).assign(flagged_ever)
            for n in numbers:
                self.by_number[n].statuses[plan.code] = assigned[n]
            flagged_ever |= {n for n in numbers if assigned[n] in S.flags()}
            previous = assigned

    def _dates(self) -> None:
        """Start after the last round the project had not started in, and by the first it
        had; a realised project ends before its round, a running one after the last."""
        rng = self.rng
        last = ROUNDS[-1].reference_date
        for p in self.projects:
            rounds = [plan for plan in ROUNDS if plan.code in p.statuses]
            waiting = [plan for plan in rounds if p.statuses[plan.code] == S.NOT_STARTED]
            active = next(plan for plan in rounds if p.statuses[plan.code] != S.NOT_STARTED)
            if p.number == 181:
                p.start = dt.date(2022, 9, 1)
            elif waiting:
                after = waiting[-1].reference_date + dt.timedelta(days=10)
                p.start = day_between(rng, after, active.reference_date - dt.timedelta(days=10))
            else:
                p.start = day_between(rng, dt.date(2020, 7, 1), dt.date(2021, 3, 1))
            finished = p.finished_in()
            if finished and p.statuses[finished.code] == S.REALISED:
                ref = finished.reference_date
                p.end = max(ref - dt.timedelta(days=rng.randrange(15, 120)), p.start)
                p.end = max(p.end, min(p.start + dt.timedelta(days=200), ref))
            else:
                p.end = dt.date(rng.randrange(2025, 2031), rng.choice([3, 6, 9, 12]), 28)
            if p.end < p.start or (not finished and p.end <= last):
                raise ValueError(f"{p.code}: impossible dates {p.start} – {p.end}.")

    def _milestones(self) -> list[tuple[DemoProject, int, dt.date, str]]:
        rng = self.rng
        counts = spread(
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
