"""The dashboard (/): its figures are round_summary's, for the whole plan or part of it; the
open round only for those who may read all of it; a fixed number of queries; a page that a
strict Content-Security-Policy lets through."""

import json
import re

import pytest
from django.urls import reverse

from projects.models import ProjectStatus
from projects.models.users import Role
from relance.summary import round_summary
from tests.factories import UserFactory

from .reporting_plan import DRAFT, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan()


def dashboard(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return response


def test_the_dashboard_shows_the_latest_closed_round_as_round_summary_counts_it(
    client, reader, plan
):
    response = dashboard(client, reader)

    shown = response.context["dashboard"]
    assert shown.scope.round == plan.second
    expected = round_summary(plan.second)
    assert shown.summary.as_json() == expected.as_json()
    assert {tile.status: tile.count for tile in shown.status_tiles} == dict(
        expected.totals.projects.counts
    )
    previous = round_summary(plan.first).totals.projects.counts
    assert {tile.status: tile.change for tile in shown.status_tiles} == {
        status: count - previous[status]
        for status, count in expected.totals.projects.counts.items()
    }
    assert shown.milestone_change_points == (
        expected.totals.milestones.on_schedule_or_realised_pct
        - round_summary(plan.first).totals.milestones.on_schedule_or_realised_pct
    )


def test_the_charts_carry_round_summarys_figures(client, reader, plan):
    response = dashboard(client, reader)

    data = json.loads(
        re.search(
            r'<script id="dashboard-data" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    summary = round_summary(plan.second)
    milestones = {d["label"]: d["data"] for d in data["milestones"]["datasets"]}
    assert milestones["op schema"] == [
        part.figures.milestones.counts["on_schedule"] for part in summary.by_speerpunt
    ]
    money = data["money"]["datasets"]
    assert money[1]["data"] == [
        float(round(part.figures.finance.committed_eur / 1_000_000, 1))
        for part in summary.by_speerpunt
    ]
    history = data["statusHistory"]
    assert history["labels"] == [str(plan.first), str(plan.second)]
    for index, status in enumerate(ProjectStatus.values):
        assert history["datasets"][index]["data"] == [
            round_summary(plan.first).totals.projects.counts[status],
            summary.totals.projects.counts[status],
        ]


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({"speerpunt": "1"}, {"speerpunt": 1}),
        ({"domain": "MOW"}, {"domain": "MOW"}),
        ({"rrf": "1"}, {"rrf_only": True}),
        (
            {"speerpunt": "1", "domain": "MOW", "rrf": "on"},
            {"speerpunt": 1, "domain": "MOW", "rrf_only": True},
        ),
    ],
)
def test_the_filters_are_round_summarys_filters(client, reader, plan, query, filters):
    response = dashboard(client, reader, **query)

    shown = response.context["dashboard"]
    assert shown.summary.as_json() == round_summary(plan.second, **filters).as_json()
    assert shown.previous.as_json() == round_summary(plan.first, **filters).as_json()
    history = {row.round: row.counts for row in shown.history}
    assert history[plan.first] == round_summary(plan.first, **filters).totals.projects.counts


def test_a_filtered_summary_keeps_only_its_part_of_the_plan(plan):
    whole = round_summary(plan.second)
    rrf = round_summary(plan.second, rrf_only=True)
    mow = round_summary(plan.second, domain="MOW")
    first = round_summary(plan.second, speerpunt=1)

    assert rrf.totals.projects.total == sum(p.is_rrf for p in plan.projects)
    assert mow.totals.projects.total == sum(p.domain.code == "MOW" for p in plan.projects)
    assert [part.number for part in first.by_speerpunt] == [1]
    assert first.totals.as_json() == whole.by_speerpunt[0].figures.as_json()
    # The JSON of the unfiltered summary is the contract's, with issue 14's keys added.
    assert set(whole.as_json()) == {
        "round", "reference_date", "previous_round", "projects", "milestones", "finance",
        "by_speerpunt", "changes", "milestone_years", "transitions", "forecast", "observations",
    }  # fmt: skip


def test_the_clusters_add_up_to_the_speerpunten(plan):
    summary = round_summary(plan.second)

    for part in summary.by_speerpunt:
        clusters = [c for c in summary.by_cluster if c.speerpunt == part.number]
        assert sum(c.projects.total for c in clusters) == part.figures.projects.total
    attention = next(c for c in summary.by_cluster if c.projects.counts["attention"])
    assert attention.worst_status == "attention"


def test_unknown_filter_values_are_left_out(client, reader, plan):
    response = dashboard(client, reader, speerpunt="99", domain="XYZ", round="1999-12")

    shown = response.context["dashboard"]
    assert shown.scope.round == plan.second
    assert (shown.scope.speerpunt, shown.scope.domain) == (None, None)


def test_a_reader_asking_for_the_open_round_gets_the_latest_closed_one(client, reader, plan):
    response = dashboard(client, reader, round=plan.opened.code)

    assert response.context["dashboard"].scope.round == plan.second
    page = response.content.decode()
    assert DRAFT not in page
    assert f'value="{plan.opened.code}"' not in page


def test_an_editor_of_one_domain_does_not_get_the_open_round(client, editor, plan):
    response = dashboard(client, editor, round=plan.opened.code)

    assert response.context["dashboard"].scope.round == plan.second


def test_a_coordinator_may_look_at_the_open_round(client, coordinator, plan):
    response = dashboard(client, coordinator, round=plan.opened.code)

    shown = response.context["dashboard"]
    assert shown.scope.round == plan.opened
    assert shown.summary.as_json() == round_summary(plan.opened).as_json()
    assert "Voorlopige cijfers" in response.content.decode()


def test_the_tiles_and_tables_link_to_the_filtered_lists(client, reader, plan):
    response = dashboard(client, reader, speerpunt="1", rrf="1")

    shown = response.context["dashboard"]
    tile = next(t for t in shown.status_tiles if t.status == "attention")
    assert tile.url == f"/projects/?round={plan.second.code}&speerpunt=1&rrf=yes&status=attention"
    page = response.content.decode()
    assert tile.url.replace("&", "&amp;") in page
    # The milestone table has the RRF filter too: its links keep it.
    milestones = f"/milestones/?round={plan.second.code}&amp;speerpunt=1&amp;rrf=yes"
    assert f"{milestones}&amp;status=delayed" in page
    # The project list understands these parameters.
    listed = client.get(tile.url)
    assert listed.status_code == 200
    assert listed.context["filter"].form.is_valid()


def test_numbers_are_dutch_then_english(client, reader, plan):
    page = dashboard(client, reader).content.decode()
    summary = round_summary(plan.second)
    pct = summary.totals.milestones.on_schedule_or_realised_pct
    assert f"{pct.normalize():f}".replace(".", ",") + "%" in page
    assert "miljoen euro" in page

    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    assert f"{pct.normalize():f}%" in page
    assert "million euro" in page


def test_the_change_in_projects_says_it_counts_projects(client, reader, plan):
    """Under "… oranje of rood gemarkeerd", a bare "0 sinds December 2024" read as the
    change in flags; it is the change in the number of projects."""
    shown = dashboard(client, reader).context["dashboard"]
    change = shown.project_change
    assert change is not None
    words = {1: "project", -1: "project"}.get(change, "projecten")
    sign = "+" if change > 0 else ""
    previous = shown.previous.round
    expected = f"{sign}{change} {words} sinds {previous}"
    assert f'<div class="kpi-change">{expected}</div>' in dashboard(client, reader).content.decode()

    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    words = {1: "project", -1: "project"}.get(change, "projects")
    assert f'<div class="kpi-change">{sign}{change} {words} since {previous}</div>' in page


def test_the_page_holds_no_inline_script_or_style(client, reader, plan):
    response = dashboard(client, reader)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy
    page = response.content.decode()
    assert " style=" not in page
    assert "<style" not in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert re.search(r"\son[a-z]+=", page) is None  # no inline event handlers


def test_an_empty_plan_still_has_a_dashboard(client, reader):
    response = dashboard(client, reader)

    assert response.context["dashboard"] is None
    assert "Nog geen plan geladen" in response.content.decode()


@pytest.mark.parametrize("size", [4, 24])
@pytest.mark.parametrize("query", [{}, {"speerpunt": "1", "domain": "MOW", "rrf": "1"}])
def test_the_dashboard_takes_the_same_queries_whatever_the_plans_size(
    client, size, query, django_assert_max_num_queries
):
    build_plan(size)
    client.force_login(UserFactory(role=Role.COORDINATOR))
    # 23 since issue 14: each of the two summaries takes one query for its forecast.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("home"), query)
    assert response.status_code == 200


def test_a_plan_of_many_clusters_shows_their_table_when_asked(client, reader, plan, monkeypatch):
    from relance.reporting import heatmap  # noqa: PLC0415

    from .test_public import assert_the_cluster_table_when_asked  # noqa: PLC0415

    monkeypatch.setattr(heatmap, "INLINE_ROWS", 2)
    client.force_login(reader)
    assert_the_cluster_table_when_asked(client, reverse("home"), round_summary(plan.second))
