"""The milestone table's row count, kept in the cache under the data version
(relance/views/lists.py): on the next page, in another order, the count comes from the
cache, the same as the query gives; a committed change counts afresh; each user counts what
they may read. The tests commit (``transaction=True``), as a running site does: a
transaction that has written has no data version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models.users import Role
from tests.factories import UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db(transaction=True)


def shown(client, **query):
    """The count the list shows, how many COUNT queries it took, how many queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("milestones:list"), query)
    assert response.status_code == 200
    counts = [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    return response.context["table"].paginator.count, len(counts), len(queries)


def realised_in(plan):
    return {"round": plan.opened.code, "status": MilestoneState.REALISED}


def test_the_count_is_kept_until_a_committed_change(client):
    plan = build_plan(8)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))

    count, counted, queries = shown(client, **realised_in(plan))
    assert (count, counted) == (8, 1)
    # Another page of the same rows, in another order: the count from the cache, and the
    # version's query the only one more than without a count at all.
    again, counted_again, queries_again = shown(
        client, **realised_in(plan), sort="-deadline", per_page=3, page=2
    )
    assert (again, counted_again) == (8, 0)
    assert queries_again == queries - 1

    MilestoneStatus.objects.filter(round=plan.opened, milestone__project=plan.projects[0]).update(
        status=MilestoneState.DELAYED
    )
    assert shown(client, **realised_in(plan))[:2] == (7, 1)


def test_each_user_counts_what_they_may_read(client):
    plan = build_plan(8)
    domain = plan.projects[0].domain
    coordinator = UserFactory(username="coordinator", role=Role.COORDINATOR)
    editor = UserFactory(username="editor", role=Role.EDITOR, domains=[domain])
    readable = (
        Milestone.objects.with_status_in(plan.opened, editor)
        .in_round_status([MilestoneState.REALISED])
        .count()
    )
    assert 0 < readable < 8  # the other domain's drafts are not the editor's

    client.force_login(coordinator)
    assert shown(client, **realised_in(plan))[0] == 8
    client.force_login(editor)
    assert shown(client, **realised_in(plan))[:2] == (readable, 1)
    assert shown(client, **realised_in(plan))[:2] == (readable, 0)
    client.force_login(coordinator)
    assert shown(client, **realised_in(plan))[:2] == (8, 0)


@pytest.mark.parametrize("size", [4, 24])
def test_a_kept_count_takes_the_same_queries_whatever_the_plans_size(
    client, size, django_assert_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    shown(client, **realised_in(plan))
    # The session and the user, their permissions (2) and groups; the open round, the
    # rounds of the filter; the data version; the domains and speerpunten of the filters;
    # the page's ids, then its rows. No count.
    with django_assert_num_queries(KEPT_QUERIES):
        response = client.get(reverse("milestones:list"), realised_in(plan))
    assert response.context["table"].paginator.count == size


KEPT_QUERIES = 12
