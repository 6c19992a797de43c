"""A coordinator finds, through the menu and the filters, who changed a fiche and how."""

import pytest

from projects.models.users import Role
from tests.factories import PASSWORD, FicheFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_filters_the_audit_by_project(page, open_round):
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    project = ProjectFactory(code="VV042")
    editor = UserFactory(username="ria", role=Role.EDITOR, domains=[project.domain])
    fiche = FicheFactory(round=open_round, project=project, narrative="Oud")
    FicheFactory(round=open_round, project=ProjectFactory(code="VV043"))
    fiche.narrative = "Aanbesteding gegund"
    fiche._history_user = editor
    fiche._change_reason = "formulier"
    fiche.save()

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form[action$='/accounts/login/'] button[type=submit]")
    page.click("nav >> text=Beheer")
    with page.expect_navigation():
        page.click("text=Wie wijzigde wat")
    assert page.url.endswith("/audit/")

    page.select_option("select[name=project]", "VV042")
    with page.expect_navigation():
        page.click("form.filter-form button[type=submit]")

    assert "project=VV042" in page.url
    rows = page.locator("table.audit-table tbody tr")
    changed = rows.filter(has_text="Aanbesteding gegund")
    assert changed.count() == 1
    assert "ria" in changed.inner_text()
    assert "formulier" in changed.inner_text()
    assert "Oud" in changed.inner_text()
    assert "VV043" not in page.locator("table.audit-table").inner_text()
    assert page.console_errors == []
