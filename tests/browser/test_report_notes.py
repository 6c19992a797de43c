"""The report's way to the indicator notes and the package, in a real browser (issue 14): a
reader goes from the dashboard's round to the report, then to the output-indicator
overview, sees target against value, and downloads the round's package."""

import io
import zipfile
from pathlib import Path

import pytest

from projects.models.users import Role
from tests.factories import UserFactory
from tests.relance.reporting_plan import build_plan

from .test_dashboard import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_goes_from_the_report_to_the_notes_and_the_package(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = build_plan(size=2)
    UserFactory(username="lezer", role=Role.READER)
    sign_in(page, "lezer")

    page.goto(f"/rounds/{plan.second.code}/report/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_text("Taal van dit document: Nederlands").is_visible()
    assert page.locator("#vooruitblik").is_visible()
    page.click("text=Overzicht outputindicatoren")
    page.wait_for_url(f"**/rounds/{plan.second.code}/indicators/output/")
    row = page.locator("table.indicator-table tbody tr").first
    assert "OUT1" in row.inner_text()
    assert "42,5" in row.inner_text()  # the value reported in the round
    page.click("text=Nota impactindicatoren")
    assert page.get_by_text("Geen indicatoren van deze soort in dit meetmoment.").is_visible()

    with page.expect_download(timeout=120_000) as download:
        page.click("text=Rapportpakket downloaden")
    data = Path(download.value.path()).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"relance-{plan.second.code}/nota-{plan.second.code}-en.pdf" in names
    assert page.console_errors == []
