"""The project list and the milestone list, side by side.

tests/test_list_views.py checks what both lists do alike over these two; each list's own
tests (tests/projects/test_project_list.py, tests/milestones/test_milestone_list.py) use
the same plans and helpers for what only that list does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils import timezone

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, ProjectStatus, ReviewState
from projects.models.rounds import RoundState
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)

SECRET_STATUS = ProjectStatus.ACTION_REQUIRED  # the other domain's draft in the open round


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@dataclass(frozen=True)
class ListCase:
    """One list: where it is, the plan its tests read, and how a row reads."""

    key: str
    url: str
    url_name: str
    noun: str  # "projecten": the count above the table says "2 projecten"
    plan: Callable[[Any, Any], dict[str, Any]]  # (domain, other_domain) -> the plan's parts
    row: Callable[[Any], tuple[Any, Any, Any]]  # a table row -> (name, status, third column)
    crowd: Callable[[int, Any], None]  # (size, domain): a plan large enough for an N+1
    crowd_query: str  # asks the crowded table for …
    crowd_count: Callable[[int], int]  # … this many rows
    secret_mark: str  # in the page only when the other domain's draft shows
    make_text_row: Callable[[str], Any]  # one row whose text column holds the text
    text_header: str  # that column in the CSV export
    text_cell: str  # and in the xlsx export

    def __str__(self) -> str:
        return self.key

    def rows(self, response: Any) -> list[tuple[Any, Any, Any]]:
        """The table's rows as the page shows them."""
        return [self.row(row) for row in response.context["table"].paginated_rows]

    def names(self, response: Any) -> list[Any]:
        return [name for name, _status, _third in self.rows(response)]

    def export_csv(self, client: Any, query: str = "") -> list[list[str]]:
        """The CSV export, in the Belgian dialect it is written in by default (``;``)."""
        response = client.get(f"{self.url}?{query}&_export=csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    def export_xlsx(self, client: Any, query: str = "") -> Any:
        response = client.get(f"{self.url}?{query}&_export=xlsx")
        assert response.status_code == 200
        return openpyxl.load_workbook(io.BytesIO(response.content)).active


# ---- The project list ------------------------------------------------------------------


def project_plan(domain: Any, other_domain: Any) -> dict[str, Any]:
    """Two projects, one per domain, with fiches in a closed and in the open round.

    In the open round the other domain's project is flagged red and submitted: an editor
    of ``domain`` must never learn that.
    """
    cluster_1 = ClusterFactory(number=1, speerpunt=SpeerpuntFactory(number=1))
    cluster_2 = ClusterFactory(number=2, speerpunt=SpeerpuntFactory(number=2))
    own = ProjectFactory(
        code="VV001",
        title="Fietsinfrastructuur",
        entity="Departement MOW",
        cluster=cluster_1,
        domain=domain,
        budget_eur=Decimal("2500000.00"),
        is_rrf=True,
        rrf_measure="I-2.09",
    )
    other = ProjectFactory(
        code="VV002",
        title="Blue deal",
        entity="Vlaamse Milieumaatschappij",
        cluster=cluster_2,
        domain=other_domain,
        budget_eur=Decimal("1000000.00"),
    )
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    FicheFactory(round=closed, project=own, status=ProjectStatus.STARTED)
    FicheFactory(
        round=closed,
        project=other,
        status=ProjectStatus.ATTENTION,
        review_state=ReviewState.APPROVED,
    )
    closed.close(by=None)
    open_round = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    FicheFactory(round=open_round, project=own, status=ProjectStatus.IN_PROGRESS)
    FicheFactory(
        round=open_round,
        project=other,
        status=SECRET_STATUS,
        review_state=ReviewState.SUBMITTED,
    )
    return {"own": own, "other": other, "closed": closed, "open": open_round}


def many_projects(size: int, domain: Any) -> list[Any]:
    """``size`` projects of ``domain``, VV001 … with a budget of 1000 euro per number, each
    with a fiche in an open round."""
    cluster = ClusterFactory()
    reporting_round = ReportingRoundFactory(state=RoundState.OPEN)
    projects = [
        ProjectFactory(
            code=f"VV{number:03d}",
            cluster=cluster,
            domain=domain,
            budget_eur=Decimal(number * 1000),
        )
        for number in range(1, size + 1)
    ]
    Fiche.objects.bulk_create(
        Fiche(round=reporting_round, project=project, status=ProjectStatus.IN_PROGRESS)
        for project in projects
    )
    return projects


PROJECTS = ListCase(
    key="projects",
    url="/projects/",
    url_name="projects:list",
    noun="projecten",
    plan=project_plan,
    row=lambda row: (
        row.record.code,
        row.get_cell_value("status"),
        row.get_cell_value("review"),
    ),
    crowd=many_projects,
    crowd_query="sort=status",
    crowd_count=lambda size: size,
    secret_mark=SECRET_STATUS.css_class,
    make_text_row=lambda text: ProjectFactory(code="VV001", title=text, entity=text),
    text_header="Titel",
    text_cell="B2",
)


# ---- The milestone list ----------------------------------------------------------------


def milestone_plan(domain: Any, other_domain: Any) -> dict[str, Any]:
    """Two projects, one per domain, each with milestones that have a status in a closed
    round and in the open round.

    In the open round the other domain's milestone is delayed, with a new forecast: an
    editor of ``domain`` must never learn that.
    """
    own = ProjectFactory(
        code="VV001",
        title="Fietsinfrastructuur",
        domain=domain,
        cluster=ClusterFactory(number=1, speerpunt=SpeerpuntFactory(number=1)),
        is_rrf=True,
        rrf_measure="I-2.09",
    )
    other = ProjectFactory(
        code="VV002",
        title="Blue deal",
        domain=other_domain,
        cluster=ClusterFactory(number=2, speerpunt=SpeerpuntFactory(number=2)),
    )
    own_done = MilestoneFactory(
        project=own, number=1, description="Gunning van de werken", deadline=days(-400)
    )
    own_next = MilestoneFactory(
        project=own, number=2, description="Oplevering fietsbrug", deadline=days(20)
    )
    other_late = MilestoneFactory(
        project=other, number=1, description="Herstel van waterlopen", deadline=days(-10)
    )

    realised = {"status": MilestoneState.REALISED, "realised_on": days(-390)}
    delayed = {
        "status": MilestoneState.DELAYED,
        "forecast_date": dt.date(2031, 3, 31),
        "delay_reason": "Vergunning nog niet rond",
    }
    future, on_schedule = {"status": MilestoneState.FUTURE}, {"status": MilestoneState.ON_SCHEDULE}
    rounds = []
    for reference_date, state, statuses in (
        (days(-200), RoundState.DRAFT, [realised, future, on_schedule]),
        (days(40), RoundState.OPEN, [realised, on_schedule, delayed]),
    ):
        reporting_round = ReportingRoundFactory(reference_date=reference_date, state=state)
        for project in (own, other):
            FicheFactory(round=reporting_round, project=project)
        for milestone, fields in zip((own_done, own_next, other_late), statuses, strict=True):
            MilestoneStatusFactory(round=reporting_round, milestone=milestone, **fields)
        if state == RoundState.DRAFT:
            reporting_round.close(by=None)
        rounds.append(reporting_round)
    closed, open_round = rounds
    return {"own": own, "other": other, "closed": closed, "open": open_round}


def many_milestones(size: int, domain: Any) -> None:
    """``size`` delayed milestones of ``domain`` in an open round, the first half overdue."""
    open_round = ReportingRoundFactory(reference_date=days(40), state=RoundState.OPEN)
    for number in range(size):
        project = ProjectFactory(domain=domain)
        FicheFactory(round=open_round, project=project)
        MilestoneStatus.objects.create(
            round=open_round,
            milestone=MilestoneFactory(project=project, deadline=days(number - size // 2)),
            status=MilestoneState.DELAYED,
            forecast_date=days(number),
        )


MILESTONES = ListCase(
    key="milestones",
    url="/milestones/",
    url_name="milestones:list",
    noun="mijlpalen",
    plan=milestone_plan,
    row=lambda row: (
        f"{row.record.project.code}/{row.record.number}",
        row.get_cell_value("status"),
        row.get_cell_value("forecast"),
    ),
    crowd=many_milestones,
    crowd_query="overdue=on&sort=status",
    crowd_count=lambda size: size // 2,
    secret_mark=MilestoneState.DELAYED.css_class,
    make_text_row=lambda text: MilestoneFactory(
        project=ProjectFactory(code="VV001"), description=text
    ),
    text_header="Omschrijving",
    text_cell="D2",
)

LISTS = [PROJECTS, MILESTONES]
