"""The public dashboard in a real browser, signed out, under the Content-Security-Policy:
Chart.js draws its three charts, a bar leads to the public project list, a project's
record draws its money over the rounds, and nothing logs a console error."""

import pytest

from tests.conftest import empty_cache
from tests.relance.reporting_plan import DRAFT, build_plan

from .test_dashboard import CHARTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    empty_cache()
    yield
    empty_cache()


def test_the_public_dashboard_draws_its_charts_under_the_csp_for_anyone(page):
    plan = build_plan()

    response = page.goto("/public/")
    assert response.status == 200
    assert "/public/" in page.url  # not sent to the login page
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 3")
    charts = page.evaluate(CHARTS)
    assert sorted(chart["kind"] for chart in charts) == ["milestones", "money", "statusHistory"]
    for chart in charts:
        assert chart["drawn"], chart
        assert chart["bars"] > 0, chart
        assert chart["painted"] > 1000, chart
    assert page.locator(".heat-cell").count() == 3
    assert DRAFT not in page.content()
    assert page.console_errors == []

    # A bar of the history leads to the public list of the projects it counts.
    point = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.getElementById("chart-status-history"));
            chart.canvas.scrollIntoView({block: "center", behavior: "instant"});
            const index = chart.data.datasets.findIndex((d) => d.data[1] > 0);
            const bar = chart.getDatasetMeta(index).data[1];
            const box = chart.canvas.getBoundingClientRect();
            return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert "/public/projects/" in page.url
    assert f"round={plan.second.code}" in page.url
    assert "status=" in page.url
    rows = page.locator("tbody tr")
    assert rows.count() > 0

    # A project's record draws its money over the closed rounds.
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    assert "/public/projects/VV" in page.url
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 1")
    (chart,) = page.evaluate(CHARTS)
    assert chart["kind"] == "moneyHistory"
    assert chart["drawn"], chart
    assert chart["bars"] == 6, chart  # budget, VAK and VEK in two rounds
    assert chart["painted"] > 500, chart
    assert DRAFT not in page.content()
    assert page.console_errors == []


def test_the_public_filters_apply_as_soon_as_they_are_chosen(page):
    build_plan()
    page.goto("/public/")

    with page.expect_navigation():
        page.select_option("select[name=speerpunt]", "2")
    assert "speerpunt=2" in page.url
    assert "/public/" in page.url
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 3")
    assert page.locator(".heat-cell").count() == 1
    assert page.console_errors == []
