"""Backup and restore (docs/operations.md): scripts/backup_restore_check.sh dumps the
database with pg_dump, restores it into a fresh database and compares the row count of
every table and the round_summary JSON of every round. On PostgreSQL (DATABASE_URL) only."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.relance.reporting_plan import build_plan

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"


def run(database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHON": sys.executable}
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_check_refuses_a_database_that_is_not_postgresql():
    done = run("sqlite:///db.sqlite3")
    assert done.returncode == 2
    assert "not a PostgreSQL database" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_plan():
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and its client tools")
    plan = build_plan(size=4)
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )

    done = run(url)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "round summaries, all equal" in done.stdout
    assert f"and {len([plan.first, plan.second, plan.opened])} round summaries" in done.stdout
