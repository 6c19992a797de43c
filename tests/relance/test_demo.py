"""The demo plan: the plan's shape, the published figures of every round it holds, and a
history that holds together from one round to the next.

The figures below are the published ones (shared/data/reference), written out here rather
than read from relance/demo/data.py, so that a change to the demo's data cannot pass
unnoticed.
"""

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus, count_postponements
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    Speerpunt,
    StatusFlag,
    User,
)
from projects.models.fiches import ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance.rrf.scoreboard import scoreboard_rows
from relance.summary import round_summary

pytestmark = pytest.mark.django_db

S = ProjectStatus
CLOSED = ["2021-03", "2021-09", "2021-12", "2022-06", "2022-12", "2023-12", "2024-12"]
ENVELOPE = Decimal("4300000000")


# -- the command itself (each test loads into its own, empty database) -----------------------
# These come first: the module's shared demo below stays loaded until the module ends.


@pytest.fixture
def fresh_demo(capsys):
    call_command("load_demo", "--users", "--today", "2026-11-22")
    return capsys.readouterr().out


def test_one_demo_user_per_role_with_printed_logins(fresh_demo):
    assert {u.username: u.role for u in User.objects.all()} == {
        "beheerder": Role.ADMIN,
        "coordinator": Role.COORDINATOR,
        "redacteur": Role.EDITOR,
        "lezer": Role.READER,
    }
    assert "redacteur    veerkracht-demo [MOW, OMG]" in fresh_demo
    # The users come before the rounds: the demo coordinator is the one who reviewed.
    assert not StatusFlag.objects.filter(carried_from__isnull=True, raised_by=None).exists()


def test_loads_once(fresh_demo, capsys):
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


def test_without_users_nobody_is_named(capsys):
    call_command("load_demo", "--today", "2026-11-22")
    assert not User.objects.exists()
    assert StatusFlag.objects.exists()
    assert not StatusFlag.objects.filter(raised_by__isnull=False).exists()


# -- the plan, loaded once for the tests below -------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo plan, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", "--users", "--today", "2026-11-22", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


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


def test_projects_carry_transition_coefficients_by_cluster(demo):
    assert Project.objects.get(code="VV014").climate_coefficient == 100
    assert Project.objects.get(code="VV127").digital_coefficient == 100
    speerpunt_3 = Project.objects.filter(cluster__speerpunt__number=3)
    assert not speerpunt_3.exclude(digital_coefficient=100).exists()
    assert not Project.objects.exclude(climate_coefficient__in=[0, 40, 100]).exists()
    assert not Project.objects.exclude(digital_coefficient__in=[0, 40, 100]).exists()


PUBLISHED_COUNTS = {
    # round: total, not started, started, in progress, realised, orange, red, stopped
    "2021-03": (180, 11, 91, 77, 0, 1, 0, 0),
    "2021-09": (180, 4, 26, 149, 0, 1, 0, 0),
    "2021-12": (180, 2, 17, 153, 1, 7, 0, 0),
    "2022-06": (180, 1, 9, 162, 2, 5, 1, 0),
    "2022-12": (181, 0, 3, 162, 13, 2, 1, 0),
    "2023-12": (181, 0, 0, 141, 33, 4, 0, 3),
    "2024-12": (159, 0, 0, 92, 53, 2, 9, 3),
}


@pytest.mark.parametrize("code", CLOSED)
def test_every_round_gives_its_published_counts(demo, code):
    keys = ("total", "not_started", "started", "in_progress", "realised", "attention")
    keys += ("action_required", "stopped")
    projects = round_summary(code).as_json()["projects"]
    assert {key: projects[key] for key in keys} == dict(
        zip(keys, PUBLISHED_COUNTS[code], strict=True)
    )


def test_the_projects_published_by_name(demo):
    def named(code, status):
        return set(
            Fiche.objects.filter(round__code=code, status=status).values_list(
                "project__code", flat=True
            )
        )

    assert named("2021-03", S.ATTENTION) == {"VV168"}
    assert named("2022-06", S.REALISED) == {"VV146", "VV139"}
    assert named("2022-06", S.ATTENTION) == {"VV014", "VV056", "VV087", "VV120", "VV168"}
    assert named("2022-06", S.ACTION_REQUIRED) == {"VV078"}
    assert "VV044" in named("2022-12", S.REALISED)


def test_money_as_published(demo):
    def finance(code):
        return round_summary(code).as_json()["finance"]

    assert finance("2021-09")["committed_eur"] == "750000000.00"
    assert finance("2021-12")["committed_eur"] == "1522630000.00"  # 35.41 % of 4.3 billion
    assert finance("2021-12")["paid_eur"] == "218800000.00"
    assert finance("2021-12")["paid_change_eur"] == "142000000.00"  # since September 2021
    assert Decimal(finance("2022-06")["committed_eur"]) == ENVELOPE * Decimal("0.465")
    assert Decimal(finance("2022-06")["paid_eur"]) == ENVELOPE / 10
    assert finance("2022-12")["committed_eur"] == "4085000000.00"  # 95 %
    assert finance("2023-12")["committed_eur"] == "4168000000.00"
    assert finance("2023-12")["paid_eur"] == "2162000000.00"
    assert finance("2023-12")["paid_change_eur"] == "853000000.00"
    assert finance("2024-12")["committed_eur"] == "4164000000.00"
    assert finance("2024-12")["paid_change_eur"] == "890000000.00"
    # Before VV181 (June 2022 and earlier) its 6 million was still in VV028, VV033, VV101.
    for code in CLOSED:
        budget = money(code)["budget"]
        if code == "2024-12":  # without the 22 projects that left the plan
            assert budget < ENVELOPE
        else:
            assert budget == ENVELOPE
    vv028 = FinanceReport.objects.filter(fiche__project__code="VV028")
    assert vv028.get(fiche__round__code="2022-06").budget_eur == (
        vv028.get(fiche__round__code="2022-12").budget_eur + 2_000_000
    )
    assert not Fiche.objects.filter(round__code="2022-06", project__code="VV181").exists()
    assert Fiche.objects.filter(round__code="2022-12", project__code="VV181").exists()


def test_december_2023_milestones_as_published(demo):
    milestones = MilestoneStatus.objects.filter(round__code="2023-12").aggregate(
        total=Count("id"),
        good=Count(
            "id", filter=Q(status__in=[MilestoneState.REALISED, MilestoneState.ON_SCHEDULE])
        ),
    )
    assert milestones == {"total": 1753, "good": 1483}
    summary = round_summary("2023-12").as_json()["milestones"]
    assert (summary["on_schedule_or_realised"], summary["total"]) == (1483, 1753)


def test_the_rounds_are_closed_near_their_publication(demo):
    rounds = {r.code: r for r in ReportingRound.objects.closed()}
    assert sorted(rounds) == CLOSED
    published = {
        "2021-03": (dt.date(2021, 4, 1), dt.date(2021, 4, 30)),  # "april 2021"
        "2021-09": (dt.date(2021, 10, 1), dt.date(2021, 11, 30)),
        "2021-12": (dt.date(2022, 1, 1), dt.date(2022, 3, 16)),  # before the Rekenhof's audit
        "2022-06": (dt.date(2022, 7, 1), dt.date(2022, 7, 14)),  # before the VR of 15 July
        "2022-12": (dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
        "2023-12": (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        "2024-12": (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    }
    for code, (first, last) in published.items():
        reporting_round = rounds[code]
        assert first <= reporting_round.closed_at.date() <= last, code
        assert reporting_round.reference_date.day in (30, 31), code
        assert reporting_round.opens_on <= reporting_round.reference_date, code
        assert reporting_round.reference_date < reporting_round.deadline, code
        assert reporting_round.envelope_eur == ENVELOPE, code
    # Nothing in a round happened after it closed.
    assert not Fiche.objects.filter(
        round__state=RoundState.CLOSED, reviewed_at__gt=F("round__closed_at")
    ).exists()
    assert not StatusFlag.objects.filter(
        fiche__round__state=RoundState.CLOSED, raised_at__gt=F("fiche__round__closed_at")
    ).exists()


def _by_round(queryset, key, order="round__reference_date"):
    """{project or milestone: [its rows, in round order]}."""
    rows = defaultdict(list)
    for row in queryset.order_by(order):
        rows[key(row)].append(row)
    return rows


def test_finished_projects_stay_finished(demo):
    realised = [statuses(code).get(S.REALISED, 0) for code in CLOSED]
    assert realised == [0, 0, 1, 2, 13, 33, 53]
    assert [statuses(code).get(S.STOPPED, 0) for code in CLOSED] == [0, 0, 0, 0, 0, 3, 3]
    fiches = _by_round(Fiche.objects.filter(round__state=RoundState.CLOSED), lambda f: f.project_id)
    for history in fiches.values():
        for before, after in zip(history, history[1:], strict=False):
            if before.status in S.finished():
                assert after.status == before.status


def test_a_finished_project_is_carried_forward_unchanged(demo):
    carried = 0
    for code, later in zip(CLOSED, CLOSED[1:], strict=False):
        for fiche in Fiche.objects.filter(round__code=later).select_related("finance"):
            before = (
                Fiche.objects.filter(round__code=code, project=fiche.project_id)
                .select_related("finance")
                .first()
            )
            if before is None or before.status not in S.finished():
                assert not fiche.carried_forward, (fiche, code)
                continue
            assert fiche.carried_forward, (fiche, code)
            carried += 1
            assert fiche.review_state == ReviewState.APPROVED
            assert (fiche.status, fiche.owner_status, fiche.narrative) == (
                before.status,
                before.owner_status,
                before.narrative,
            )
            assert (fiche.finance.committed_eur, fiche.finance.paid_eur) == (
                before.finance.committed_eur,
                before.finance.paid_eur,
            )
            fields = ("milestone", "status", "realised_on", "forecast_date", "postponements")
            assert set(
                MilestoneStatus.objects.filter(
                    round=fiche.round_id, milestone__project=fiche.project_id
                ).values_list(*fields)
            ) == set(
                MilestoneStatus.objects.filter(
                    round=before.round_id, milestone__project=fiche.project_id
                ).values_list(*fields)
            )
    assert carried == 1 + 2 + 13 + 36  # finished before 2022-06, 2022-12, 2023-12, 2024-12


def test_money_is_cumulative_and_within_the_budget(demo):
    reports = FinanceReport.objects.filter(fiche__round__state=RoundState.CLOSED)
    assert not reports.filter(paid_eur__gt=F("committed_eur")).exists()
    assert not reports.filter(committed_eur__gt=F("budget_eur")).exists()
    assert not reports.filter(committed_eur__gt=F("fiche__project__budget_eur")).exists()
    history = _by_round(reports, lambda r: r.fiche.project_id, "fiche__round__reference_date")
    for rows in history.values():
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.committed_eur >= before.committed_eur
            assert after.paid_eur >= before.paid_eur


def test_milestone_histories_hold_together(demo):
    rows = MilestoneStatus.objects.filter(round__state=RoundState.CLOSED).select_related(
        "milestone", "round"
    )
    history = _by_round(rows, lambda s: s.milestone_id)
    for statuses_of in history.values():
        count, expected = 0, None
        for status in statuses_of:
            if status.status == MilestoneState.DELAYED:
                assert status.forecast_date > status.round.reference_date
                assert status.delay_reason
            else:
                assert status.forecast_date is None
            count = count_postponements(
                before=count,
                expected_before=expected,
                deadline=status.milestone.deadline,
                forecast=status.forecast_date,
            )
            assert status.postponements == count
            expected = status.forecast_date
        realised = [s for s in statuses_of if s.status == MilestoneState.REALISED]
        if realised:
            # Realised stays realised, with the same date, from its first round on.
            assert statuses_of[-len(realised) :] == realised
            assert {s.realised_on for s in realised} == {realised[0].realised_on}
            assert realised[0].realised_on <= realised[0].round.reference_date
    assert MilestoneStatus.objects.filter(postponements__gt=1).exists()


def test_a_realised_project_has_every_milestone_realised(demo):
    open_milestones = MilestoneStatus.objects.filter(
        round__state=RoundState.CLOSED,
        milestone__project__fiches__round=F("round"),
        milestone__project__fiches__status=S.REALISED,
    ).exclude(status=MilestoneState.REALISED)
    assert not open_milestones.exists()


def test_every_flag_has_a_raised_flag_with_follow_up(demo):
    flagged = Fiche.objects.filter(round__state=RoundState.CLOSED, status__in=S.flags())
    assert flagged.count() == sum(c[5] + c[6] for c in PUBLISHED_COUNTS.values())
    for fiche in flagged.prefetch_related("flags__actions"):
        flags = [f for f in fiche.flags.all() if f.is_raised]
        assert len(flags) == 1, fiche
        flag = flags[0]
        assert flag.level == fiche.status
        assert flag.motivation
        assert fiche.owner_status == S.IN_PROGRESS
        actions = list(flag.actions.all())
        assert actions
        assert all(a.description and a.owner and a.due_date for a in actions)
    assert (
        not StatusFlag.objects.filter(fiche__round__state=RoundState.CLOSED)
        .exclude(fiche__status__in=S.flags())
        .exists()
    )


def test_a_flag_raised_at_a_close_continues_in_the_next_round(demo):
    flags = {
        (f.fiche.round.code, f.fiche.project_id): f
        for f in StatusFlag.objects.select_related("fiche__round")
    }
    chains = 0
    for code, later in zip(CLOSED, CLOSED[1:], strict=False):
        for (round_code, project), flag in flags.items():
            if round_code != later:
                continue
            before = flags.get((code, project))
            assert flag.carried_from_id == (before.pk if before else None)
            if before:
                # It goes on as it was: level, motivation, who raised it, its open actions.
                chains += 1
                assert (flag.level, flag.motivation, flag.raised_by_id) == (
                    before.level,
                    before.motivation,
                    before.raised_by_id,
                )
                assert flag.confirmed_at is not None
                assert not flag.awaits_confirmation
                carried_actions = set(flag.actions.values_list("description", "due_date"))
                assert (
                    set(
                        before.actions.filter(done_at__isnull=True).values_list(
                            "description", "due_date"
                        )
                    )
                    <= carried_actions
                )
    # VV168: orange from March 2021 to December 2023, one flag carried round after round.
    vv168 = Project.objects.get(code="VV168")
    assert [code for code in CLOSED if (code, vv168.pk) in flags] == CLOSED[:6]
    assert chains >= 6


def test_twenty_two_projects_left_the_plan_in_december_2024(demo):
    leavers = Project.objects.filter(left_plan_from__code="2024-12")
    assert leavers.count() == 22
    assert not leavers.filter(left_plan_reason="").exists()
    assert not leavers.filter(is_demo=False).exists()
    assert Project.objects.filter(left_plan_from__isnull=False).count() == 22
    december_2024 = ReportingRound.objects.get(code="2024-12")
    assert Project.objects.in_plan_at(december_2024).count() == 159
    for project in leavers:
        codes = set(project.fiches.values_list("round__code", flat=True))
        assert set(CLOSED[:6]) <= codes
        assert "2024-12" not in codes
        assert project.fiches.get(round__code="2023-12").status == S.IN_PROGRESS


def test_indicators_have_a_definition_and_a_value_per_round(demo):
    assert Indicator.objects.count() >= 5
    for indicator in Indicator.objects.all():
        rounds = set(
            indicator.project.fiches.filter(round__state=RoundState.CLOSED).values_list(
                "round__code", flat=True
            )
        )
        definitions = IndicatorDefinition.objects.filter(
            indicator=indicator, round__state=RoundState.CLOSED
        )
        assert set(definitions.values_list("round__code", flat=True)) == rounds
        values = list(
            IndicatorValue.objects.filter(indicator=indicator, round__state=RoundState.CLOSED)
            .order_by("round__reference_date")
            .values_list("value", flat=True)
        )
        assert len(values) == len(rounds)
        assert values == sorted(values)
    bikes = IndicatorDefinition.objects.filter(
        indicator__project__code="VV014", indicator__code="OUT1"
    )
    # The target was raised in December 2022; the rounds before keep theirs.
    assert bikes.get(round__code="2022-06").target < bikes.get(round__code="2022-12").target
    assert bikes.get(round__code="2022-12").target == bikes.get(round__code="2024-12").target


def test_seven_closed_rounds_and_an_open_one_to_try(demo):
    rounds = ReportingRound.objects.order_by("reference_date")
    assert [(r.code, r.state) for r in rounds] == [
        *((code, RoundState.CLOSED) for code in CLOSED),
        ("2026-12", RoundState.OPEN),
    ]
    assert rounds.get(code="2026-12").envelope_eur == ENVELOPE
    running = Fiche.objects.filter(
        round__code="2026-12",
        carried_forward=False,
        project__in=Project.objects.in_plan_at(rounds.get(code="2026-12")),
    )
    # Every project still running in December 2024, pre-filled from it; part of it under
    # way, so the review queue can be tried.
    assert running.count() == 159 - 53 - 3
    states = dict(running.values_list("review_state").annotate(n=Count("pk")))
    assert states == {
        ReviewState.DRAFT: 103 - 62, ReviewState.SUBMITTED: 35, ReviewState.APPROVED: 25,
        ReviewState.RETURNED: 2,
    }  # fmt: skip
    assert not running.filter(finance__isnull=True).exists()
    # The indicators go on in the open round.
    assert IndicatorDefinition.objects.filter(round__code="2026-12").count() == (
        IndicatorDefinition.objects.filter(round__code="2024-12").count()
    )


def test_every_project_in_the_plan_has_a_fiche_in_the_open_round(demo):
    """Waits on the "rounds" branch: open_round carries finished projects forward and
    leaves out the projects that left the plan."""
    open_round = ReportingRound.objects.get(code="2026-12")
    fiches = Fiche.objects.filter(round=open_round)
    assert set(fiches.values_list("project", flat=True)) == set(
        Project.objects.in_plan_at(open_round).values_list("pk", flat=True)
    )
    carried = fiches.filter(carried_forward=True)
    assert carried.count() == 53 + 3
    assert set(carried.values_list("status", flat=True)) == {S.REALISED, S.STOPPED}
    assert not carried.exclude(review_state=ReviewState.APPROVED).exists()


def test_the_rrf_projects_milestones_and_targets_carry_generated_timing(demo):
    rrf = Milestone.objects.filter(project__is_rrf=True)
    assert rrf.count() == rrf.exclude(rrf_reference="").exclude(rrf_quarter="").count() > 0
    assert not Milestone.objects.filter(project__is_rrf=False).exclude(rrf_quarter="").exists()
    assert not Milestone.objects.filter(
        project__is_rrf=False, rrf_instalment__isnull=False
    ).exists()
    # Generated, since no RRF reference of the plan is published: marked so.
    assert set(Project.objects.filter(rrf_is_demo=True).values_list("code")) == set(
        Project.objects.filter(is_rrf=True).values_list("code")
    )
    targets = IndicatorDefinition.objects.filter(indicator__project__is_rrf=True)
    assert targets.exists()
    for quarter, instalment in [
        *rrf.values_list("rrf_quarter", "rrf_instalment"),
        *targets.values_list("rrf_quarter", "rrf_instalment"),
    ]:
        year, q = int(quarter[:4]), int(quarter[-1])
        assert "2021-Q3" <= quarter <= "2026-Q2"
        # Two payment requests a year, the first for the second half of 2021.
        assert instalment == max(1, (year - 2021) * 2 + (q >= 3))


def test_the_demos_scoreboard_has_a_row_per_rrf_milestone_and_target(demo):
    rows = scoreboard_rows(
        ReportingRound.objects.get(code="2024-12"), load_date=dt.date(2026, 1, 1)
    )
    reported = Fiche.objects.filter(round__code="2024-12", project__is_rrf=True).values("project")
    milestones = Milestone.objects.filter(project__in=reported).count()
    assert [row["Milestone or Target"] for row in rows].count("Milestone") == milestones
    assert len(rows) > milestones
    assert {row["Country"] for row in rows} == {"Belgium"}
