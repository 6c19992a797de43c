"""The RRF filter on every list and figure: the project and milestone lists (see
tests/test_list_views.py), the dashboard's links, the round page, the round comparison and
the open data API's milestone statuses; in as many queries as without it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import MilestoneStatus
from projects.models import Fiche, ReviewState
from projects.models.users import Role
from relance.summary import round_summary
from tests.factories import UserFactory

from .open_data_plan import make_plan
from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan()


def rrf_codes(plan):
    return {p.code for p in plan.projects if p.is_rrf}


def get(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response


# ---- The dashboard ---------------------------------------------------------------------


def test_the_dashboards_milestone_links_keep_the_rrf_filter(client, reader, plan):
    shown = get(client, reader, reverse("home"), rrf="1").context["dashboard"]
    url = shown.speerpunten[0].milestone_urls["delayed"]
    assert "rrf=yes" in url

    listed = client.get(url)

    assert listed.context["filter"].form.is_valid()
    codes = {m.project.code for m in listed.context["table"].data}
    assert codes
    assert codes <= rrf_codes(plan)


# ---- The round comparison --------------------------------------------------------------


def test_the_comparison_of_the_rrf_projects_counts_them_alone(client, reader, plan):
    comparison = get(
        client, reader, reverse("rounds:compare", args=[plan.second.code]), rrf="1"
    ).context["comparison"]

    assert comparison.rrf_only
    # The comparison's summaries leave out the forecast, which it does not show.
    now = round_summary(plan.second, rrf_only=True, outlook=False)
    then = round_summary(plan.first, rrf_only=True, outlook=False)
    assert comparison.summary.as_json() == now.as_json()
    assert comparison.previous_summary.as_json() == then.as_json()
    assert comparison.total == len(rrf_codes(plan))
    assert {m.code for m in comparison.moves} <= rrf_codes(plan)
    assert comparison.slips
    assert {s.project_code for s in comparison.slips} <= rrf_codes(plan)


def test_the_comparison_of_the_whole_plan_has_every_project(client, reader, plan):
    comparison = get(client, reader, reverse("rounds:compare", args=[plan.second.code])).context[
        "comparison"
    ]

    assert not comparison.rrf_only
    assert comparison.total == len(plan.projects)
    assert {s.project_code for s in comparison.slips} - rrf_codes(plan)


@pytest.mark.parametrize("size", [4, 24])
def test_the_rrf_comparison_takes_the_same_queries_whatever_the_plans_size(
    client, size, django_assert_max_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(role=Role.READER))
    # As the comparison without the filter (tests/relance/test_compare.py).
    with django_assert_max_num_queries(22):
        response = client.get(reverse("rounds:compare", args=[plan.second.code]), {"rrf": "1"})
    assert response.status_code == 200


# ---- The round page --------------------------------------------------------------------


def submit_all(plan):
    Fiche.objects.filter(round=plan.opened).update(review_state=ReviewState.SUBMITTED)


def test_the_round_page_counts_and_queues_the_rrf_projects_alone(client, coordinator, plan):
    submit_all(plan)
    url = reverse("rounds:detail", args=[plan.opened.code])

    everything = get(client, coordinator, url).context
    rrf = get(client, coordinator, url, rrf="1").context

    assert everything["totals"]["total"] == len(plan.projects)
    assert rrf["totals"]["total"] == len(rrf_codes(plan))
    assert rrf["rrf_only"]
    assert {f.project.code for f in rrf["queue"]} == rrf_codes(plan)
    assert sum(row["total"] for row in rrf["per_domain"]) == len(rrf_codes(plan))
    page = get(client, coordinator, url, rrf="1").content.decode()
    assert 'href="?" aria-pressed="true"' in page


def test_the_round_page_offers_the_scoreboard_export_to_those_who_may_have_it(
    client, coordinator, editor, plan
):
    url = reverse("rounds:detail", args=[plan.opened.code])
    export = reverse("rounds:rrf-xlsx", args=[plan.opened.code])

    assert export in get(client, coordinator, url).content.decode()
    assert export not in get(client, editor, url).content.decode()
    closed = reverse("rounds:detail", args=[plan.second.code])
    assert reverse("rounds:rrf-csv", args=[plan.second.code]) in (
        get(client, editor, closed).content.decode()
    )


@pytest.mark.parametrize("size", [4, 24])
def test_the_rrf_round_page_takes_as_many_queries_as_the_whole_round(
    client, size, django_assert_num_queries
):
    plan = build_plan(size)
    submit_all(plan)
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("rounds:detail", args=[plan.opened.code])
    client.get(url)  # the session settles
    with CaptureQueriesContext(connection) as whole:
        client.get(url)
    with django_assert_num_queries(len(whole)):
        response = client.get(url, {"rrf": "1"})
    assert response.status_code == 200


# ---- The open data API -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "rrf"), [("true", True), ("false", False)])
def test_the_apis_milestone_statuses_filter_on_rrf(client, value, rrf):
    data = make_plan()
    url = f"/api/rounds/{data.closed.code}/milestones/?rrf={value}&page_size=1000"

    results = client.get(url).json()["results"]

    expected = MilestoneStatus.objects.filter(
        round=data.closed, milestone__project__is_rrf=rrf
    ).count()
    assert expected
    assert len(results) == expected
    assert {row["project"] for row in results} == {p.code for p in data.projects if p.is_rrf == rrf}


# ---- The progress report ---------------------------------------------------------------


@pytest.fixture
def _reports_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_report_of_the_rrf_projects_holds_their_fiches_and_figures(client, reader, plan):
    report = get(
        client, reader, reverse("rounds:report-page", args=[plan.second.code]), rrf="1"
    ).context["report"]

    assert report.rrf_only
    assert set(report.codes) == rrf_codes(plan)
    assert report.summary.as_json() == round_summary(plan.second, rrf_only=True).as_json()
    assert {s.fiche.project.code for s in report.sheets if s.milestones} <= rrf_codes(plan)
    page = client.get(reverse("rounds:report-page", args=[plan.second.code]), {"rrf": "1"})
    assert "Enkel de RRF-projecten" in page.content.decode()
    assert f"/rounds/{plan.second.code}/report.pdf?rrf=1" in page.content.decode()


@pytest.mark.usefixtures("_reports_in_tmp")
def test_the_rrf_reports_pdf_is_its_own_file(client, reader, plan):
    client.force_login(reader)
    url = reverse("rounds:report", args=[plan.second.code])

    rrf = client.get(url, {"rrf": "1"})
    whole = client.get(url)

    assert rrf.status_code == whole.status_code == 200
    assert f"voortgangsrapport-{plan.second.code}-rrf.pdf" in rrf["Content-Disposition"]
    assert f"voortgangsrapport-{plan.second.code}.pdf" in whole["Content-Disposition"]
    assert rrf.content != whole.content


@pytest.mark.parametrize("size", [4, 24])
def test_the_rrf_report_takes_the_same_queries_whatever_the_plans_size(
    client, size, django_assert_max_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(role=Role.READER))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("rounds:report-page", args=[plan.second.code]), {"rrf": "1"})
    assert set(response.context["report"].codes) == rrf_codes(plan)
