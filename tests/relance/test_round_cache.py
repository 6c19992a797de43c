"""A closed round's figures come from the cache (relance/summary/cache.py): a second
summary, dashboard, API summary or comparison of a closed round takes fewer queries and
says the same; an open round's are computed every time, so that they follow its fiches;
a round that closes gets new keys at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Fiche, ProjectStatus
from projects.models.users import Role
from relance.summary import compute_round_summary, round_summary
from tests.factories import UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan()


def queries_of(action):
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return len(queries), result


def test_a_closed_rounds_second_summary_takes_one_query_and_says_the_same(plan):
    first_count, first = queries_of(lambda: round_summary(plan.second))
    second_count, second = queries_of(lambda: round_summary(plan.second))

    assert first_count > 1
    assert second_count == 1  # the round's envelope chain, which is the key
    assert second.as_json() == first.as_json() == compute_round_summary(plan.second).as_json()


def test_each_filter_of_a_closed_round_has_its_own_entry(plan):
    whole = round_summary(plan.second)
    rrf = round_summary(plan.second, rrf_only=True)
    speerpunt = round_summary(plan.second, speerpunt=plan.projects[0].cluster.speerpunt.number)

    assert rrf.as_json() == compute_round_summary(plan.second, rrf_only=True).as_json()
    assert rrf.totals.projects.total < whole.totals.projects.total
    assert speerpunt.totals.projects.total < whole.totals.projects.total


def test_an_open_rounds_summary_is_never_cached(plan):
    first_count, first = queries_of(lambda: round_summary(plan.opened))
    second_count, _second = queries_of(lambda: round_summary(plan.opened))
    assert second_count == first_count > 1

    realised = first.totals.projects.counts[ProjectStatus.REALISED]
    Fiche.objects.filter(round=plan.opened, project=plan.projects[0]).update(
        status=ProjectStatus.STARTED
    )
    after = round_summary(plan.opened)
    assert after.totals.projects.counts[ProjectStatus.REALISED] == realised - 1


def test_a_round_that_closes_is_computed_afresh_then_kept(plan, coordinator):
    round_summary(plan.opened)
    Fiche.objects.filter(round=plan.opened, project=plan.projects[0]).update(
        status=ProjectStatus.STARTED
    )
    plan.opened.close(by=coordinator)

    count, closed = queries_of(lambda: round_summary(plan.opened))
    assert count > 1
    assert closed.totals.projects.counts[ProjectStatus.STARTED] >= 1
    assert closed.as_json() == compute_round_summary(plan.opened).as_json()
    assert queries_of(lambda: round_summary(plan.opened))[0] == 1


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "url",
    [
        lambda plan: f"{reverse('home')}?round={plan.second.code}",
        lambda plan: reverse("rounds:compare", args=[plan.second.code]),
        lambda plan: reverse("api:round-summary", args=[plan.second.code]),
    ],
    ids=["dashboard", "comparison", "api-summary"],
)
def test_a_closed_rounds_pages_take_fewer_queries_the_second_time(client, plan, url):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    first, first_response = page_queries(client, url(plan))
    second, second_response = page_queries(client, url(plan))

    assert second < first
    assert said(second_response) == said(first_response)


def said(response):
    """What a page or the API says of the round (a page's HTML holds a random CSRF token)."""
    if response.context is None:
        return response.json()
    holder = response.context.get("comparison") or response.context["dashboard"]
    return holder.summary.as_json()


@pytest.mark.parametrize(
    "url",
    [
        lambda plan: f"{reverse('home')}?round={plan.opened.code}",
        lambda plan: reverse("rounds:compare", args=[plan.opened.code]),
    ],
    ids=["dashboard", "comparison"],
)
def test_an_open_rounds_pages_are_computed_every_time(client, plan, url):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    _count, before = page_queries(client, url(plan))
    Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED)
    _count, after = page_queries(client, url(plan))

    holder = after.context.get("comparison") or after.context["dashboard"]
    summary = holder.summary
    assert summary.totals.projects.counts[ProjectStatus.REALISED] == 0
    assert summary.totals.projects.counts[ProjectStatus.STARTED] == len(plan.projects)
    assert after.content != before.content


def test_the_comparison_lists_the_first_moves_and_counts_them_all(
    client, reader, plan, monkeypatch
):
    monkeypatch.setattr("relance.reporting.comparison.LISTED", 2)
    client.force_login(reader)
    response = client.get(reverse("rounds:compare", args=[plan.second.code]))

    comparison = response.context["comparison"]
    assert len(comparison.moves) > 2
    assert [m.code for m in comparison.listed_moves] == [m.code for m in comparison.moves[:2]]
    page = response.content.decode()
    listed = [m.code for m in comparison.moves]
    assert all(f"/projects/{code}/" in page for code in listed[:2])
    assert f"/projects/{listed[2]}/" not in page.split('id="changes"')[1].split("</section>")[0]
    assert f"De eerste 2 van {len(comparison.moves)}, op projectcode." in page
