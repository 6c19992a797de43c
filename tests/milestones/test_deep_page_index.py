"""A deep page of the milestone table on PostgreSQL: the page's ids walk the projects in
their order and look each milestone's status in the round up from an index that holds the
status (milestones 0009), not from the statuses' rows."""

import datetime as dt

import pytest
from django.db import connection

from milestones.models import Milestone
from projects.models.users import Role
from tests.explain import explain
from tests.factories import UserFactory
from tests.relance.reporting_plan import build_plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def _plan(queryset) -> str:
    # Joined by nested loops, as the benchmark's 175,000 milestones are on a deep page.
    return explain(queryset, off=("seqscan", "hashjoin", "mergejoin", "bitmapscan"))


def test_a_deep_page_looks_the_statuses_up_from_the_index_alone():
    plan = build_plan(8)
    coordinator = UserFactory(role=Role.COORDINATOR)
    rows = (
        Milestone.objects.for_table()
        .with_status_in(plan.second, coordinator)
        .overdue(plan.second, today=dt.date(2026, 12, 1))
    )
    # The narrow query of a deep page (projects.tables.LateRows).
    plan_text = _plan(rows.values_list("pk", flat=True)[4950:5000])
    assert "Index Only Scan using milestonestatus_lookup_idx" in plan_text
