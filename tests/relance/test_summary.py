"""The round summary: the published figures, the JSON of interfaces.md, the Dutch text,
exact rounding, and a fixed number of queries whatever the plan's size."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from relance.summary import dutch_euro, dutch_number, round_summary, summary_text
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    FinanceReportFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--today", "2026-11-22")


def test_december_2023_as_published(demo):
    summary = round_summary("2023-12").as_json()

    # The keys of interfaces.md first, in order; issue 14's keys after them.
    assert list(summary) == [
        "round", "reference_date", "previous_round", "projects", "milestones", "finance",
        "by_speerpunt", "changes", "milestone_years", "transitions", "forecast", "observations",
    ]  # fmt: skip
    assert (summary["round"], summary["reference_date"], summary["previous_round"]) == (
        "2023-12",
        "2023-12-31",
        "2022-12",
    )
    assert summary["projects"] == {
        "total": 181, "not_started": 0, "started": 0, "in_progress": 141, "realised": 33,
        "attention": 4, "action_required": 0, "stopped": 3, "carried_forward": 13,
    }  # fmt: skip
    milestones = summary["milestones"]
    assert list(milestones) == [
        "total", "realised", "on_schedule", "delayed", "future", "stopped",
        "on_schedule_or_realised", "on_schedule_or_realised_pct",
    ]  # fmt: skip
    assert (milestones["total"], milestones["on_schedule_or_realised"]) == (1753, 1483)
    assert milestones["realised"] + milestones["on_schedule"] == 1483
    assert milestones["on_schedule_or_realised_pct"] == 84.6
    assert summary["finance"] == {
        "budget_eur": "4300000000.00",
        "envelope_eur": "4300000000.00",
        "committed_eur": "4168000000.00",
        "committed_pct": 96.93,
        "paid_eur": "2162000000.00",
        "paid_pct": 50.28,
        "committed_change_eur": "83000000.00",
        "paid_change_eur": "853000000.00",
        "paid_change_pct_points": 19.84,
        "committed_change_pct_points": 1.93,
    }


def test_the_speerpunten_add_up_to_the_round(demo):
    summary = round_summary("2023-12").as_json()

    parts = summary["by_speerpunt"]
    assert [part["speerpunt"] for part in parts] == [1, 2, 3, 4, 5, 6, 7]
    assert parts[0]["naam"] == "Economie en samenleving verduurzamen"
    assert set(parts[0]) == {"speerpunt", "naam", "projects", "milestones", "finance"}
    for key in ("total", "realised", "attention"):
        assert sum(part["projects"][key] for part in parts) == summary["projects"][key]
    assert sum(part["milestones"]["total"] for part in parts) == 1753
    for key in ("budget_eur", "committed_eur", "paid_eur", "paid_change_eur"):
        total = sum(Decimal(part["finance"][key]) for part in parts)
        assert total == Decimal(summary["finance"][key])


def test_the_text_reads_like_the_published_report(demo):
    text = summary_text(round_summary("2023-12"))

    assert "33 van de 181 relanceprojecten (18%) zijn gerealiseerd" in text
    assert "141 (78%) zijn in uitvoering volgens schema" in text
    assert "4 (2%) hebben bijzondere aandacht nodig en 3 (2%) zijn stopgezet" in text
    assert "1483 van de 1753 mijlpalen (84,6%) zijn gerealiseerd of op schema." in text
    assert "Vastgelegd (VAK): 4,168 miljard euro, of 96,93% van het budget van 4,3 miljard" in text
    assert (
        "Vereffend (VEK): 2,162 miljard euro, of 50,28% van het budget; +853 miljoen euro" in text
    )
    assert "(+19,84 procentpunt) sinds December 2022" in text
    assert "1. Economie en samenleving verduurzamen: 50 projecten" in text


def test_the_command_prints_the_json_and_the_text(demo, capsys):
    call_command("round_summary", "2023-12", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == round_summary("2023-12").as_json()

    call_command("round_summary", "2023-12")
    assert "33 van de 181 relanceprojecten (18%)" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_round():
    with pytest.raises(CommandError, match="Onbekend meetmoment: 2099-12"):
        call_command("round_summary", "2099-12")


def test_the_first_round_has_no_changes():
    fiche = FicheFactory(round=ReportingRoundFactory())
    FinanceReportFactory(fiche=fiche)

    summary = round_summary(fiche.round).as_json()

    assert summary["previous_round"] is None
    finance = summary["finance"]
    assert finance["committed_change_eur"] is None
    assert finance["paid_change_eur"] is None
    assert finance["paid_change_pct_points"] is None


def test_percentages_are_rounded_half_up_once_at_the_end():
    project = ProjectFactory(budget_eur=Decimal("1000.00"))
    reporting_round = ReportingRoundFactory()
    # 0.05 of 1000 is 0.005 %: half-up makes it 0.01 (half-even would make it 0.00).
    FinanceReportFactory(
        fiche=FicheFactory(round=reporting_round, project=project),
        committed_eur=Decimal("0.05"),
        paid_eur=Decimal("0.15"),
    )

    finance = round_summary(reporting_round).as_json()["finance"]

    assert (finance["committed_pct"], finance["paid_pct"]) == (0.01, 0.02)


def test_a_closed_round_counts_its_frozen_budgets_an_open_round_the_projects():
    project = ProjectFactory(budget_eur=Decimal("200.00"))
    closed = ReportingRoundFactory(reference_date=dt.date(2022, 12, 31))
    FinanceReportFactory(
        fiche=FicheFactory(round=closed, project=project),
        budget_eur=Decimal("100.00"),
        committed_eur=Decimal("50.00"),
        paid_eur=Decimal("10.00"),
    )
    closed.close(by=None)
    current = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31), state="open")
    FinanceReportFactory(
        fiche=FicheFactory(round=current, project=project),
        committed_eur=Decimal("60.00"),
        paid_eur=Decimal("40.00"),
    )

    before, now = round_summary(closed).totals.finance, round_summary(current).totals.finance
    number = project.cluster.speerpunt.number
    part = round_summary(current, speerpunt=number).totals.finance

    assert (before.budget_eur, before.committed_pct) == (Decimal("100"), Decimal("50.00"))
    # The whole plan's percentages are of the envelope: the first round's budgets (100),
    # frozen when it closed, and kept by the next round.
    assert (before.envelope_eur, now.envelope_eur) == (Decimal("100"), Decimal("100"))
    assert (now.budget_eur, now.committed_pct, now.paid_pct) == (
        Decimal("200"),
        Decimal("60.00"),
        Decimal("40.00"),
    )
    assert now.paid_change_eur == Decimal("30.00")
    assert now.paid_change_pct_points == Decimal("30.00")  # 40 % now, 10 % before
    # A part of the plan counts against its own budget in each round.
    assert (part.envelope_eur, part.budget_eur, part.committed_pct, part.paid_pct) == (
        None,
        Decimal("200"),
        Decimal("30.00"),
        Decimal("20.00"),
    )
    assert part.paid_change_pct_points == Decimal("10.00")  # 20 % now, 10 % before


def test_milestones_and_projects_are_counted_per_status():
    reporting_round = ReportingRoundFactory()
    for status in [ProjectStatus.REALISED, ProjectStatus.REALISED, ProjectStatus.STOPPED]:
        FicheFactory(round=reporting_round, status=status)
    for status in [MilestoneState.REALISED, MilestoneState.ON_SCHEDULE, MilestoneState.DELAYED]:
        MilestoneStatusFactory(
            round=reporting_round,
            status=status,
            realised_on=dt.date(2020, 1, 1) if status == MilestoneState.REALISED else None,
        )

    summary = round_summary(reporting_round)

    assert summary.totals.projects.counts["realised"] == 2
    assert summary.totals.projects.total == 3
    milestones = summary.totals.milestones
    assert (milestones.total, milestones.on_schedule_or_realised) == (3, 2)
    assert milestones.on_schedule_or_realised_pct == Decimal("66.67")


def grow(projects: int, speerpunten: int) -> None:
    clusters = [
        ClusterFactory(speerpunt=SpeerpuntFactory(number=n + 1)) for n in range(speerpunten)
    ]
    previous = ReportingRoundFactory(reference_date=dt.date(2022, 12, 31))
    current = ReportingRoundFactory(code="2023-12", reference_date=dt.date(2023, 12, 31))
    for i in range(projects):
        project = ProjectFactory(cluster=clusters[i % speerpunten])
        for reporting_round in (previous, current):
            FinanceReportFactory(fiche=FicheFactory(round=reporting_round, project=project))
            MilestoneStatusFactory(round=reporting_round, milestone__project=project)


@pytest.mark.parametrize(("projects", "speerpunten"), [(2, 1), (40, 6)])
def test_the_summary_takes_a_fixed_number_of_queries(
    projects, speerpunten, django_assert_num_queries
):
    grow(projects, speerpunten)

    # The round, its chain, money, projects, milestones, speerpunten; the forecast.
    with django_assert_num_queries(7):
        summary = round_summary("2023-12")
        summary.as_json()

    assert summary.totals.projects.total == projects
    assert len(summary.by_speerpunt) == speerpunten


def test_dutch_numbers():
    assert dutch_number(Decimal("1234567.891"), 2) == "1.234.567,89"
    assert dutch_number(Decimal("84.60"), 2) == "84,6"
    assert dutch_number(Decimal("0.005"), 2) == "0,01"
    assert dutch_euro(Decimal("4168000000")) == "4,168 miljard euro"
    assert dutch_euro(Decimal("4300000000")) == "4,3 miljard euro"
    assert dutch_euro(Decimal("853000000"), signed=True) == "+853 miljoen euro"
    assert dutch_euro(Decimal("-218800000"), signed=True) == "-218,8 miljoen euro"
    assert dutch_euro(Decimal("12345.60")) == "12.346 euro"
