"""Several editors saving different fiches at the same moment: every save succeeds and
nothing typed is lost, on the embedded SQLite (a database FILE, as `make run` serves it,
with the settings' WAL, busy timeout and immediate transactions) and on PostgreSQL
(DATABASE_URL).

Each editor is a thread with its own connection and its own browser (a test client), all
released at once by a barrier; the POST goes through the whole stack: middleware, form,
``save_fiche`` and its row locks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from finance.models import FinanceReport
from projects.models import Fiche
from projects.models.users import Role
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    UserFactory,
)
from tests.relance.fiche_helpers import fiche_post

EDITORS = 6


def in_thread(database: dict[str, Any] | None, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a new thread with its own connection (to ``database`` when given)."""
    outcome: dict[str, Any] = {}
    wrapper = type(connections["default"])

    def run() -> None:
        if database is not None:
            connections["default"] = wrapper(database, "default")
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.fixture
def fiches(domain, open_round, editor):
    made = []
    for number in range(EDITORS):
        project = ProjectFactory(domain=domain, code=f"VV{number + 1:03d}")
        fiche = FicheFactory(round=open_round, project=project, narrative="Vorige toelichting")
        FinanceReportFactory(fiche=fiche, committed_eur=Decimal(100), paid_eur=Decimal(10))
        MilestoneStatusFactory(round=open_round, milestone=MilestoneFactory(project=project))
        made.append(fiche)
    return made


@pytest.fixture
def database(transactional_db, tmp_path):
    """The settings of the database the editors' threads use: on SQLite a copy of the test
    database in a file (the in-memory one has neither WAL nor real locking), with the
    OPTIONS of relance/settings.py; on PostgreSQL the test database itself."""
    if connection.vendor != "sqlite":
        return None
    return {**connection.settings_dict, "NAME": str(tmp_path / "relance.sqlite3")}


def copy_to_file(database: dict[str, Any] | None) -> None:
    if database is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [database["NAME"]])
    # One connection first, as `migrate` is on a new installation: it makes the file WAL.
    thread, outcome = in_thread(database, lambda: journal_mode())
    thread.join()
    assert outcome.get("value") == "wal"


def journal_mode() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0]


def test_editors_saving_at_once_all_succeed_and_nothing_is_lost(database, fiches):
    admin_user = UserFactory(role=Role.ADMIN)
    posts = [
        fiche_post(fiche, narrative=f"Nieuwe toelichting {fiche.project.code}", paid_eur="55")
        for fiche in fiches
    ]
    copy_to_file(database)
    start = threading.Barrier(EDITORS)

    def editor(fiche: Fiche, post: dict[str, str]) -> Callable[[], int]:
        def save() -> int:
            client = Client()
            client.force_login(admin_user)
            start.wait(timeout=30)
            return client.post(reverse("fiche", args=[fiche.project.code]), post).status_code

        return save

    running = [in_thread(database, editor(f, p)) for f, p in zip(fiches, posts, strict=True)]
    for thread, _outcome in running:
        thread.join(timeout=120)
    errors = [outcome.get("error") for _thread, outcome in running if "error" in outcome]
    assert errors == []
    assert [outcome["value"] for _thread, outcome in running] == [302] * EDITORS

    def stored() -> list[tuple[str, str, Decimal | None, int]]:
        return [
            (
                fiche.project.code,
                Fiche.objects.get(pk=fiche.pk).narrative,
                FinanceReport.objects.get(fiche=fiche).paid_eur,
                Fiche.objects.get(pk=fiche.pk).version,
            )
            for fiche in fiches
        ]

    thread, outcome = in_thread(database, stored)
    thread.join()
    assert outcome["value"] == [
        (fiche.project.code, f"Nieuwe toelichting {fiche.project.code}", Decimal(55), 2)
        for fiche in fiches
    ]


def test_the_embedded_database_queues_writers(settings):
    """What makes the test above pass on SQLite, as relance/settings.py configures it."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL queues writers by itself")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
