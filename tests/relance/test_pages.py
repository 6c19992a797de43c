"""The dashboard and the project page: right figures, a fixed number of queries."""

import pytest
from django.urls import reverse

from projects.models.rounds import RoundState
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

pytestmark = pytest.mark.django_db


def grow_plan(projects: int, rounds: int = 2):
    clusters = [ClusterFactory() for _ in range(4)]
    plan = [ProjectFactory(cluster=clusters[i % 4]) for i in range(projects)]
    for _ in range(rounds):
        reporting_round = ReportingRoundFactory()
        for project in plan:
            FinanceReportFactory(fiche=FicheFactory(round=reporting_round, project=project))
        reporting_round.close(by=None)
    return plan


@pytest.mark.parametrize("size", [3, 60])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, reader, size, django_assert_max_num_queries
):
    grow_plan(size)
    client.force_login(reader)
    # The plan's structure, the filters' lists, two round summaries (the round and the one
    # before, each with its forecast since issue 14) and one count over all rounds:
    # tests/relance/test_dashboard.py.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("home"))
    assert response.context["totals"]["project_count"] == size
    assert response.context["dashboard"].summary.totals.projects.total == size


@pytest.mark.parametrize("rounds", [1, 8])
def test_the_project_page_takes_a_fixed_number_of_queries(
    client, reader, rounds, django_assert_max_num_queries
):
    project = grow_plan(1, rounds=rounds)[0]
    for number in range(1, rounds * 5):
        MilestoneFactory(project=project, number=number)
    client.force_login(reader)
    with django_assert_max_num_queries(13):
        response = client.get(project.get_absolute_url())
    assert len(response.context["fiches"]) == rounds


def test_a_reader_does_not_see_the_open_rounds_draft(client, reader, project):
    closed = ReportingRoundFactory()
    FicheFactory(round=closed, project=project, narrative="Gepubliceerde toelichting")
    closed.close(by=None)
    FicheFactory(
        round=ReportingRoundFactory(state=RoundState.OPEN),
        project=project,
        narrative="Geheime concepttekst",
    )
    client.force_login(reader)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Gepubliceerde toelichting" in page
    assert "Geheime concepttekst" not in page


def test_the_editor_of_the_domain_sees_the_open_rounds_draft(client, editor, project):
    FicheFactory(
        round=ReportingRoundFactory(state=RoundState.OPEN),
        project=project,
        narrative="Concepttekst van het eigen domein",
    )
    client.force_login(editor)
    assert (
        "Concepttekst van het eigen domein"
        in client.get(project.get_absolute_url()).content.decode()
    )


def test_an_unknown_project_is_404(client, reader):
    client.force_login(reader)
    assert client.get(reverse("project", args=["VV999"])).status_code == 404
