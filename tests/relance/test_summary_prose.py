"""Issue 14's summary: the prose against figures these tests construct, in Dutch and English;
the observations with their numbers in the JSON; the transitions' tagged amounts; the
forecast's sums (each project's final milestone counted once, per year)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from relance.summary import round_summary, summary_text
from relance.summary.observations import MEASURES
from tests.factories import MilestoneFactory, MilestoneStatusFactory, ReportingRoundFactory
from tests.plans import PlanBuilder

pytestmark = pytest.mark.django_db

S = ProjectStatus
M = MilestoneState
RULES = {f"{kind}_{name}" for name, _unit, _measure in MEASURES for kind in ("most", "least")}
RULES |= {"committed_at_or_above_threshold", "committed_below_threshold"}


def _pct(part, whole) -> float:
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def build(realised_before: int, realised_now: int, delayed: dict[int, int]):
    """30 projects of 1000 euro, even ones in speerpunt 1, odd ones in speerpunt 2; the
    first ``realised_*`` realised in December 2022 and December 2023; in 2023 the first
    ``delayed[n]`` milestones of speerpunt n delayed. Speerpunt 1 committed 90%, speerpunt
    2 30% of its budget: the plan 60%."""
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    projects = builder.add_projects(30, rrf=lambda n: False, budget=lambda n: Decimal(1000))
    before, now = builder.round(2022), builder.round(2023)
    seen = {1: 0, 2: 0}
    for n, project in enumerate(projects):
        speerpunt = 1 + n % 2
        milestone = MilestoneFactory(project=project, number=1, deadline=dt.date(2026, 6, 30))
        for reporting_round, realised in ((before, realised_before), (now, realised_now)):
            builder.fiche(
                reporting_round,
                project,
                status=S.REALISED if n < realised else S.IN_PROGRESS,
                finance={"committed_eur": 900 if speerpunt == 1 else 300, "paid_eur": 100},
            )
        late = seen[speerpunt] < delayed[speerpunt]
        seen[speerpunt] += 1
        MilestoneStatusFactory(round=before, milestone=milestone, status=M.ON_SCHEDULE)
        MilestoneStatusFactory(
            round=now, milestone=milestone, status=M.DELAYED if late else M.ON_SCHEDULE
        )
    builder.close(before, now)
    return now


def test_the_realised_projects_rising_by_20_is_told_in_both_languages():
    now = build(realised_before=5, realised_now=25, delayed={1: 1, 2: 4})
    summary = round_summary(now)

    assert summary.changes.since_year_before.deltas["projects_realised"] == 20
    assert summary.as_json()["changes"]["since_year_before"]["projects_realised"] == 20
    dutch, english = summary_text(summary), summary_text(summary, "en")
    assert (
        "Dat is een stijging met 20 gerealiseerde projecten in vergelijking met het jaar "
        "ervoor (December 2022)." in dutch
    )
    assert (
        "That is an increase of 20 realised projects compared with the year before "
        "(December 2022)." in english
    )
    # Numbers as each language writes them.
    assert "25 van de 30 relanceprojecten (83%) zijn gerealiseerd" in dutch
    assert "Vastgelegd (VAK): 18.000 euro, of 60% van het budget van 30.000 euro" in dutch
    assert "Commitments (VAK): 18,000 euros, or 60% of the budget of 30,000 euros" in english


def test_a_fall_is_a_decrease():
    now = build(realised_before=12, realised_now=9, delayed={1: 1, 2: 4})
    summary = round_summary(now)

    assert "Dat is een daling met 3 gerealiseerde projecten" in summary_text(summary)
    assert "That is a decrease of 3 realised projects" in summary_text(summary, "en")


def test_the_speerpunt_with_the_largest_delayed_share_is_named():
    summary = round_summary(build(realised_before=5, realised_now=25, delayed={1: 1, 2: 4}))
    by_rule = {o["rule"]: o for o in summary.as_json()["observations"]}

    assert by_rule["most_delayed"]["speerpunten"] == [2]
    assert by_rule["least_delayed"]["speerpunten"] == [1]
    assert "Speerpunt 2: grootste aandeel mijlpalen in vertraging (4 van de 15, 26,67%)." in (
        summary_text(summary)
    )
    assert "Spearhead 2: largest share of milestones delayed (4 of 15, 26.67%)." in (
        summary_text(summary, "en")
    )


def test_the_other_way_round_the_other_speerpunt():
    summary = round_summary(build(realised_before=5, realised_now=25, delayed={1: 6, 2: 2}))

    assert {o.rule: o.speerpunten for o in summary.observations}["most_delayed"] == (1,)
    assert "Speerpunt 1: grootste aandeel mijlpalen in vertraging (6 van de 15, 40%)." in (
        summary_text(summary)
    )


def test_the_committed_threshold_splits_the_speerpunten():
    summary = round_summary(build(realised_before=5, realised_now=25, delayed={1: 1, 2: 4}))
    by_rule = {o["rule"]: o for o in summary.as_json()["observations"]}

    assert by_rule["committed_at_or_above_threshold"]["threshold_pct"] == 60.0
    assert by_rule["committed_at_or_above_threshold"]["speerpunten"] == [1]
    assert by_rule["committed_below_threshold"]["speerpunten"] == [2]
    text = summary_text(summary)
    assert "Voor speerpunt 1 is al 60% of meer van de voorziene middelen vastgelegd" in text
    assert "Speerpunt 2 heeft lagere vastleggingen: minder dan 60%" in text


@pytest.mark.parametrize("delayed", [{1: 1, 2: 4}, {1: 3, 2: 3}])
def test_no_observation_without_its_numbers_in_the_json(delayed):
    summary = round_summary(build(realised_before=5, realised_now=25, delayed=delayed))
    observations = summary.as_json()["observations"]

    assert observations
    parts = {p["speerpunt"]: p for p in summary.as_json()["by_speerpunt"]}
    for observation in observations:
        assert observation["rule"] in RULES
        values = observation["values"]
        assert [v["speerpunt"] for v in values] == observation["speerpunten"]
        for value in values:
            part, whole = Decimal(str(value["part"])), Decimal(str(value["whole"]))
            assert value["pct"] == _pct(part, whole)
            figures = parts[value["speerpunt"]]
            if observation["unit"] == "milestones":
                assert (int(part), int(whole)) == (
                    figures["milestones"]["delayed"],
                    figures["milestones"]["total"],
                )
            elif observation["unit"] == "eur":
                assert value["part"] == figures["finance"]["committed_eur"]
                assert value["whole"] == figures["finance"]["budget_eur"]
    # A tie on delays is no observation on delays.
    rules = {o["rule"] for o in observations}
    assert ("most_delayed" in rules) == (delayed[1] != delayed[2])


def test_the_first_round_tells_no_change():
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}])
    (project,) = builder.add_projects(1, rrf=lambda n: False, budget=lambda n: Decimal(10))
    first = builder.round(2022)
    builder.fiche(first, project, status=S.REALISED, finance={})

    summary = round_summary(first)

    assert summary.as_json()["changes"] == {
        "since_previous_round": None,
        "since_year_before": None,
    }
    assert "stijging" not in summary_text(summary)
    assert "increase" not in summary_text(summary, "en")


def test_the_previous_round_and_the_year_before_are_both_told():
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}])
    projects = builder.add_projects(6, rrf=lambda n: False, budget=lambda n: Decimal(10))
    year_before = builder.round(2022)
    june = ReportingRoundFactory(reference_date=dt.date(2023, 6, 30), name="Juni 2023")
    now = builder.round(2023)
    for reporting_round, realised in ((year_before, 1), (june, 3), (now, 6)):
        for n, project in enumerate(projects):
            builder.fiche(
                reporting_round, project, status=S.REALISED if n < realised else S.STARTED
            )
    builder.close(year_before, june, now)

    text = summary_text(round_summary(now))

    assert "stijging met 5 gerealiseerde projecten in vergelijking met het jaar ervoor" in text
    assert "stijging met 3 gerealiseerde projecten in vergelijking met het vorige meetmoment" in (
        text
    )


def test_transition_totals():
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    budgets = [Decimal("1000.00"), Decimal("500.00"), Decimal("250.50")]
    projects = builder.add_projects(3, rrf=lambda n: False, budget=lambda n: budgets[n])
    coefficients = [(100, 0), (40, 100), (40, 40)]  # (climate, digital)
    for project, (climate, digital) in zip(projects, coefficients, strict=True):
        project.climate_coefficient, project.digital_coefficient = climate, digital
        project.save(update_fields=["climate_coefficient", "digital_coefficient"])
    reporting_round = builder.round(2023)
    for project in projects:
        builder.fiche(
            reporting_round,
            project,
            finance={"committed_eur": project.budget_eur / 2, "paid_eur": project.budget_eur / 5},
        )

    transitions = round_summary(reporting_round).as_json()["transitions"]

    def tagged(kind: int, share: Decimal, keep=lambda n: True) -> str:
        total = sum(budgets[n] * share * coefficients[n][kind] / 100 for n in range(3) if keep(n))
        return f"{total.quantize(Decimal('0.01'), ROUND_HALF_UP):f}"

    plan = transitions["plan"]
    assert plan["climate"]["budget_eur"] == tagged(0, Decimal(1)) == "1300.20"
    assert plan["digital"]["budget_eur"] == tagged(1, Decimal(1)) == "600.20"
    assert plan["climate"]["committed_eur"] == tagged(0, Decimal("0.5"))
    assert plan["digital"]["paid_eur"] == tagged(1, Decimal("0.2"))
    assert plan["climate"]["budget_pct"] == _pct(Decimal("1300.20"), sum(budgets))
    by_speerpunt = {part["speerpunt"]: part for part in transitions["by_speerpunt"]}
    assert by_speerpunt[1]["climate"]["budget_eur"] == tagged(0, Decimal(1), lambda n: n != 1)
    assert by_speerpunt[2]["digital"]["budget_eur"] == "500.00"
    for kind in ("climate", "digital"):
        for amount in ("budget_eur", "committed_eur", "paid_eur"):
            assert sum(Decimal(p[kind][amount]) for p in by_speerpunt.values()) == Decimal(
                plan[kind][amount]
            )


def test_the_forecast_counts_each_final_milestone_once_per_year():
    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}, {"speerpunt": 1}])
    projects = builder.add_projects(
        7, rrf=lambda n: False, budget=lambda n: Decimal(1000), code=lambda n: f"VV{901 + n}"
    )
    a, b, c, d, e, f, g = projects
    starts = {a: dt.date(2021, 12, 31), b: dt.date(2023, 6, 1), g: None}
    for project, start in starts.items():
        project.start_date = start
        project.save(update_fields=["start_date"])
    reporting_round = builder.round(2023)
    statuses = {d: S.REALISED, e: S.STOPPED, c: S.ATTENTION}
    paid = {a: 200, b: 50, c: 0, d: 1000, e: 10, f: 100, g: 30}
    for project in projects:
        builder.fiche(
            reporting_round,
            project,
            status=statuses.get(project, S.IN_PROGRESS),
            finance={"committed_eur": 1000, "paid_eur": paid[project]},
        )
    # (project, deadline, status, expected date)
    milestones = [
        (a, dt.date(2024, 3, 31), M.ON_SCHEDULE, None),
        (a, dt.date(2025, 6, 30), M.ON_SCHEDULE, None),  # A's final: 2025
        (b, dt.date(2024, 1, 31), M.ON_SCHEDULE, None),
        (b, dt.date(2026, 1, 31), M.DELAYED, dt.date(2027, 2, 28)),  # B's final: 2027
        (c, dt.date(2025, 12, 31), M.ON_SCHEDULE, None),  # C's final: 2025
        (d, dt.date(2024, 6, 30), M.ON_SCHEDULE, None),  # realised project: not counted
        (e, dt.date(2026, 6, 30), M.ON_SCHEDULE, None),  # stopped project: not counted
        (f, dt.date(2023, 6, 30), M.DELAYED, None),  # F's final has passed
    ]
    for number, (project, deadline, status, expected) in enumerate(milestones, start=1):
        MilestoneStatusFactory(
            round=reporting_round,
            milestone=MilestoneFactory(project=project, number=number, deadline=deadline),
            status=status,
            forecast_date=expected,
        )

    forecast = round_summary(reporting_round).as_json()["forecast"]

    finals = forecast["final_milestones"]
    assert finals["by_year"] == [
        {"year": 2024, "projects": 0},
        {"year": 2025, "projects": 2},
        {"year": 2026, "projects": 0},
        {"year": 2027, "projects": 1},
    ]
    assert (finals["past_due"], finals["without_milestones"]) == (1, 1)
    open_projects = sum(1 for p in projects if statuses.get(p) not in (S.REALISED, S.STOPPED))
    counted = sum(y["projects"] for y in finals["by_year"])
    assert counted + finals["past_due"] + finals["without_milestones"] == open_projects

    money = forecast["paid"]
    # No start date (G), under a year since the start (B), no VEK yet (C): not forecast.
    assert money["not_forecast"] == [b.code, c.code, g.code]
    assert (money["forecast_projects"], money["not_forecast_projects"]) == (3, 3)
    pace_a = Decimal(200) / (dt.date(2023, 12, 31) - dt.date(2021, 12, 31)).days
    pace_f = Decimal(100) / (dt.date(2023, 12, 31) - dt.date(2021, 1, 1)).days
    first_year = (pace_a * 366 + pace_f * 366).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert money["by_year"][0] == {"year": 2024, "paid_eur": f"{first_year:f}"}
    assert [y["year"] for y in money["by_year"]] == [2024, 2025, 2026, 2027, 2028]
    # At their pace, A and F pay the rest of their budgets, no more: 800 + 900 (D: nothing).
    expected = sum(Decimal(y["paid_eur"]) for y in money["by_year"]) + Decimal(money["later_eur"])
    assert abs(expected - Decimal(1700)) <= Decimal("0.05")


def test_the_demo_forecast_counts_every_open_project_once():
    call_command("load_demo", "--today", "2026-11-22")
    summary = round_summary("2023-12")
    forecast = summary.as_json()["forecast"]

    open_projects = summary.totals.projects.total - sum(
        summary.totals.projects.counts[s] for s in (S.REALISED, S.STOPPED)
    )
    finals = forecast["final_milestones"]
    counted = sum(y["projects"] for y in finals["by_year"])
    assert counted + finals["past_due"] + finals["without_milestones"] == open_projects
    assert summary.as_json()["milestone_years"] == {"first": 2020, "last": 2030}
    transitions = summary.as_json()["transitions"]
    for kind in ("climate", "digital"):
        parts = sum(Decimal(p[kind]["budget_eur"]) for p in transitions["by_speerpunt"])
        assert abs(parts - Decimal(transitions["plan"][kind]["budget_eur"])) <= Decimal("0.07")
    # Speerpunt 3 is digital through and through in the demo.
    third = next(p for p in transitions["by_speerpunt"] if p["speerpunt"] == 3)
    assert third["digital"]["budget_pct"] == 100.0


def test_the_dashboard_and_the_report_tell_the_observations_in_the_readers_language(client, reader):
    now = build(realised_before=5, realised_now=25, delayed={1: 1, 2: 4})
    client.force_login(reader)

    page = client.get("/", {"round": now.code}).content.decode()
    report = client.get(f"/rounds/{now.code}/report/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(f"/rounds/{now.code}/report/").content.decode()

    observed = "Speerpunt 2: grootste aandeel mijlpalen in vertraging (4 van de 15, 26,67%)."
    assert observed in page
    assert observed in report
    assert "Spearhead 2: largest share of milestones delayed (4 of 15, 26.67%)." in english
    assert "Language of this document: English" in english
    for shown in (page, report):
        assert "Dat is een stijging met 20 gerealiseerde projecten" in shown
        assert 'id="vooruitblik"' in shown
        assert 'id="transities"' in shown


@pytest.mark.parametrize("name", ["rounds:package", "rounds:report"])
def test_the_report_urls_take_no_writes(client, coordinator, name):
    now = build(realised_before=5, realised_now=25, delayed={1: 1, 2: 4})
    client.force_login(coordinator)
    before = round_summary(now).as_json()

    response = client.post(reverse(name, args=[now.code]))

    assert response.status_code == 405
    assert round_summary(now).as_json() == before


@pytest.mark.parametrize(
    ("key", "delta", "dutch", "english"),
    [
        (
            "projects_flagged",
            1,
            "Het aantal projecten met een vlag steeg met 1 in vergelijking met X.",
            "The number of flagged projects rose by 1 compared with X.",
        ),
        (
            "projects_stopped",
            -2,
            "Het aantal stopgezette projecten daalde met 2 in vergelijking met X.",
            "The number of stopped projects fell by 2 compared with X.",
        ),
        (
            "projects_realised",
            3,
            "Dat is een stijging met 3 gerealiseerde projecten in vergelijking met X.",
            "That is an increase of 3 realised projects compared with X.",
        ),
    ],
)
def test_a_change_says_what_changed_unless_it_follows_its_figure(key, delta, dutch, english):
    """ "… (December 2024). Dat is een stijging met 1 project met een vlag" followed the
    sentence on the realised projects: "Dat" named the wrong figure."""
    from relance.summary.prose import _sentence

    assert _sentence(key, Decimal(delta), "X") == dutch
    with translation.override("en"):
        assert _sentence(key, Decimal(delta), "X") == english
