"""The lists' ``?q=`` search answered from trigram indexes on PostgreSQL (projects 0011,
milestones 0008), not by reading every row's text."""

import pytest
from django.db import connection

from milestones.models import Milestone
from projects.models import Project
from tests.explain import explain

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_trgm"),
]


def _plan(queryset) -> str:
    # Nor walk the primary key in the list's order: bitmap scans only use indexes that
    # answer the condition.
    return explain(queryset, off=("seqscan", "indexscan"))


def test_the_project_search_reads_the_code_title_and_entity_indexes():
    plan = _plan(Project.objects.search("fiets"))
    for index in ("code", "title", "entity"):
        assert f"projects_project_{index}_trgm" in plan


def test_the_milestone_search_reads_the_description_and_the_projects_indexes():
    plan = _plan(Milestone.objects.search("fiets"))
    assert "milestones_milestone_description_trgm" in plan
    assert "projects_project_code_trgm" in plan
    assert "projects_project_title_trgm" in plan
