"""The editor's daily work in a real browser: three fiches submitted from "Mijn fiches" with
save-and-next, an expired session that keeps the typed narrative, the unsaved-changes
warning, the error summary's focus, the confirmations; at a desktop's and a phone's size."""

from __future__ import annotations

import datetime as dt

import pytest

from milestones.models import MilestoneState
from projects.models import Fiche, ReportingRound, ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    PASSWORD,
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

from .test_fiche_flow import LOGIN_BUTTON

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture
def desk():
    domain = PolicyDomainFactory(code="MOW", name="Mobiliteit en Openbare Werken")
    reporting_round = ReportingRoundFactory(
        code="2024-12",
        name="December 2024",
        reference_date=dt.date(2024, 12, 31),
        deadline=dt.date(2025, 1, 31),
        state=RoundState.OPEN,
    )
    codes = ["VV001", "VV002", "VV003"]
    for code in codes:
        project = ProjectFactory(code=code, title=f"Fietspaden {code}", domain=domain)
        fiche = FicheFactory(round=reporting_round, project=project, narrative="")
        FinanceReportFactory(fiche=fiche, committed_eur=None, paid_eur=None)
        for number in range(1, 7):
            milestone = MilestoneFactory(
                project=project, number=number, deadline=dt.date(2029, 6, 30)
            )
            MilestoneStatusFactory(
                round=reporting_round, milestone=milestone, status=MilestoneState.ON_SCHEDULE
            )
    UserFactory(username="ria", first_name="Ria", role=Role.EDITOR, domains=[domain])
    UserFactory(username="koen", first_name="Koen", role=Role.COORDINATOR)
    return codes


def sign_in(page, username, *, fresh=True):
    if fresh:
        page.context.clear_cookies()
        page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


@SIZES
def test_an_editor_submits_three_fiches_from_mijn_fiches(page, desk, size):
    page.set_viewport_size(size)
    sign_in(page, "ria")
    assert page.url.endswith("/mijn-fiches/")
    assert "0 van 3 ingediend" in page.content()
    assert "31 januari 2025" in page.content()
    with page.expect_navigation():
        page.locator("#desk-to-do a").first.click()
    for number, code in enumerate(desk, start=1):
        assert page.url.endswith(f"/projects/{code}/fiche/")
        if size is PHONE:
            # The milestones start folded; the save bar stays in view at the top of the form.
            assert page.locator("details.milestone-item[open]").count() == 0
            bar = page.locator(".save-bar").bounding_box()
            assert bar is not None
            assert bar["y"] + bar["height"] <= size["height"] + 1
            assert page.evaluate("document.documentElement.scrollHeight") > size["height"]
        page.fill("textarea[name=fiche-narrative]", f"Fiche {number}: de werken lopen.")
        page.fill("input[name=fiche-committed_eur]", "1.650.000,50")
        page.fill("input[name=fiche-paid_eur]", "250.000")
        click(page, "Indienen en volgende")
    assert page.url.endswith("/mijn-fiches/")
    assert "3 van 3 ingediend" in page.content()
    assert len(page.dialogs) == 3  # each submission asked first
    assert "De fiche indienen?" in page.dialogs[0]
    states = set(Fiche.objects.values_list("review_state", flat=True))
    assert states == {ReviewState.SUBMITTED}
    assert Fiche.objects.get(project__code="VV002").narrative == "Fiche 2: de werken lopen."
    assert page.console_errors == []


@SIZES
def test_an_expired_session_keeps_the_typed_narrative(page, desk, size):
    page.set_viewport_size(size)
    sign_in(page, "ria")
    page.goto("/projects/VV002/fiche/")
    typed = "Getypt terwijl de sessie verliep: de aanbesteding is gegund."
    page.fill("textarea[name=fiche-narrative]", typed)
    page.context.clear_cookies(name="sessionid")  # the session expired meanwhile
    click(page, "Opslaan als concept")
    assert "/accounts/login/" in page.url
    assert Fiche.objects.get(project__code="VV002").narrative == ""
    sign_in(page, "ria", fresh=False)
    assert page.url.endswith("/projects/VV002/fiche/")
    assert page.input_value("textarea[name=fiche-narrative]") == typed
    assert page.locator(".draft-restored").is_visible()
    click(page, "Opslaan als concept")
    assert "De fiche is opgeslagen." in page.content()
    assert Fiche.objects.get(project__code="VV002").narrative == typed
    # Saved as typed: the kept copy is gone, a new visit shows no notice.
    page.goto("/projects/VV002/fiche/")
    assert page.locator(".draft-restored").count() == 0
    assert page.console_errors == []


def test_a_kept_draft_never_overwrites_a_save_made_meanwhile(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.fill("textarea[name=fiche-narrative]", "Mijn versie")
    page.context.clear_cookies(name="sessionid")
    click(page, "Opslaan als concept")
    Fiche.objects.filter(project__code="VV001").update(narrative="Van Koen", version=2)
    sign_in(page, "ria", fresh=False)
    assert page.input_value("textarea[name=fiche-narrative]") == "Mijn versie"
    click(page, "Opslaan als concept")
    assert "Iemand anders heeft deze fiche intussen opgeslagen." in page.content()
    assert Fiche.objects.get(project__code="VV001").narrative == "Van Koen"


def test_leaving_with_unsaved_changes_asks_first(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.goto("/mijn-fiches/")  # nothing typed: no question
    assert page.dialogs == []
    page.goto("/projects/VV001/fiche/")
    page.fill("textarea[name=fiche-narrative]", "Nog niet opgeslagen")
    page.answer_dialogs = False  # stay on the page
    page.get_by_role("link", name="Mijn fiches").first.click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert len(page.dialogs) == 1
    assert page.url.endswith("/projects/VV001/fiche/")
    assert page.input_value("textarea[name=fiche-narrative]") == "Nog niet opgeslagen"


def test_a_failed_save_puts_the_error_summary_first_and_focuses_it(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.fill("input[name=fiche-paid_eur]", "veel")
    page.fill("textarea[name=fiche-narrative]", "Blijft staan")
    click(page, "Opslaan als concept")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    link = page.locator("#error-summary a").first
    assert link.inner_text().startswith("Vereffend")
    link.click()
    assert page.evaluate("document.activeElement.name") == "fiche-paid_eur"
    assert page.input_value("textarea[name=fiche-narrative]") == "Blijft staan"


def test_a_refused_confirmation_submits_nothing(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.fill("textarea[name=fiche-narrative]", "Klaar")
    page.answer_dialogs = False
    page.get_by_role("button", name="Indienen", exact=True).click()
    page.wait_for_timeout(300)
    assert len(page.dialogs) == 1
    assert page.url.endswith("/projects/VV001/fiche/")
    assert Fiche.objects.get(project__code="VV001").review_state == ReviewState.DRAFT


def test_closing_a_round_asks_first(page, desk):
    sign_in(page, "koen")
    page.goto("/rounds/2024-12/")
    button = page.get_by_role("button", name="Definitief sluiten")
    if button.count() == 0:
        pytest.fail("the round page offers no closing")
    page.answer_dialogs = False
    button.click()
    page.wait_for_timeout(300)
    assert page.dialogs
    assert "definitief sluiten" in page.dialogs[0]
    assert page.url.endswith("/rounds/2024-12/")
    assert ReportingRound.objects.get(code="2024-12").state == RoundState.OPEN


def test_a_saved_fiche_is_not_restored_though_its_amounts_are_shown_otherwise(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV003/fiche/")
    page.fill("input[name=fiche-paid_eur]", "250.000")  # shown back as 250.000,00
    click(page, "Opslaan als concept")
    assert "De fiche is opgeslagen." in page.content()
    assert page.input_value("input[name=fiche-paid_eur]") == "250.000,00"
    assert page.locator(".draft-restored").count() == 0
    page.goto("/projects/VV003/fiche/")
    assert page.locator(".draft-restored").count() == 0
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_save_and_next_forgets_the_copy_of_the_fiche_left(page, desk):
    sign_in(page, "ria")
    page.goto("/projects/VV001/fiche/")
    page.fill("input[name=fiche-committed_eur]", "1000")
    click(page, "Opslaan en volgende")
    assert page.url.endswith("/projects/VV002/fiche/")
    page.goto("/projects/VV001/fiche/")
    assert page.locator(".draft-restored").count() == 0
