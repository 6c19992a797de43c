"""axe-core (the axe.min.js that axe-playwright-python ships) on the main pages in Debian's
Chromium: no serious or critical violation; and every fiche field has an accessible name of
its own, as the browser computes it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from milestones.models import MilestoneState
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

from .test_editor_desk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def violations(page) -> list[str]:
    """The serious and critical violations axe finds on the page as it is now."""
    # Injected through the DevTools protocol: the page's CSP (no inline script) still holds
    # for the page itself.
    page.evaluate(axe_script())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def plan():
    domain = PolicyDomainFactory(code="MOW", name="Mobiliteit en Openbare Werken")
    closed = ReportingRoundFactory(
        code="2024-06", reference_date=dt.date(2024, 6, 30), state=RoundState.DRAFT
    )
    reporting_round = ReportingRoundFactory(
        code="2024-12", reference_date=dt.date(2024, 12, 31), state=RoundState.DRAFT
    )
    for number in range(1, 4):
        project = ProjectFactory(code=f"VV00{number}", domain=domain)
        for current in (closed, reporting_round):
            fiche = FicheFactory(round=current, project=project, narrative="Loopt.")
            FinanceReportFactory(fiche=fiche)
        for milestone_number in (1, 2):
            milestone = MilestoneFactory(project=project, number=milestone_number)
            for current in (closed, reporting_round):
                MilestoneStatusFactory(
                    round=current, milestone=milestone, status=MilestoneState.ON_SCHEDULE
                )
        IndicatorFactory(project=project, code=f"OUT{number}", defined_in=[closed, reporting_round])
    closed.close(by=None)
    reporting_round.state = RoundState.OPEN
    reporting_round.save()
    UserFactory(username="ria", role=Role.EDITOR, domains=[domain])
    return reporting_round


@pytest.mark.parametrize(
    "path",
    ["/mijn-fiches/", "/", "/projects/", "/projects/VV001/fiche/"],
    ids=["mijn-fiches", "dashboard", "projects", "fiche"],
)
def test_no_serious_or_critical_violation(page, plan, path):
    sign_in(page, "ria")
    page.goto(path)
    assert violations(page) == []


def test_no_violation_in_the_error_summary(page, plan):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.fill("input[name=fiche-paid_eur]", "veel")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan als concept").click()
    assert page.locator("#error-summary").is_visible()
    assert violations(page) == []


def accessible_names(page, selector: str) -> list[str]:
    """The accessible name Chromium computes for each element ``selector`` finds (its
    accessibility tree, through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    names = []
    for node in nodes:
        tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
        name = tree["nodes"][0].get("name", {}).get("value", "")
        names.append(name.strip())
    cdp.detach()
    return names


def test_every_fiche_field_has_a_distinct_accessible_name(page, plan):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    # What a folded section holds is out of the accessibility tree until it is opened.
    page.evaluate("document.querySelectorAll('#fiche-form details').forEach(d => d.open = true)")
    names = accessible_names(
        page,
        "#fiche-form input:not([type=hidden]):not([type=submit]), "
        "#fiche-form select, #fiche-form textarea",
    )
    assert len(names) > 10
    assert all(names), [(i, n) for i, n in enumerate(names) if not n]
    repeated = [name for name, times in Counter(names).items() if times > 1]
    assert repeated == []
    assert any(name.startswith("Status van mijlpaal 2:") for name in names)
    assert "Waarde nu van indicator OUT1" in names


def test_the_check_finds_a_violation_where_there_is_one(page, plan):
    sign_in(page, "ria")
    page.goto("/mijn-fiches/")
    page.evaluate(
        "document.querySelector('main').appendChild(Object.assign("
        "document.createElement('input'), {type: 'text', name: 'unnamed'}))"
    )
    assert any(found.startswith("label (critical)") for found in violations(page))
