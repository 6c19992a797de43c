"""The demo plan: the plan's shape and the published figures of every round it holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import Cluster, Fiche, PolicyDomain, Project, ReportingRound, Speerpunt, User
from projects.models.rounds import ReviewState, RoundState
from projects.models.users import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--users", "--today", "2026-11-22")
    return capsys.readouterr().out


def statuses(code):
    return dict(
        Fiche.objects.filter(round__code=code).values_list("status").annotate(n=Count("id"))
    )


def money(code):
    return FinanceReport.objects.filter(fiche__round__code=code).aggregate(
        budget=Sum("budget_eur"), committed=Sum("committed_eur"), paid=Sum("paid_eur")
    )


def test_the_plan_has_its_published_shape(demo):
    assert Speerpunt.objects.count() == 7
    assert Cluster.objects.count() == 36
    assert Project.objects.count() == 181
    assert Milestone.objects.count() == 1753
    assert Project.objects.filter(is_rrf=True).count() == 55
    assert Project.objects.aggregate(total=Sum("budget_eur"))["total"] == Decimal("4300000000")
    assert set(PolicyDomain.objects.values_list("code", flat=True)) == {
        "KBBJ", "FB", "EWI", "OV", "WVG", "CJSM", "WSE", "LV", "MOW", "OMG", "WEWILS",
    }  # fmt: skip
    assert set(
        PolicyDomain.objects.filter(merged_into__code="WEWILS").values_list("code", flat=True)
    ) == {"EWI", "WSE", "LV"}
    deadlines = Milestone.objects.values_list("deadline", flat=True)
    assert min(deadlines) >= dt.date(2020, 1, 1)
    assert max(deadlines) <= dt.date(2030, 12, 31)


def test_known_projects_keep_their_real_titles_and_budgets(demo):
    vv014 = Project.objects.get(code="VV014")
    assert vv014.title == "Fietsinfrastructuur aan gemeentewegen"
    assert vv014.budget_eur == Decimal("150000000")
    assert vv014.cluster.name == "Fietsinfrastructuur"
    assert not vv014.is_demo
    assert Project.objects.get(code="VV127").is_rrf
    assert Project.objects.filter(is_demo=True).count() == 181 - 15


def test_december_2021_as_published(demo):
    assert statuses("2021-12") == {
        "in_progress": 153, "started": 17, "realised": 1, "attention": 7, "not_started": 2,
    }  # fmt: skip
    assert money("2021-12") == {
        "budget": Decimal("4300000000"),
        "committed": Decimal("1522630000"),  # 35.41 % of 4.3 billion
        "paid": Decimal("218800000"),
    }
    assert not Fiche.objects.filter(round__code="2021-12", project__code="VV181").exists()


def test_december_2022_as_published(demo):
    counts = statuses("2022-12")
    assert sum(counts.values()) == 181
    assert (counts["in_progress"], counts["started"], counts["realised"]) == (162, 3, 13)
    assert money("2022-12")["committed"] == Decimal("4085000000")  # 95 %
    assert money("2022-12")["paid"] == Decimal("1309000000")


def test_december_2023_as_published(demo):
    assert statuses("2023-12") == {
        "realised": 33, "in_progress": 141, "stopped": 3, "attention": 4,
    }  # fmt: skip
    milestones = MilestoneStatus.objects.filter(round__code="2023-12").aggregate(
        total=Count("id"),
        good=Count(
            "id", filter=Q(status__in=[MilestoneState.REALISED, MilestoneState.ON_SCHEDULE])
        ),
    )
    assert milestones == {"total": 1753, "good": 1483}
    assert money("2023-12") == {
        "budget": Decimal("4300000000"),
        "committed": Decimal("4168000000"),
        "paid": Decimal("2162000000"),
    }
    assert money("2023-12")["paid"] - money("2022-12")["paid"] == Decimal("853000000")


def test_history_is_consistent_across_rounds(demo):
    # A project realised in one round stays realised; a realised milestone keeps its date.
    for earlier, later in [("2021-12", "2022-12"), ("2022-12", "2023-12")]:
        realised = set(
            Fiche.objects.filter(round__code=earlier, status="realised").values_list(
                "project", flat=True
            )
        )
        assert realised <= set(
            Fiche.objects.filter(round__code=later, status="realised").values_list(
                "project", flat=True
            )
        )
        kept = MilestoneStatus.objects.filter(round__code=earlier, status="realised")
        assert set(kept.values_list("milestone", "realised_on")) <= set(
            MilestoneStatus.objects.filter(round__code=later).values_list(
                "milestone", "realised_on"
            )
        )
    # Money is cumulative: nobody pays more than was committed.

    assert not FinanceReport.objects.filter(paid_eur__gt=F("committed_eur")).exists()


def test_three_closed_rounds_and_an_open_one_to_try(demo):
    rounds = ReportingRound.objects.order_by("reference_date")
    assert [(r.code, r.state) for r in rounds] == [
        ("2021-12", RoundState.CLOSED),
        ("2022-12", RoundState.CLOSED),
        ("2023-12", RoundState.CLOSED),
        ("2026-12", RoundState.OPEN),
    ]
    open_fiches = Fiche.objects.filter(round__code="2026-12")
    # Every project still running in December 2023, as a draft pre-filled from it.
    assert open_fiches.count() == 181 - 33 - 3
    # Part of it under way, so the review queue can be tried.
    states = dict(open_fiches.values_list("review_state").annotate(n=Count("pk")))
    assert states == {
        ReviewState.DRAFT: 145 - 62, ReviewState.SUBMITTED: 35, ReviewState.APPROVED: 25,
        ReviewState.RETURNED: 2,
    }  # fmt: skip
    assert not open_fiches.filter(finance__isnull=True).exists()


def test_one_demo_user_per_role_with_printed_logins(demo):
    assert {u.username: u.role for u in User.objects.all()} == {
        "beheerder": Role.ADMIN,
        "coordinator": Role.COORDINATOR,
        "redacteur": Role.EDITOR,
        "lezer": Role.READER,
    }
    assert "redacteur    relance-demo [MOW, OMG]" in demo


def test_loads_once(demo, capsys):
    call_command("load_demo", "--users")
    out = capsys.readouterr().out
    assert "niet opnieuw geladen" in out
    assert "wachtwoord ongewijzigd" in out
    assert Project.objects.count() == 181


def test_no_demo_users_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="productie"):
        call_command("load_demo", "--users")
    assert not Project.objects.exists()
