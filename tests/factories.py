"""factory_boy factories for the plan; each builds a valid object with the fewest choices."""

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    Speerpunt,
    User,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from projects.roles import assign_role

PASSWORD = "geheim-wachtwoord-42"


class PolicyDomainFactory(DjangoModelFactory[PolicyDomain]):
    class Meta:
        model = PolicyDomain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"Beleidsdomein {o.code}")


class SpeerpuntFactory(DjangoModelFactory[Speerpunt]):
    class Meta:
        model = Speerpunt
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 99 + 1)
    name = factory.LazyAttribute(lambda o: f"Speerpunt {o.number}")


class ClusterFactory(DjangoModelFactory[Cluster]):
    class Meta:
        model = Cluster

    number = factory.Sequence(lambda n: n + 1)
    speerpunt = factory.SubFactory(SpeerpuntFactory)
    name = factory.LazyAttribute(lambda o: f"Cluster {o.number}")


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"VV{n + 1:03d}")
    title = factory.LazyAttribute(lambda o: f"Project {o.code}")
    cluster = factory.SubFactory(ClusterFactory)
    domain = factory.SubFactory(PolicyDomainFactory)
    budget_eur = Decimal("1000000.00")
    start_date = dt.date(2021, 1, 1)
    end_date = dt.date(2025, 12, 31)


class ReportingRoundFactory(DjangoModelFactory[ReportingRound]):
    """A round in preparation; pass state=RoundState.OPEN, or close it with ``.close()``."""

    class Meta:
        model = ReportingRound

    reference_date = factory.Sequence(lambda n: dt.date(2020 + n, 12, 31))
    code = factory.LazyAttribute(lambda o: o.reference_date.strftime("%Y-%m"))
    name = factory.LazyAttribute(lambda o: f"December {o.reference_date.year}")
    deadline = factory.LazyAttribute(lambda o: o.reference_date + dt.timedelta(days=31))
    state = RoundState.DRAFT


class FicheFactory(DjangoModelFactory[Fiche]):
    class Meta:
        model = Fiche

    round = factory.SubFactory(ReportingRoundFactory, state=RoundState.OPEN)
    project = factory.SubFactory(ProjectFactory)
    status = ProjectStatus.IN_PROGRESS
    narrative = "Het project loopt volgens schema."


class FinanceReportFactory(DjangoModelFactory[FinanceReport]):
    class Meta:
        model = FinanceReport

    fiche = factory.SubFactory(FicheFactory)
    committed_eur = Decimal("500000.00")
    paid_eur = Decimal("100000.00")


class IndicatorFactory(DjangoModelFactory[Indicator]):
    """An indicator; ``defined_in=[round, ...]`` gives it the default definition in each of
    those rounds (create them before a round closes: a closed round refuses new rows)."""

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"OUT{n + 1}")

    @factory.post_generation
    def defined_in(self, create: bool, rounds: Any, **kwargs: Any) -> None:
        for reporting_round in rounds or ():
            IndicatorDefinitionFactory(indicator=self, round=reporting_round, **kwargs)


class IndicatorDefinitionFactory(DjangoModelFactory[IndicatorDefinition]):
    class Meta:
        model = IndicatorDefinition

    indicator = factory.SubFactory(IndicatorFactory)
    round = factory.SubFactory(ReportingRoundFactory, state=RoundState.OPEN)
    name = "Aantal begeleide gemeenten"
    kind = IndicatorKind.OUTPUT
    unit = "gemeenten"
    baseline = Decimal("0")
    target = Decimal("300")


class IndicatorValueFactory(DjangoModelFactory[IndicatorValue]):
    class Meta:
        model = IndicatorValue

    round = factory.SubFactory(ReportingRoundFactory, state=RoundState.OPEN)
    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal("120.5")


class MilestoneFactory(DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = "Gunning van de opdracht"
    deadline = dt.date(2023, 6, 30)


class MilestoneStatusFactory(DjangoModelFactory[MilestoneStatus]):
    class Meta:
        model = MilestoneStatus

    round = factory.SubFactory(ReportingRoundFactory, state=RoundState.OPEN)
    milestone = factory.SubFactory(MilestoneFactory)
    status = MilestoneState.ON_SCHEDULE


class UserFactory(DjangoModelFactory[User]):
    """A user with a role: ``UserFactory(role=Role.EDITOR, domains=[domain])``."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@relance.example")
    password = factory.django.Password(PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, role=Role.READER, domains=(), **kwargs):  # type: ignore[no-untyped-def]
        user = super()._create(model_class, *args, **kwargs)
        assign_role(user=user, role=role, domains=domains)
        return user
