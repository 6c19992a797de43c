"""A plan for the open data tests: two closed rounds, an open one and a draft one, whose
unpublished rows all carry ``DRAFT``, so a test can search every byte for it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from milestones.models import MilestoneState
from projects.models import Project, ProjectStatus, ReportingRound
from projects.models.rounds import RoundState
from tests.factories import (
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
)
from tests.plans import PlanBuilder

DRAFT = "ONGEPUBLICEERD-CONCEPT-7f3a"
PUBLISHED = "Gepubliceerde toelichting"
STATUSES = [ProjectStatus.IN_PROGRESS, ProjectStatus.REALISED, ProjectStatus.ATTENTION]


@dataclass
class Plan:
    earlier: ReportingRound  # closed, 2022-12
    closed: ReportingRound  # closed, 2023-12
    opened: ReportingRound  # open, 2024-12
    draft: ReportingRound  # in preparation, 2025-12
    projects: list[Project]


def make_plan(size: int = 3) -> Plan:
    """``size`` projects over two speerpunten and two domains (VV001 is RRF, in MOW and
    speerpunt 1), two milestones and one indicator each, reported in every round."""
    builder = PlanBuilder.two_speerpunten(
        clusters=[{"number": 1, "speerpunt": 0}, {"number": 2, "speerpunt": 1}]
    )
    projects = builder.add_projects(
        size,
        code=lambda n: f"VV{n + 1:03d}",
        rrf=lambda n: n == 0,
        rrf_measure="I-2.09",
        budget=lambda n: Decimal("1000000.00") * (n + 1),
    )
    milestones = [
        MilestoneFactory(project=project, number=number)
        for project in projects
        for number in (1, 2)
    ]
    earlier = builder.round(2022)
    closed = builder.round(2023)
    indicators = [
        IndicatorFactory(project=project, code="OUT1", defined_in=[earlier, closed])
        for project in projects
    ]
    for reporting_round in (earlier, closed):
        for n, project in enumerate(projects):
            builder.fiche(
                reporting_round,
                project,
                status=STATUSES[n % len(STATUSES)],
                narrative=f"{PUBLISHED} {project.code} {reporting_round.code}",
                finance={
                    "budget_eur": project.budget_eur,
                    "committed_eur": Decimal("250000.50") * (n + 1),
                    "paid_eur": Decimal("1000.05") * (n + 1),
                },
            )
        for milestone in milestones:
            MilestoneStatusFactory(
                round=reporting_round,
                milestone=milestone,
                status=MilestoneState.REALISED if milestone.number == 1 else MilestoneState.DELAYED,
                realised_on=reporting_round.reference_date if milestone.number == 1 else None,
                forecast_date=None if milestone.number == 1 else dt.date(2026, 6, 30),
            )
        for indicator in indicators:
            IndicatorValueFactory(round=reporting_round, indicator=indicator, value=Decimal("42.5"))
        builder.close(reporting_round)

    opened = builder.round(2024, state=RoundState.OPEN)
    for project in projects:
        builder.fiche(opened, project, narrative=f"{DRAFT} {project.code}", finance={})
    for milestone in milestones:
        MilestoneStatusFactory(
            round=opened,
            milestone=milestone,
            status=MilestoneState.DELAYED,
            forecast_date=dt.date(2027, 1, 1),
            delay_reason=DRAFT,
            note=DRAFT,
        )
    for indicator in indicators:
        IndicatorValueFactory(round=opened, indicator=indicator, note=DRAFT)
        # The draft renames the indicator and adds one: neither is published.
        IndicatorDefinitionFactory(indicator=indicator, round=opened, name=DRAFT, unit=DRAFT)
        IndicatorFactory(
            project=indicator.project, code="OUT2", defined_in=[opened], defined_in__name=DRAFT
        )

    draft = builder.round(2025, name=f"{DRAFT} ronde")
    builder.fiche(draft, projects[0], narrative=DRAFT)
    return Plan(earlier=earlier, closed=closed, opened=opened, draft=draft, projects=projects)


def unpacked(data: bytes, name: str = "") -> Iterator[tuple[str, bytes]]:
    """Every file in a zip, and in the zips inside it (an .xlsx is one), decompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            path = f"{name}/{info.filename}" if name else info.filename
            yield path, content
            if content[:2] == b"PK":
                yield from unpacked(content, path)
