"""A coordinator meets an early warning in the review queue, accepts it (the flag form opens
filled in) and raises the flag; on another project dismisses one with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import FindingNote, ProjectStatus, ReviewState, StatusFlag
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.browser.test_fiche_flow import sign_in, submit
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    """Two submitted fiches whose VEK is a tenth of VAK, 80 % into the projects' life."""
    reporting_round = ReportingRoundFactory(
        code="2024-12", reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN
    )
    for code in ("VV021", "VV022"):
        fiche = FicheFactory(
            round=reporting_round,
            project=ProjectFactory(code=code),
            owner_status=ProjectStatus.IN_PROGRESS,
            status=ProjectStatus.IN_PROGRESS,
            review_state=ReviewState.SUBMITTED,
            submitted_at=timezone.now(),
        )
        FinanceReportFactory(
            fiche=fiche, committed_eur=Decimal("1000000"), paid_eur=Decimal("100000")
        )
    UserFactory(username="koen", first_name="Koen", role=Role.COORDINATOR)
    return reporting_round


def test_coordinator_accepts_one_suggestion_and_dismisses_another(page, plan):
    sign_in(page, "koen")
    page.goto("/rounds/2024-12/")
    queue = page.locator(".queue-suggestion")
    assert queue.count() == 2
    assert "suggestie: oranje" in queue.first.inner_text()

    # Accept: the fiche opens with its flag form filled in; nothing is flagged yet.
    with page.expect_navigation():
        queue.first.get_by_role("link", name="Overnemen").click()
    assert page.locator("#flag-form").get_attribute("open") is not None
    assert page.input_value("textarea[name=motivation]").startswith(
        "Op voorstel van de vroege waarschuwing: VEK 100.000"
    )
    assert page.is_checked("input[name=level][value=attention]")
    assert StatusFlag.objects.count() == 0
    page.fill("input[name=actions-0-description]", "Betalingsplan opvragen")
    page.fill("input[name=actions-0-owner]", "Kabinet")
    page.fill("input[name=actions-0-due_date]", "2030-01-31")
    submit(page, "Markeren")
    assert "Het project is gemarkeerd." in page.content()
    assert StatusFlag.objects.get().fiche.project.code == "VV021"

    # Dismiss the other with a reason: it stays visible, marked dismissed.
    page.goto("/projects/VV022/fiche/")
    page.fill("#suggestion textarea[name=reason]", "Betalingen volgen in januari.")
    submit(page, "Suggestie afwijzen")
    assert "De suggestie is afgewezen." in page.content()
    assert FindingNote.objects.get().comment == "Betalingen volgen in januari."
    page.goto("/rounds/2024-12/")
    assert "afgewezen" in page.locator(".queue-suggestion").last.inner_text()
    assert page.console_errors == []
