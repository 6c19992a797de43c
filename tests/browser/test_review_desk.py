"""A coordinator's morning at the review desk, in Debian's Chromium, on a desktop and at a
phone's size: land on the desk after signing in, approve one fiche (and go on to the next),
return one with a comment, bulk-approve the unchanged ones."""

import pytest

from projects.models import Fiche, ReviewAction, ReviewEvent, ReviewState
from projects.models.users import Role
from tests.browser.test_fiche_flow import sign_in
from tests.factories import PolicyDomainFactory, UserFactory
from tests.relance.desk_plan import desk_plan

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan():
    domains = [PolicyDomainFactory(code="MOW"), PolicyDomainFactory(code="OMG")]
    UserFactory(username="koen", first_name="Koen", role=Role.COORDINATOR)
    return desk_plan(domains, unchanged=3, changed=2)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_coordinator_works_through_the_desk(page, plan, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, "koen")
    assert page.url.endswith(f"/rounds/{plan.open.code}/desk/")
    assert page.locator(".desk-item").count() == 5
    assert page.locator(".desk-unchanged").count() == 3

    # Only the changed ones, one domain at a time is possible too; here: with findings.
    page.select_option("#desk-findings", "yes")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    changed_codes = [f.project.code for f in plan.changed]
    assert page.locator(".desk-item").count() == 2

    # The first changed fiche: the diff is marked, approve it and land on the next.
    with page.expect_navigation():
        page.get_by_role("link", name="Begin bij de eerste").click()
    assert changed_codes[0] in page.locator("h1").inner_text()
    assert page.locator("tr.diff-changed[data-field=paid_eur]").is_visible()
    assert page.locator("[data-milestone='2'] tr.diff-changed").count() == 3
    with page.expect_navigation():
        page.get_by_role("button", name="Goedkeuren en volgende").click()
    assert "findings=yes" in page.url
    assert changed_codes[1] in page.locator("h1").inner_text()

    # Return the second with a comment: without one the browser asks for it first.
    page.get_by_role("button", name="Terugsturen en volgende").click()
    assert page.evaluate("document.querySelector('textarea[name=comment]').validity.valueMissing")
    assert changed_codes[1] in page.locator("h1").inner_text()
    page.fill("textarea[name=comment]", "De vertraging van mijlpaal 2 is niet uitgelegd.")
    with page.expect_navigation():
        page.get_by_role("button", name="Terugsturen en volgende").click()
    # Nothing left with findings: back on the (filtered) desk.
    assert page.locator("#desk-empty").is_visible()

    # All fiches again: the three unchanged ones, approved together (after a confirmation).
    page.select_option("#desk-findings", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    assert page.locator("input[name=fiche]:checked").count() == 3
    with page.expect_navigation():
        page.get_by_role("button", name="Gekozen ongewijzigde fiches goedkeuren").click()
    # Asked once (the browser tests accept a confirmation: tests/browser/conftest.py).
    assert page.dialogs == ["De gekozen ongewijzigde fiches goedkeuren?"]
    assert "3 ongewijzigde fiches zijn goedgekeurd" in page.content()
    assert page.locator("#desk-empty").is_visible()
    assert page.console_errors == []

    states = dict(Fiche.objects.filter(round=plan.open).values_list("pk", "review_state"))
    assert [states[f.pk] for f in plan.unchanged] == [ReviewState.APPROVED] * 3
    assert [states[f.pk] for f in plan.changed] == [ReviewState.APPROVED, ReviewState.RETURNED]
    returned = Fiche.objects.get(pk=plan.changed[1].pk)
    assert returned.review_comment == "De vertraging van mijlpaal 2 is niet uitgelegd."
    assert ReviewEvent.objects.filter(action=ReviewAction.APPROVED).count() == 4
    if viewport:
        # Nothing wider than the phone's screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]


def test_declining_the_confirmation_approves_nothing(page, plan):
    sign_in(page, "koen")
    page.answer_dialogs = False  # the coordinator declines the question
    page.get_by_role("button", name="Gekozen ongewijzigde fiches goedkeuren").click()
    page.wait_for_timeout(300)
    assert not Fiche.objects.filter(review_state=ReviewState.APPROVED).exists()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_project_page_draws_its_money_over_the_rounds(page, plan, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, "koen")
    page.goto(f"/projects/{plan.changed[0].project.code}/")
    canvas = page.locator("#chart-money-history")
    canvas.wait_for()
    page.wait_for_function("window.Chart && Chart.getChart('chart-money-history')")
    labels = page.evaluate("Chart.getChart('chart-money-history').data.labels")
    assert labels == [str(plan.closed), str(plan.open)]
    page.locator("#project-money summary").click()
    last = page.locator("#project-money tbody tr").last.inner_text()
    assert last.split("\t") == [str(plan.open), "€\xa01.000.000", "€\xa01.000", "€\xa0450"]
    assert page.console_errors == []
