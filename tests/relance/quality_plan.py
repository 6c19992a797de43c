"""One plan for the quality check's tests: a closed round and the open one after it, a
project per quality rule whose fiche triggers that rule alone, and a clean project.

Every project has a budget of 1.000.000 and milestone 1 (deadline 2030, on schedule). Its
fiche in the closed round (2023-12-31): in progress, VAK 400.000, VEK 100.000; in the open
round (2024-12-31): VAK 500.000, VEK 200.000, a new narrative; each rule's project changes
what its rule is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from milestones.models import MilestoneState
from projects.models import Fiche, PolicyDomain, Project, ProjectStatus, ReportingRound
from projects.models.rounds import RoundState
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

BEFORE = dt.date(2023, 12, 31)
NOW = dt.date(2024, 12, 31)
LATER = dt.date(2030, 6, 30)
FELL_DUE = dt.date(2024, 6, 30)  # between the two reference dates

# rule → (what the open round's fiche says, what the closed round's said), over the defaults.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "realised_with_open_milestones": ({"owner_status": ProjectStatus.REALISED}, {}),
    "paid_exceeds_committed": ({"paid_eur": Decimal("600000.00")}, {}),
    "committed_exceeds_budget": ({"committed_eur": Decimal("1200000.00")}, {}),
    "overdue_future_milestone": (
        {"milestones": {1: {"status": MilestoneState.FUTURE}}, "deadline": FELL_DUE},
        {"milestones": {1: {"status": MilestoneState.FUTURE}}},
    ),
    "realised_milestone_after_reference": (
        {
            "milestones": {
                1: {"status": MilestoneState.REALISED, "realised_on": dt.date(2025, 1, 15)}
            }
        },
        {},
    ),
    "money_decreased": ({"committed_eur": Decimal("300000.00")}, {}),
    "status_regressed": (
        {},
        {
            "owner_status": ProjectStatus.REALISED,
            "milestones": {1: {"status": MilestoneState.REALISED, "realised_on": BEFORE}},
        },
    ),
    "missing_fiche": ({"no_fiche": True}, {}),
    "missing_milestone_status": ({"milestones": {1: None}}, {}),
    "delayed_without_forecast": (
        {"milestones": {1: {"status": MilestoneState.DELAYED, "delay_reason": "Beroep"}}},
        {},
    ),
    "unchanged_fiche": (
        {
            "narrative": "Eerder",
            "committed_eur": Decimal("400000.00"),
            "paid_eur": Decimal("100000.00"),
            "deadline": FELL_DUE,
        },
        {},
    ),
    # The early warnings: VEK 40% of VAK late in the project's life (orange); the end date
    # passed (red), VEK 70% of VAK, 75% the round before.
    "suggest_attention": ({"end_date": dt.date(2025, 6, 30)}, {}),
    "suggest_action_required": (
        {"end_date": dt.date(2024, 6, 30), "paid_eur": Decimal("350000.00")},
        {"paid_eur": Decimal("300000.00")},
    ),
}
# The rules whose finding is about a milestone (number 1 here).
ON_MILESTONE = {
    "overdue_future_milestone",
    "realised_milestone_after_reference",
    "missing_milestone_status",
    "delayed_without_forecast",
}


@dataclass
class QualityPlan:
    closed: ReportingRound
    open: ReportingRound
    domain: PolicyDomain
    other_domain: PolicyDomain
    projects: dict[str, Project]  # rule → its project; "clean" → the clean one
    fiches: dict[str, Fiche]  # rule → its fiche in the open round (missing_fiche: none)


def _fiche(reporting_round: ReportingRound, project: Project, say: dict[str, Any]) -> Fiche:
    status = say.get("owner_status", ProjectStatus.IN_PROGRESS)
    fiche = FicheFactory(
        round=reporting_round,
        project=project,
        status=status,
        owner_status=status,
        narrative=say.get("narrative", "Nu" if reporting_round.reference_date == NOW else "Eerder"),
    )
    FinanceReportFactory(
        fiche=fiche,
        committed_eur=say.get("committed_eur", Decimal("500000.00")),
        paid_eur=say.get("paid_eur", Decimal("200000.00")),
    )
    return fiche


def build_quality_plan(copies: int = 1) -> QualityPlan:
    """The plan; ``copies`` times each case (for the query counts on a bigger plan)."""
    domain = PolicyDomainFactory(code="ECON")
    other_domain = PolicyDomainFactory(code="OMG")
    closed = ReportingRoundFactory(code="2023-12", reference_date=BEFORE, state=RoundState.OPEN)
    current = ReportingRoundFactory(code="2024-12", reference_date=NOW, state=RoundState.DRAFT)
    projects: dict[str, Project] = {}
    fiches: dict[str, Fiche] = {}
    before_defaults = {"committed_eur": Decimal("400000.00"), "paid_eur": Decimal("100000.00")}
    for copy in range(copies):
        for rule, (now, then) in [*CASES.items(), ("clean", ({}, {}))]:
            project = ProjectFactory(
                domain=other_domain if rule == "paid_exceeds_committed" else domain,
                # Early in its life, but for the early warnings' cases: no suggestion mixes
                # in with the other findings.
                end_date=now.get("end_date", dt.date(2030, 12, 31)),
            )
            deadline = now.get("deadline", LATER)
            milestone = MilestoneFactory(
                project=project, number=1, deadline=deadline, description="Ontwerp"
            )
            for reporting_round, say in ((closed, {**before_defaults, **then}), (current, now)):
                if say.get("no_fiche"):
                    continue
                _fiche(reporting_round, project, say)
                entry = say.get("milestones", {}).get(1, {"status": MilestoneState.ON_SCHEDULE})
                if entry is not None:
                    MilestoneStatusFactory(round=reporting_round, milestone=milestone, **entry)
            if copy == 0:
                projects[rule] = project
                fiche = Fiche.objects.filter(round=current, project=project).first()
                if fiche is not None:
                    fiches[rule] = fiche
    closed.close(by=None)
    current.state = RoundState.OPEN
    current.save(update_fields=["state"])
    return QualityPlan(closed, current, domain, other_domain, projects, fiches)
