"""benchmarks/explain.py: which plans it reports (a Seq Scan of a big table, at any depth)."""

import json

import pytest
from django.db import connection

from benchmarks.explain import seq_scans


def test_a_seq_scan_of_a_big_table_is_reported_at_any_depth():
    plan = {
        "Node Type": "Limit",
        "Plans": [
            {
                "Node Type": "Hash Join",
                "Plans": [
                    {"Node Type": "Seq Scan", "Relation Name": "projects_cluster"},
                    {
                        "Node Type": "Hash",
                        "Plans": [
                            {"Node Type": "Seq Scan", "Relation Name": "milestones_milestone"}
                        ],
                    },
                ],
            }
        ],
    }
    assert seq_scans(plan) == ["milestones_milestone"]


def test_an_index_scan_is_not_reported():
    plan = {"Node Type": "Index Scan", "Relation Name": "milestones_milestonestatus"}
    assert seq_scans(plan) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL")
def test_a_real_plan_of_a_whole_table_read_is_reported():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_indexscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT count(*) FROM milestones_milestone")
        plan = cursor.fetchone()[0]
    plan = (plan if isinstance(plan, list) else json.loads(plan))[0]
    assert seq_scans(plan["Plan"]) == ["milestones_milestone"]
