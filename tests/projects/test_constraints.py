"""Every invariant of the plan holds in the database itself, whatever writes to it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from milestones.models import MilestoneState
from projects.models import ProjectStatus, ReportingRound
from projects.models.rounds import RoundState
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **fields):
    """Creating with these fields fails at the database, and leaves nothing behind."""
    model = factory._meta.model
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)
    assert model.objects.count() == before


@pytest.mark.parametrize("code", ["mow", "M", "MOW1", "MO W"])
def test_policy_domain_code_must_be_capitals(code):
    refused(PolicyDomainFactory, code=code)


def test_policy_domain_codes_are_unique():
    PolicyDomainFactory(code="MOW")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDomainFactory._meta.model.objects.create(code="MOW", name="Nog eens")


@pytest.mark.parametrize("number", [0, 100])
def test_speerpunt_number_is_1_to_99(number):
    refused(SpeerpuntFactory, number=number)


def test_cluster_numbers_are_unique_plan_wide():
    ClusterFactory(number=6)
    refused(ClusterFactory, number=6)


@pytest.mark.parametrize("code", ["vv001", "001", "VV-001", "VV", ""])
def test_project_code_is_letters_then_digits(code):
    refused(ProjectFactory, code=code)


def test_project_codes_are_unique():
    ProjectFactory(code="VV001")
    refused(ProjectFactory, code="VV001")


def test_project_budget_cannot_be_negative():
    refused(ProjectFactory, budget_eur=Decimal("-0.01"))


def test_project_cannot_end_before_it_starts():
    refused(ProjectFactory, start_date=dt.date(2022, 1, 2), end_date=dt.date(2022, 1, 1))


def test_project_may_end_the_day_it_starts():
    project = ProjectFactory(start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 1, 1))
    assert project.pk


def test_rrf_project_needs_a_measure():
    refused(ProjectFactory, is_rrf=True, rrf_measure="")
    assert ProjectFactory(is_rrf=True, rrf_measure="I-2.09").is_rrf


def test_money_keeps_its_cents_exactly():
    project = ProjectFactory(budget_eur=Decimal("1234567890123.45"))
    project.refresh_from_db()
    assert project.budget_eur == Decimal("1234567890123.45")


@pytest.mark.parametrize("code", ["2023", "2023-13", "2023-00", "23-12", "2023-1"])
def test_round_code_is_year_and_month(code):
    refused(ReportingRoundFactory, code=code)


def test_round_reference_dates_are_unique():
    ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), code="2023-12")
    refused(ReportingRoundFactory, reference_date=dt.date(2023, 12, 31), code="2024-01")


def test_round_state_must_be_known():
    refused(ReportingRoundFactory, state="half-open")


def test_at_most_one_round_is_open():
    ReportingRoundFactory(state=RoundState.OPEN)
    refused(ReportingRoundFactory, state=RoundState.OPEN)
    # Drafts and closed rounds are not limited.
    ReportingRoundFactory(state=RoundState.DRAFT)
    ReportingRoundFactory(state=RoundState.DRAFT)
    assert ReportingRound.objects.count() == 3


def test_round_deadline_not_before_it_opens():
    refused(ReportingRoundFactory, opens_on=dt.date(2024, 1, 10), deadline=dt.date(2024, 1, 9))


def test_one_fiche_per_project_per_round(project, open_round):
    FicheFactory(project=project, round=open_round)
    refused(FicheFactory, project=project, round=open_round)


def test_fiche_status_must_be_one_of_the_seven():
    refused(FicheFactory, status="green")
    assert len(ProjectStatus.values) == 7


def test_fiche_review_state_must_be_known():
    refused(FicheFactory, review_state="maybe")


@pytest.mark.parametrize("field", ["committed_eur", "paid_eur", "budget_eur"])
def test_finance_amounts_cannot_be_negative(field):
    refused(FinanceReportFactory, **{field: Decimal("-1.00")})


def test_one_finance_report_per_fiche():
    report = FinanceReportFactory()
    refused(FinanceReportFactory, fiche=report.fiche)


def test_milestone_numbers_are_unique_per_project(project):
    MilestoneFactory(project=project, number=1)
    refused(MilestoneFactory, project=project, number=1)
    assert MilestoneFactory(number=1).number == 1  # another project may have its own 1


def test_milestone_number_starts_at_one():
    refused(MilestoneFactory, number=0)


def test_realised_milestone_needs_a_date():
    refused(MilestoneStatusFactory, status=MilestoneState.REALISED, realised_on=None)


def test_milestone_status_must_be_known():
    refused(MilestoneStatusFactory, status="done")


def test_one_status_per_milestone_per_round(open_round):
    status = MilestoneStatusFactory(round=open_round)
    refused(MilestoneStatusFactory, round=open_round, milestone=status.milestone)
