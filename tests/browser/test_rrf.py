"""The RRF view of a round, as a coordinator clicks through it in a real browser: the round
page narrowed to the RRF projects, then the Scoreboard export downloaded from it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from projects.models import Fiche
from projects.models.users import Role
from relance.rrf.scoreboard import COLUMNS
from tests.factories import UserFactory
from tests.relance.reporting_plan import build_plan

from .test_dashboard import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fiche_count(page):
    return int(page.locator(".kpi-value").first.inner_text())


def test_a_coordinator_narrows_the_round_to_rrf_and_downloads_the_scoreboard(page):
    plan = build_plan()
    for milestone in plan.projects[0].milestones.all():
        milestone.rrf_reference = "I-1.01-M1"
        milestone.rrf_quarter = "2024-Q2"
        milestone.rrf_instalment = 3
        milestone.save()
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    sign_in(page, "coordinator")

    page.goto(f"/rounds/{plan.opened.code}/")
    assert fiche_count(page) == len(plan.projects)
    with page.expect_navigation():
        page.get_by_role("link", name="Enkel RRF-projecten").click()
    assert "rrf=1" in page.url
    rrf = Fiche.objects.filter(round=plan.opened, project__is_rrf=True).count()
    assert fiche_count(page) == rrf < len(plan.projects)

    with page.expect_download() as excel:
        page.get_by_role("link", name="RRF-scoreboard (Excel)").click()
    with page.expect_download() as text:
        page.get_by_role("link", name="RRF-scoreboard (CSV)").click()

    assert excel.value.suggested_filename == f"rrf-scoreboard-{plan.opened.code}.xlsx"
    with open(excel.value.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert [row[3:5] for row in rows[1:]] == [
        ("I-1.01-M1", plan.projects[0].milestones.get().description)
    ]
    assert (rows[1][8], rows[1][13]) == ("2024-Q2", 3)
    with open(text.value.path(), encoding="utf-8-sig") as file:
        assert list(csv.reader(io.StringIO(file.read())))[0] == list(COLUMNS)
    assert page.console_errors == []
