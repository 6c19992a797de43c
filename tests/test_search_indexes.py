"""The lists' ``?q=`` search answered from trigram indexes on PostgreSQL (projects 0011,
milestones 0008), not by reading every row's text."""

import pytest
from django.db import connection

from milestones.models import Milestone
from projects.models import Project

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_trgm"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test's tables are nearly empty: a planner left free would read them whole, or
        # walk the primary key in the list's order. Bitmap scans only use indexes that
        # answer the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_project_search_reads_the_code_title_and_entity_indexes():
    plan = _plan(Project.objects.search("fiets"))
    for index in ("code", "title", "entity"):
        assert f"projects_project_{index}_trgm" in plan


def test_the_milestone_search_reads_the_description_and_the_projects_indexes():
    plan = _plan(Milestone.objects.search("fiets"))
    assert "milestones_milestone_description_trgm" in plan
    assert "projects_project_code_trgm" in plan
    assert "projects_project_title_trgm" in plan
