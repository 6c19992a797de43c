"""The dashboard in a real browser, under the Content-Security-Policy: Chart.js draws its
three charts from the page's JSON, with no console error (a refused inline script or style
would be one), and a bar leads to the projects it counts."""

import pytest

from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory
from tests.relance.reporting_plan import build_plan

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_BUTTON = "main form[action$='/accounts/login/'] button[type=submit]"
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) painted++; }
    return {
        kind: canvas.dataset.chart,
        drawn: Boolean(chart),
        bars: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
        width: canvas.width,
        painted: painted,
    };
})"""


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)


def test_the_dashboard_draws_its_charts_under_the_csp(page):
    plan = build_plan()
    UserFactory(username="lezer", role=Role.READER)
    sign_in(page, "lezer")

    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 3")
    charts = page.evaluate(CHARTS)
    assert sorted(chart["kind"] for chart in charts) == ["milestones", "money", "statusHistory"]
    for chart in charts:
        assert chart["drawn"], chart
        assert chart["bars"] > 0, chart
        assert chart["width"] > 0, chart
        assert chart["painted"] > 1000, chart
    assert page.locator(".heat-cell").count() == 3  # one per cluster
    assert page.console_errors == []

    # The tables behind the charts open; a bar leads to the projects it counts.
    page.click("#history-title >> xpath=ancestor::section//summary")
    assert page.locator("#history-title >> xpath=ancestor::section//table").is_visible()
    point = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.getElementById("chart-status-history"));
            const index = chart.data.datasets.findIndex((d) => d.data[1] > 0);
            const bar = chart.getDatasetMeta(index).data[1];
            const box = chart.canvas.getBoundingClientRect();
            return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert "/projects/" in page.url
    assert f"round={plan.second.code}" in page.url
    assert "status=" in page.url
    assert page.console_errors == []


def test_a_filter_applies_as_soon_as_it_is_chosen(page):
    build_plan()
    UserFactory(username="lezer", role=Role.READER)
    sign_in(page, "lezer")
    page.goto("/")

    with page.expect_navigation():
        page.select_option("select[name=speerpunt]", "2")
    assert "speerpunt=2" in page.url
    page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 3")
    assert page.locator(".heat-cell").count() == 1
    assert page.console_errors == []
