"""A coordinator opens the round's quality check from the round page, filters it, explains
a finding, and sees it marked and no longer counted; an owner sees the warning on the fiche
and submits all the same."""

import pytest

from projects.models import FindingNote, ReviewState
from projects.models.users import Role
from tests.factories import UserFactory
from tests.relance.quality_plan import CASES, build_quality_plan

from .test_fiche_flow import sign_in, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_explains_a_finding(page):
    plan = build_quality_plan()
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    code = plan.projects["paid_exceeds_committed"].code
    sign_in(page, "coordinator")
    page.goto(f"/rounds/{plan.open.code}/")
    with page.expect_navigation():
        page.click("#quality-link")
    assert page.locator(".quality-finding").count() == len(CASES)  # one finding per rule
    page.select_option("#id_rule", "paid_exceeds_committed")
    submit(page, "Filteren")
    finding = page.locator(".quality-finding")
    assert finding.count() == 1
    assert f"Project {code}: VEK 600.000 ligt boven VAK 500.000." in finding.inner_text()
    finding.locator("input[name=comment]").fill("Voorschot van de Europese Commissie.")
    submit(page, "Verklaren")
    assert "is verklaard" in page.locator(".alert").first.inner_text()
    # Back on the filtered page: still shown, marked, no longer counted.
    finding = page.locator(".quality-finding.finding-explained")
    assert finding.count() == 1
    assert "Voorschot van de Europese Commissie." in finding.inner_text()
    assert "0 niet verklaard" in page.locator("#quality-counts").inner_text()
    assert FindingNote.objects.get().comment == "Voorschot van de Europese Commissie."
    assert page.console_errors == []


def test_an_owner_sees_the_warning_and_submits(page):
    plan = build_quality_plan()
    UserFactory(username="owner", role=Role.EDITOR, domains=[plan.other_domain])
    fiche = plan.fiches["paid_exceeds_committed"]
    sign_in(page, "owner")
    page.goto(f"/projects/{fiche.project.code}/fiche/")
    warning = page.locator('#fiche-findings [data-rule="paid_exceeds_committed"]')
    assert "VEK 600.000 ligt boven VAK 500.000." in warning.inner_text()
    submit(page, "Indienen")
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.SUBMITTED
    assert page.console_errors == []
