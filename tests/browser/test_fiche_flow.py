"""An owner fills in and submits a fiche; a coordinator returns, approves and flags it."""

import datetime as dt
from decimal import Decimal

import pytest

from milestones.models import MilestoneState
from projects.models import Fiche, ProjectStatus, ReviewState
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

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_BUTTON = "main form[action$='/accounts/login/'] button[type=submit]"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)


def submit(page, button_text):
    with page.expect_navigation():
        page.get_by_role("button", name=button_text, exact=True).click()


@pytest.fixture
def plan():
    domain = PolicyDomainFactory(code="MOW", name="Mobiliteit en Openbare Werken")
    project = ProjectFactory(
        code="VV014", title="Fietsinfrastructuur aan gemeentewegen", domain=domain
    )
    reporting_round = ReportingRoundFactory(
        code="2024-12",
        name="December 2024",
        reference_date=dt.date(2024, 12, 31),
        state=RoundState.OPEN,
    )
    started = ProjectStatus.STARTED
    fiche = FicheFactory(
        round=reporting_round, project=project, narrative="", status=started, owner_status=started
    )
    FinanceReportFactory(fiche=fiche, committed_eur=None, paid_eur=None)
    for number, deadline in [(1, dt.date(2024, 3, 31)), (2, dt.date(2029, 6, 30))]:
        milestone = MilestoneFactory(project=project, number=number, deadline=deadline)
        MilestoneStatusFactory(
            round=reporting_round, milestone=milestone, status=MilestoneState.ON_SCHEDULE
        )
    UserFactory(username="ria", first_name="Ria", role=Role.EDITOR, domains=[domain])
    UserFactory(username="koen", first_name="Koen", role=Role.COORDINATOR)
    return fiche


def test_owner_submits_and_coordinator_returns_approves_and_flags(page, plan):
    sign_in(page, "ria")
    page.goto("/projects/VV014/fiche/")
    page.select_option("select[name=fiche-owner_status]", ProjectStatus.IN_PROGRESS)
    page.fill(
        "textarea[name=fiche-narrative]", "De eerste gemeenten hebben hun fietspaden aanbesteed."
    )
    page.fill("input[name=fiche-committed_eur]", "1250000,50")
    submit(page, "Opslaan als concept")
    assert "De fiche is opgeslagen." in page.content()

    page.select_option("select[name=ms-0-status]", MilestoneState.REALISED)
    page.fill("input[name=ms-0-realised_on]", "2024-03-15")
    submit(page, "Indienen")
    assert "Het vereffende bedrag (VEK) ontbreekt." in page.content()
    page.fill("input[name=fiche-paid_eur]", "300000")
    submit(page, "Indienen")
    assert "De fiche is ingediend." in page.content()
    fiche = Fiche.objects.get(pk=plan.pk)
    assert fiche.review_state == ReviewState.SUBMITTED
    assert fiche.finance.committed_eur == Decimal("1250000.50")

    sign_in(page, "koen")
    page.goto("/rounds/2024-12/")
    page.get_by_role("link", name="VV014").click()
    page.fill("textarea[name=comment]", "Het VEK-bedrag lijkt te laag.")
    submit(page, "Terugsturen")
    assert Fiche.objects.get(pk=plan.pk).review_state == ReviewState.RETURNED

    sign_in(page, "ria")
    page.goto("/projects/VV014/fiche/")
    assert "Het VEK-bedrag lijkt te laag." in page.content()
    page.fill("input[name=fiche-paid_eur]", "450000")
    submit(page, "Indienen")

    sign_in(page, "koen")
    page.goto("/projects/VV014/fiche/")
    submit(page, "Goedkeuren")
    assert Fiche.objects.get(pk=plan.pk).review_state == ReviewState.APPROVED

    page.get_by_text("Oranje of rood markeren").click()
    page.check("input[name=level][value=attention]")
    page.fill("textarea[name=motivation]", "Twee gemeenten haken af.")
    page.fill("input[name=actions-0-description]", "Nieuwe oproep aan de gemeenten")
    page.fill("input[name=actions-0-owner]", "Departement MOW")
    page.fill("input[name=actions-0-due_date]", "2025-03-31")
    submit(page, "Markeren")
    assert "Het project is gemarkeerd." in page.content()
    assert page.locator(f".badge.{ProjectStatus.ATTENTION.css_class}").first.is_visible()
    assert Fiche.objects.get(pk=plan.pk).status == ProjectStatus.ATTENTION
    assert page.console_errors == []
