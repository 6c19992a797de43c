"""The demo plan: Vlaamse Veerkracht as published, with the gaps filled plausibly.

What is real comes from shared/data/reference (the speerpunten, the policy domains, the
known clusters and projects with their titles and budgets, and the published totals of
December 2021, 2022 and 2023). Everything else is generated from a fixed seed, and every
generated project carries ``is_demo``. The published figures are reproduced exactly:

==========  ======================================================  =================
round       projects                                                money
==========  ======================================================  =================
2021-12     180: 153 in uitvoering, 17 opgestart, 1 gerealiseerd,   VAK 1 522 630 000
            7 oranje, 2 niet gestart                                VEK   218 800 000
2022-12     181: 162 in uitvoering, 3 opgestart, 13 gerealiseerd    VAK 4 085 000 000
            (+ 2 oranje, 1 rood: not published, chosen here)        VEK 1 309 000 000
2023-12     181: 33 gerealiseerd, 141 in uitvoering, 3 stopgezet,   VAK 4 168 000 000
            4 aandacht; 1483 of 1753 milestones on schedule or      VEK 2 162 000 000
            realised
==========  ======================================================  =================

The plan is built the way it happened: VV181 arrives in 2022 with 6 million moved out of
VV028, VV033 and VV101, so the 2021 round keeps the budgets it had.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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

SEED = 20201001
MILLION = 1_000_000

DOMAINS = [
    # code, Dutch name, English name, active until, merged into
    ("KBBJ", "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
     "Chancellery, Public Governance, Foreign Affairs and Justice", None, None),
    ("FB", "Financiën en Begroting", "Finance and Budget", None, None),
    ("EWI", "Economie, Wetenschap en Innovatie", "Economy, Science and Innovation",
     dt.date(2023, 12, 31), "WEWILS"),
    ("OV", "Onderwijs en Vorming", "Education and Training", None, None),
    ("WVG", "Welzijn, Volksgezondheid en Gezin", "Welfare, Public Health and Family", None, None),
    ("CJSM", "Cultuur, Jeugd, Sport en Media", "Culture, Youth, Sport and Media", None, None),
    ("WSE", "Werk en Sociale Economie", "Work and Social Economy", dt.date(2023, 12, 31), "WEWILS"),
    ("LV", "Landbouw en Visserij", "Agriculture and Fisheries", dt.date(2023, 12, 31), "WEWILS"),
    ("MOW", "Mobiliteit en Openbare Werken", "Mobility and Public Works", None, None),
    ("OMG", "Omgeving", "Environment", None, None),
    ("WEWILS", "Werk, Economie, Wetenschap, Innovatie, Landbouw en Sociale Economie",
     "Work, Economy, Science, Innovation, Agriculture and Social Economy", None, None),
]  # fmt: skip

# number, Dutch name, English name, demo budget (million euro; published per-speerpunt
# totals do not exist, these follow the December 2020 announcements and add up to 4.3 bn).
SPEERPUNTEN = [
    (1, "Economie en samenleving verduurzamen", "Making the economy and society more sustainable", 1275),
    (2, "Investeren in infrastructuur", "Investing in infrastructure", 1460),
    (3, "Vlaanderen digitaal transformeren", "Transforming Flanders digitally", 820),
    (4, "Investeren in mensen en talenten", "Investing in people and talents", 320),
    (5, "Het Vlaamse zorg- en welzijnssysteem versterken",
     "Strengthening Flanders' care and welfare system", 263),
    (6, "De coronacrisis beheren en Brexit", "Emerging from the corona crisis and Brexit", 92),
    # The Dutch name of speerpunt 7 is not confirmed: the plan's English name stands.
    (7, "Making government more efficient", "Making government more efficient", 70),
]  # fmt: skip

# number, speerpunt, name, policy domain, real (from the published sources)?
CLUSTERS = [
    (1, 1, "Renovatie gebouwenpatrimonium", "OMG", True),
    (2, 1, "Fietsinfrastructuur", "MOW", True),
    (3, 1, "Circulaire economie", "OMG", False),
    (4, 1, "Energietransitie en waterstof", "OMG", False),
    (5, 1, "Klimaatinnovatie in de industrie", "EWI", False),
    (6, 1, "Blue deal", "OMG", True),
    (7, 1, "Natuur en bos", "OMG", False),
    (8, 1, "Duurzame landbouw", "LV", False),
    (9, 1, "Energiezuinig wonen", "OMG", False),
    (10, 2, "Verkeersveilige wegen", "MOW", False),
    (11, 2, "Modal shift naar het water", "MOW", False),
    (12, 2, "Vergroening van de weginfrastructuur", "MOW", False),
    (13, 2, "Openbaar vervoer", "MOW", False),
    (14, 2, "Culturele infrastructuur", "CJSM", False),
    (15, 2, "Sportinfrastructuur", "CJSM", False),
    (16, 2, "Verbetering en verduurzaming ruimtelijke ordening", "OMG", True),
    (17, 3, "Digitalisering van het leerplichtonderwijs", "OV", False),
    (18, 3, "Digitale lokale besturen", "KBBJ", False),
    (19, 3, "Digitale Vlaamse overheid", "KBBJ", False),
    (20, 3, "Artificiële intelligentie", "EWI", False),
    (21, 3, "Cyberveiligheid", "KBBJ", False),
    (22, 3, "Breedband en connectiviteit", "EWI", False),
    (23, 3, "Data-economie", "EWI", False),
    (24, 3, "Digitale zorg", "WVG", False),
    (25, 4, "Levenslang leren", "WSE", False),
    (26, 4, "Digibanken", "WSE", True),
    (27, 4, "Opleiding en activering van werkzoekenden", "WSE", False),
    (28, 4, "Onderwijsinfrastructuur", "OV", False),
    (29, 4, "Talent voor wetenschap en innovatie", "EWI", False),
    (30, 5, "Geestelijke gezondheidszorg", "WVG", False),
    (31, 5, "Zorginfrastructuur", "WVG", False),
    (32, 5, "Gezin en armoedebestrijding", "WVG", False),
    (33, 6, "Steun aan getroffen sectoren", "EWI", False),
    (34, 6, "Brexit en internationaal ondernemen", "KBBJ", False),
    (35, 7, "Minder planlast en efficiëntere overheid", "FB", False),
    # The 36th cluster appears in December 2023; VV181 fits it.
    (36, 6, "Steun aan landbouw en visserij (oorlog in Oekraïne)", "LV", False),
]

# Projects per speerpunt (demo choice; 181 in all).
PROJECTS_PER_SPEERPUNT = {1: 50, 2: 40, 3: 35, 4: 22, 5: 18, 6: 10, 7: 6}

# code number: cluster, title, budget in euro (None: generated), domain (None: the cluster's).
KNOWN_PROJECTS = {
    4: (1, "Circulaire economie - asbest", None, None),
    14: (2, "Fietsinfrastructuur aan gemeentewegen", 150 * MILLION, None),
    24: (6, "Groenblauwe infrastructuur open ruimte", 40 * MILLION, None),
    34: (6, "Vlaggenschipprojecten natuurgebaseerde oplossingen", None, None),
    44: (11, "Friendly acquisitions and expropriations New Lock Zeebrugge", None, None),
    56: (19, "Achterliggende processen gemeenschappelijke dienstverlening – onboarding "
             "raamcontract 2022", None, None),
    78: (14, "Cultuurhuis Blankenberge", None, None),
    87: (14, "Materniteit de Bijloke – de Creatiecluster (Gent)", None, None),
    104: (16, "Stadsvernieuwing", None, None),
    120: (32, "Verbeteren van de sociale kaart", None, None),
    127: (26, "Digibanken", 50 * MILLION, "WSE"),
    139: (30, "Overkophuizen", None, None),
    146: (32, "Compensatiebesluit KO (Kinderopvang) – extra tussenkomst IKT (inkomenstarief)",
          None, None),
    168: (4, "Versnelde uitrol digitale meter", None, None),
    181: (36, "Steun aan de visserij- en landbouwsector na de oorlog in Oekraïne", 6 * MILLION,
          None),
}  # fmt: skip
DONORS_OF_VV181 = (28, 33, 101)  # each gave 2 million in 2022

ENTITIES = {
    "KBBJ": ["Digitaal Vlaanderen", "Agentschap Binnenlands Bestuur", "Departement Kanselarij en Buitenlandse Zaken"],
    "FB": ["Departement Financiën en Begroting"],
    "EWI": ["VLAIO", "Departement EWI", "FWO"],
    "OV": ["Departement Onderwijs en Vorming", "AGION"],
    "WVG": ["Departement Zorg", "Opgroeien", "Departement Welzijn, Volksgezondheid en Gezin"],
    "CJSM": ["Departement Cultuur, Jeugd en Media", "Sport Vlaanderen"],
    "WSE": ["VDAB", "Departement Werk en Sociale Economie"],
    "LV": ["Departement Landbouw en Visserij", "ILVO"],
    "MOW": ["Agentschap Wegen en Verkeer", "De Vlaamse Waterweg", "Departement MOW"],
    "OMG": ["Vlaams Energie- en Klimaatagentschap", "OVAM", "Vlaamse Milieumaatschappij", "Agentschap voor Natuur en Bos"],
}  # fmt: skip

TITLE_FORMS = [
    "Investeringsprogramma {}", "Subsidieoproep {}", "Proeftuinen {}", "Versnelling {}",
    "Kennisplatform {}", "Opschaling {}", "Modernisering {}", "Lokale projecten {}",
    "Innovatietraject {}", "Digitaal loket {}", "Steunmaatregel {}", "Uitbreiding {}",
]  # fmt: skip

MILESTONE_STEPS = [
    "Agendering op de Vlaamse Regering", "Goedkeuring van het uitvoeringsbesluit",
    "Lancering van de oproep", "Selectie van de begunstigden", "Gunning van de opdracht",
    "Start van de uitvoering", "Tussentijdse evaluatie", "Oplevering eerste fase",
    "Oplevering tweede fase", "Uitbetaling van het saldo", "Oplevering laatste fase",
    "Eindafrekening", "Eindrapport en evaluatie",
]  # fmt: skip

TOTAL_MILESTONES = 1753


@dataclass(frozen=True)
class RoundPlan:
    code: str
    name: str
    reference_date: dt.date
    deadline: dt.date
    counts: dict[ProjectStatus, int]
    committed_eur: int
    paid_eur: int


S = ProjectStatus
ROUNDS = [
    RoundPlan("2021-12", "December 2021", dt.date(2021, 12, 31), dt.date(2022, 1, 31),
              {S.IN_PROGRESS: 153, S.STARTED: 17, S.REALISED: 1, S.ATTENTION: 7, S.NOT_STARTED: 2},
              1_522_630_000, 218_800_000),
    RoundPlan("2022-12", "December 2022", dt.date(2022, 12, 31), dt.date(2023, 1, 31),
              {S.IN_PROGRESS: 162, S.STARTED: 3, S.REALISED: 13, S.ATTENTION: 2,
               S.ACTION_REQUIRED: 1},
              4_085_000_000, 1_309_000_000),
    RoundPlan("2023-12", "December 2023", dt.date(2023, 12, 31), dt.date(2024, 1, 31),
              {S.REALISED: 33, S.IN_PROGRESS: 141, S.STOPPED: 3, S.ATTENTION: 4},
              4_168_000_000, 2_162_000_000),
]  # fmt: skip
ON_SCHEDULE_OR_REALISED_2023 = 1483

# Status choices that the sources name (the rest is drawn).
PINNED_STATUS = {
    "2021-12": {146: S.REALISED, 168: S.ATTENTION, 14: S.ATTENTION, 56: S.ATTENTION,
                120: S.ATTENTION},
    "2022-12": {146: S.REALISED, 139: S.REALISED, 44: S.REALISED, 168: S.ATTENTION,
                87: S.ATTENTION, 78: S.ACTION_REQUIRED},
    "2023-12": {146: S.REALISED, 139: S.REALISED, 44: S.REALISED, 168: S.ATTENTION,
                78: S.ATTENTION},
}  # fmt: skip


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


NARRATIVES = {
    S.NOT_STARTED: "Het project is nog niet gestart; de voorbereiding van het uitvoeringsbesluit loopt.",
    S.STARTED: "Het project is opgestart. De agendering op de Vlaamse Regering is voorzien in het "
    "volgende semester.",
    S.IN_PROGRESS: "Het project loopt volgens schema. Gerealiseerde mijlpalen: {realised} van {total}.",
    S.REALISED: "Het project is gerealiseerd: alle {total} mijlpalen zijn behaald.",
    S.ATTENTION: "Bijzondere aandacht nodig: de planning staat onder druk (vertraagde mijlpalen: "
    "{delayed} van {total}). Een bijgestuurde planning is voorgelegd.",
    S.ACTION_REQUIRED: "Bijkomende actie noodzakelijk: de uitvoering ligt stil in afwachting van een "
    "beslissing over de financiering.",
    S.STOPPED: "Het project werd stopgezet; de resterende middelen worden herverdeeld binnen het plan.",
}  # fmt: skip


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
