"""A small plan with two closed rounds and an open one, for the dashboard, the comparison
and the report: two speerpunten, three clusters, two domains, some RRF projects, money,
milestones that slip, a flag with its follow-up, an indicator, and a draft in the open
round that only its readers may see."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from milestones.models import MilestoneState
from projects.models import (
    FlagLevel,
    FollowUpAction,
    Project,
    ProjectStatus,
    ReportingRound,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    UserFactory,
)
from tests.plans import PlanBuilder

S = ProjectStatus
M = MilestoneState
DRAFT = "Geheime concepttekst van het open meetmoment"
MOTIVATION = "De aanbesteding liep vertraging op"
ACTION = "Nieuwe planning voorleggen aan het kabinet"
BEFORE = (S.STARTED, S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS, S.NOT_STARTED, S.IN_PROGRESS)
AFTER = (S.IN_PROGRESS, S.REALISED, S.ATTENTION, S.IN_PROGRESS, S.STARTED, S.STOPPED)


@dataclass
class Plan:
    projects: list[Project]
    first: ReportingRound
    second: ReportingRound
    opened: ReportingRound


def _milestones(project: Project, index: int, first: ReportingRound, second: ReportingRound):
    milestone = MilestoneFactory(project=project, number=1, deadline=dt.date(2024, 1, 31))
    kind = index % 4
    if kind == 0:  # newly delayed
        states = [
            (first, M.ON_SCHEDULE, None, None),
            (second, M.DELAYED, None, dt.date(2024, 12, 31)),
        ]
    elif kind == 1:  # delayed, and expected later than before
        states = [
            (first, M.DELAYED, None, dt.date(2024, 3, 31)),
            (second, M.DELAYED, None, dt.date(2024, 9, 30)),
        ]
    elif kind == 2:  # on schedule twice
        states = [(first, M.ON_SCHEDULE, None, None), (second, M.ON_SCHEDULE, None, None)]
    else:  # realised
        states = [
            (first, M.ON_SCHEDULE, None, None),
            (second, M.REALISED, dt.date(2023, 6, 1), None),
        ]
    for reporting_round, status, realised_on, forecast in states:
        MilestoneStatusFactory(
            round=reporting_round,
            milestone=milestone,
            status=status,
            realised_on=realised_on,
            forecast_date=forecast,
        )
    return milestone


def build_plan(size: int = 6) -> Plan:
    builder = PlanBuilder.two_speerpunten(
        clusters=[{"speerpunt": 0}, {"speerpunt": 0}, {"speerpunt": 1}]
    )
    projects = builder.add_projects(
        size, rrf=lambda i: i % 3 == 0, budget=lambda i: Decimal(1_000_000 * (i + 1))
    )
    first = builder.round(2022)
    second = builder.round(2023)
    coordinator = UserFactory(role=Role.COORDINATOR)
    for index, project in enumerate(projects):
        _milestones(project, index, first, second)
        for reporting_round, statuses, share in ((first, BEFORE, 2), (second, AFTER, 4)):
            status = statuses[index % len(statuses)]
            fiche = builder.fiche(
                reporting_round,
                project,
                status=status,
                narrative=f"Gepubliceerde toelichting {project.code} {reporting_round.code}",
                finance={
                    "committed_eur": project.budget_eur * share / 5,
                    "paid_eur": project.budget_eur * share / 10,
                },
            )
            if status == S.ATTENTION:
                flag = StatusFlag.objects.create(
                    fiche=fiche,
                    level=FlagLevel.ATTENTION,
                    motivation=MOTIVATION,
                    raised_by=coordinator,
                )
                FollowUpAction.objects.create(
                    flag=flag, description=ACTION, owner="Kabinet", due_date=dt.date(2024, 6, 30)
                )
    indicator = IndicatorFactory(project=projects[0], code="OUT1", defined_in=[first, second])
    IndicatorValueFactory(round=second, indicator=indicator, value=Decimal("42.5"))
    builder.close(first, second)

    opened = builder.round(2024, state=RoundState.OPEN)
    for project in projects:
        builder.fiche(
            opened,
            project,
            status=S.REALISED,
            narrative=DRAFT,
            finance={"committed_eur": project.budget_eur, "paid_eur": Decimal(7)},
        )
        MilestoneStatusFactory(
            round=opened,
            milestone=project.milestones.get(),
            status=M.REALISED,
            realised_on=dt.date(2024, 11, 1),
        )
    # The draft renames the indicator: the closed rounds' report keeps the old name.
    IndicatorDefinitionFactory(indicator=indicator, round=opened, name=DRAFT)
    return Plan(projects=projects, first=first, second=second, opened=opened)
