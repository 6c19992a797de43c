import datetime as dt
from decimal import Decimal

import pytest

from milestones.models import MilestoneState
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
)


@pytest.fixture
def fiche(project, open_round):
    """A draft fiche of the editor's domain in the open round: two milestones, one
    indicator, money reported."""
    fiche = FicheFactory(round=open_round, project=project, narrative="Vorige toelichting")
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("100.00"), paid_eur=Decimal("10.00"))
    first = MilestoneFactory(project=project, number=1, deadline=dt.date(2024, 3, 31))
    MilestoneStatusFactory(
        round=open_round, milestone=first, status=MilestoneState.REALISED,
        realised_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    second = MilestoneFactory(project=project, number=2, deadline=dt.date(2030, 6, 30))
    MilestoneStatusFactory(round=open_round, milestone=second, status=MilestoneState.ON_SCHEDULE)
    IndicatorFactory(project=project, code="OUT1", defined_in=[open_round])
    return fiche
