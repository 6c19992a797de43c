"""The public dashboard (/public/…): anyone sees every figure of the closed rounds, as
round_summary counts them, and nothing of the open round: no draft, no figure, no code, no
link to a signed-in page; a fixed number of queries whatever the plan's size; cached per
closed round; in Dutch and English; under the strict Content-Security-Policy."""

import datetime as dt
import json
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse, reverse_lazy

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import IndicatorValue, ProjectStatus, ReportingRound
from relance.summary import round_summary
from tests.conftest import empty_cache
from tests.factories import FicheFactory, FinanceReportFactory, ProjectFactory

from .reporting_plan import DRAFT, build_plan

pytestmark = pytest.mark.django_db

OPEN_CODE = "2039-07"
OPEN_NAME = "Lopende ronde zonder cijfers"
NEW_PROJECT = "Project dat enkel het open meetmoment kent"
DATA = re.compile(r'<script id="dashboard-data" type="application/json">(.*?)</script>', re.S)
PUBLIC_PREFIXES = ("/public/", "/open-data/", "/static/", "/accounts/login/", "/api/")


@pytest.fixture(autouse=True)
def _empty_cache():
    empty_cache()
    yield
    empty_cache()


def open_round_markers(plan):
    """Give the open round a code and a name of its own, and a marker in every draft part:
    narrative (already), indicator definition (already), milestone status note, indicator
    value note, a project only the open round holds."""
    ReportingRound.objects.filter(pk=plan.opened.pk).update(code=OPEN_CODE, name=OPEN_NAME)
    plan.opened.refresh_from_db()
    MilestoneStatus.objects.filter(round=plan.opened).update(
        note=DRAFT, delay_reason=DRAFT, forecast_date=dt.date(2031, 7, 7)
    )
    indicator = plan.projects[0].indicators.get()
    IndicatorValue.objects.create(round=plan.opened, indicator=indicator, value=Decimal("987654"))
    newcomer = ProjectFactory(
        code="NIEUW999", title=NEW_PROJECT, cluster=plan.projects[0].cluster,
        domain=plan.projects[0].domain, budget_eur=Decimal("123456789"),
    )  # fmt: skip
    fiche = FicheFactory(round=plan.opened, project=newcomer, narrative=DRAFT)
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("55555555"), paid_eur=Decimal(1))
    return newcomer


@pytest.fixture
def plan():
    plan = build_plan()
    open_round_markers(plan)
    return plan


def get(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return response


def charts(response):
    return json.loads(DATA.search(response.content.decode()).group(1))


# The CSRF token (a random 64 characters, in the form and in htmx's headers) may hold any
# short run of digits: it is taken out before the markers are looked for.
TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def assert_nothing_of_the_open_round(content):
    content = TOKEN.sub("", content)
    for marker in (DRAFT, OPEN_CODE, OPEN_NAME, NEW_PROJECT, "NIEUW999", "987654", "2031"):
        assert marker not in content, marker
    assert "55,6" not in content
    assert "55.6" not in content


# ---- The figures ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["second", "first"])
def test_the_public_dashboard_shows_the_closed_rounds_figures_as_round_summary(client, plan, which):
    reporting_round = getattr(plan, which)
    query = {"round": reporting_round.code} if which == "first" else {}
    response = get(client, reverse("public:dashboard"), **query)

    shown = response.context["dashboard"]
    assert shown.scope.round == reporting_round  # the latest closed by default
    summary = round_summary(reporting_round)
    assert shown.summary.as_json() == summary.as_json()
    page = response.content.decode()
    counts = summary.totals.projects.counts
    for status in ProjectStatus.values:
        tile = re.search(
            rf'status-tile [^"]*"[^>]*href="[^"]*status={status}[^"]*">.*?'
            r'status-tile-count">(\d+)<',
            page,
            re.S,
        )
        assert tile, status
        assert int(tile.group(1)) == counts[status], status
    data = charts(response)
    milestones = {d["label"]: d["data"] for d in data["milestones"]["datasets"]}
    assert milestones["op schema"] == [
        part.figures.milestones.counts["on_schedule"] for part in summary.by_speerpunt
    ]
    assert data["money"]["datasets"][2]["data"] == [
        float(round(part.figures.finance.paid_eur / 1_000_000, 1)) for part in summary.by_speerpunt
    ]
    # The history holds the closed rounds only, each as round_summary counts it.
    history = data["statusHistory"]
    assert history["labels"] == [str(plan.first), str(plan.second)]
    for index, status in enumerate(ProjectStatus.values):
        assert history["datasets"][index]["data"] == [
            round_summary(r).totals.projects.counts[status] for r in (plan.first, plan.second)
        ]
    assert page.count('<a class="heat-cell ') == 3
    assert_nothing_of_the_open_round(page)


def test_the_filters_narrow_the_figures_as_round_summary_does(client, plan):
    response = get(client, reverse("public:dashboard"), speerpunt="1", domain="MOW", rrf="1")

    expected = round_summary(plan.second, speerpunt=1, domain="MOW", rrf_only=True)
    assert response.context["dashboard"].summary.as_json() == expected.as_json()


def test_the_open_round_is_never_offered_nor_shown(client, plan):
    response = get(client, reverse("public:dashboard"), round=OPEN_CODE)

    assert response.context["dashboard"].scope.round == plan.second
    codes = [code for code, _label in response.context["form"].fields["round"].choices]
    assert codes == [plan.second.code, plan.first.code]
    # Only the language switch's way back names what the visitor asked for.
    page = re.sub(r'<input type="hidden" name="next" value="[^"]*">', "", response.content.decode())
    assert_nothing_of_the_open_round(page)
    assert client.get(reverse("public:projects"), {"round": OPEN_CODE}).context["round"] == (
        plan.second
    )


def test_the_project_list_holds_what_a_tile_counts(client, plan):
    counts = round_summary(plan.second).totals.projects.counts
    for status in ProjectStatus.values:
        response = get(client, reverse("public:projects"), round=plan.second.code, status=status)
        assert len(response.context["fiches"]) == counts[status], status
        assert response.context["page"].paginator.count == counts[status], status
        assert all(f.status == status for f in response.context["fiches"])


@pytest.fixture
def three_a_page(monkeypatch):
    from relance.public import listing  # noqa: PLC0415

    monkeypatch.setattr(listing, "PER_PAGE", 3)


def test_the_project_list_comes_a_page_at_a_time(client, plan, three_a_page):
    everyone = sorted(p.code for p in plan.projects)
    url = reverse("public:projects")
    seen = []
    for number in (1, 2):
        response = get(client, url, round=plan.second.code, page=number)
        seen += [f.project.code for f in response.context["fiches"]]
        page = response.content.decode()
        assert f"{len(everyone)} projecten" in page
        assert f"Pagina {number} van 2" in page
    assert seen == everyone
    assert f"/public/projects/?round={plan.second.code}&amp;page=1" in page  # filters kept
    for asked, shown in (("99", everyone[3:]), ("x", everyone[:3]), ("-1", everyone[:3])):
        empty_cache()  # the page is built again, its context seen
        response = get(client, url, round=plan.second.code, page=asked)
        assert [f.project.code for f in response.context["fiches"]] == shown, asked


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_project_lists_pages_lead_to_every_published_project(
    client, plan, settings, language, three_a_page
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    licence = settings.RELANCE_OPEN_DATA_LICENCE["url"]
    for reporting_round in (plan.first, plan.second):
        start = f"{reverse('public:projects')}?round={reporting_round.code}"
        pages = crawl(client, start, licence)
        reached = {url for url in pages if re.fullmatch(r"/public/projects/[A-Z]+\d+/", url)}
        published = {reverse("public:project", args=[p.code]) for p in plan.projects}
        assert reached == published
        assert any("page=2" in url for url in pages)


@pytest.fixture
def two_rows_at_once(monkeypatch):
    """The dashboard writes the table of two clusters at once; the plans have three."""
    from relance.reporting import heatmap  # noqa: PLC0415

    monkeypatch.setattr(heatmap, "INLINE_ROWS", 2)


CLUSTER_ROW = re.compile(
    r'<tr><th scope="row"><a href="[^"]*cluster=(\d+)">.*?</th><td>\d+</td>(.*?)</tr>', re.S
)


def cluster_rows(page):
    """{cluster number: its counts per status, in the table's order}."""
    return {
        int(number): [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', cells)]
        for number, cells in CLUSTER_ROW.findall(page)
    }


def assert_the_cluster_table_when_asked(client, url, summary, **query):
    """Without ``clusters=1`` the heat map whole and a link to its table instead of its
    rows; the link shows them, open, with every figure round_summary counts."""
    page = get(client, url, **query).content.decode()
    assert page.count('<a class="heat-cell ') == len(summary.by_cluster)
    assert cluster_rows(page) == {}
    link = re.search(r'<a href="([^"]+)">Toon de tabel van alle 3 clusters</a>', page)
    path, fragment = link.group(1).replace("&amp;", "&").split("#")
    assert path.startswith(f"{url}?")
    assert "clusters=1" in path
    assert fragment == "heat-title"
    page = client.get(path).content.decode()
    assert '<details class="chart-data" open>' in page
    assert "Toon de tabel van" not in page
    assert cluster_rows(page) == {
        cluster.number: [cluster.projects.counts[status] for status in ProjectStatus.values]
        for cluster in summary.by_cluster
    }
    return page


def test_a_plan_of_many_clusters_shows_their_table_when_asked(client, plan, two_rows_at_once):
    summary = round_summary(plan.second)
    assert_the_cluster_table_when_asked(client, reverse("public:dashboard"), summary)
    # A speerpunt's few clusters are shown at once, every figure in them.
    filtered = round_summary(plan.second, speerpunt=1)
    assert len(filtered.by_cluster) == 2
    page = get(client, reverse("public:dashboard"), speerpunt="1").content.decode()
    assert cluster_rows(page) == {
        cluster.number: [cluster.projects.counts[status] for status in ProjectStatus.values]
        for cluster in filtered.by_cluster
    }


def test_many_clusters_are_chosen_by_number_in_the_project_lists_filters(
    client, plan, two_rows_at_once
):
    cluster = plan.projects[0].cluster
    url = reverse("public:projects")
    response = get(client, url, round=plan.second.code, cluster=cluster.number)
    page = main(response)
    assert re.search(rf'<input type="number" name="cluster" value="{cluster.number}"', page)
    assert '<select name="cluster"' not in page
    expected = sorted(p.code for p in plan.projects if p.cluster_id == cluster.pk)
    assert [f.project.code for f in response.context["fiches"]] == expected
    empty_cache()
    response = get(client, reverse("public:projects"), round=plan.second.code, cluster="999")
    assert len(response.context["fiches"]) == len(plan.projects)  # no such cluster: all


@pytest.mark.parametrize(
    "value", ["", "1", "2", "3", "4", "0", "-1", "007", "2.0", " 2", "²", "٣", "x", None]
)
def test_a_cluster_chosen_by_number_passes_as_it_would_among_the_choices(value):
    """Past INLINE_ROWS clusters the list's cluster is checked in the set of their numbers
    (NumberAmong), not offered as choices: the same values pass, to the same number."""
    from django import forms  # noqa: PLC0415

    from relance.public.listing import NumberAmong  # noqa: PLC0415

    numbers = frozenset({1, 2, 3})
    among = NumberAmong(numbers, required=False)
    choice = forms.TypedChoiceField(
        choices=[("", "Alle clusters"), *((n, f"{n}.") for n in sorted(numbers))],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def cleaned(field):
        try:
            return ("valid", field.clean(value))
        except forms.ValidationError as error:
            return ("invalid", error.code)

    assert cleaned(among) == cleaned(choice)


def test_a_projects_published_record(client, plan):
    project = plan.projects[0]
    response = get(client, reverse("public:project", args=[project.code]))

    record = response.context["record"]
    assert [r.code for r in record.rounds] == [plan.first.code, plan.second.code]
    assert [f.round for f in record.fiches] == [plan.second, plan.first]
    fiches = {f.round_id: f for f in project.fiches.select_related("finance")}
    assert [(m.committed_eur, m.paid_eur) for m in record.money] == [
        (fiches[r.pk].finance.committed_eur, fiches[r.pk].finance.paid_eur)
        for r in (plan.first, plan.second)
    ]
    (row,) = record.milestones
    assert [s.status for s in row.statuses] == [MilestoneState.ON_SCHEDULE, MilestoneState.DELAYED]
    (indicator,) = record.indicators
    assert indicator.definition.name != DRAFT
    assert indicator.values == [None, Decimal("42.5")]
    page = response.content.decode()
    assert f"Gepubliceerde toelichting {project.code} {plan.second.code}" in page
    assert "42,5" in page
    data = charts(response)["moneyHistory"]
    assert data["labels"] == [str(plan.first), str(plan.second)]
    assert data["datasets"][1]["data"] == [float(m.committed_eur) for m in record.money]
    assert_nothing_of_the_open_round(page)


def test_a_project_that_left_the_plan_says_from_which_published_round(client, plan):
    """The public record said nothing of it: the project was simply missing from the later
    rounds. Leaving in the open round is the open round's news, not yet published."""
    from projects.models import Project

    project = plan.projects[0]
    Project.objects.filter(pk=project.pk).update(
        left_plan_from=plan.opened, left_plan_reason="Interne reden"
    )
    page = get(client, reverse("public:project", args=[project.code])).content.decode()
    assert 'id="left-plan"' not in page
    assert_nothing_of_the_open_round(page)

    empty_cache()
    Project.objects.filter(pk=project.pk).update(left_plan_from=plan.second)
    page = get(client, reverse("public:project", args=[project.code])).content.decode()
    assert f"Buiten het plan vanaf {plan.second}: dit project heeft geen fiche meer" in page
    assert "Interne reden" not in page


def test_a_project_only_the_open_round_knows_is_not_published(client, plan):
    response = client.get(reverse("public:project", args=["NIEUW999"]))
    assert response.status_code == 404
    for code in ("NOPE", "vv001", "VV%00", "VV\u00e9"):
        assert client.get(reverse("public:project", args=[code])).status_code == 404, code
    assert client.get("/public/projects/VV%0001/").status_code == 404  # a NUL byte


# ---- Nothing of the open round, on any public page -----------------------------------


def crawl(client, start, licence, limit=150):
    """Every public page reachable from ``start`` by its links (and its forms' rounds)."""
    seen, queue, pages = set(), deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            continue
        content = response.content.decode()
        pages[url] = content
        for href in re.findall(r'href="([^"#]+)"', content):
            href = href.replace("&amp;", "&")
            if href == licence:
                continue
            path = urlsplit(href).path
            assert href.startswith("/"), (url, href)  # nothing external but the licence
            assert path.startswith(PUBLIC_PREFIXES), (url, href)
            if path.startswith("/public/"):
                queue.append(href)
    return pages


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_public_page_shows_anything_of_the_open_round(client, plan, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = crawl(client, reverse("public:dashboard"), settings.RELANCE_OPEN_DATA_LICENCE["url"])

    assert any(url.startswith("/public/projects/VV") for url in pages)  # records reached
    assert any("status=" in url for url in pages)  # the tiles' lists reached
    for url, content in pages.items():
        try:
            assert_nothing_of_the_open_round(content)
        except AssertionError as error:
            raise AssertionError(f"{url}: {error}") from None


def test_the_public_pages_link_only_to_public_pages_and_the_licence(client, plan, settings):
    for url in (
        reverse("public:dashboard"),
        reverse("public:project", args=[plan.projects[0].code]),
    ):
        content = get(client, url).content.decode()
        for href in re.findall(r'href="([^"#]+)"', content):
            assert (
                href.startswith(PUBLIC_PREFIXES)
                or href == (settings.RELANCE_OPEN_DATA_LICENCE["url"])
            ), href
        assert 'href="/"' not in content


# ---- Cost and cache ---------------------------------------------------------------------


# The dashboard: the signed-in one's queries, with the outlook card's forecast and the
# round a year before (issue 14), whatever the plan's size.
PAGES = {
    "dashboard": (reverse_lazy("public:dashboard"), {}, 17),
    "dashboard, filtered": (
        reverse_lazy("public:dashboard"),
        {"speerpunt": "1", "domain": "MOW", "rrf": "1"},
        17,
    ),
    # The rounds, the filters' three lists, the count, the page's ids and then its fiches.
    "dashboard, every cluster": (reverse_lazy("public:dashboard"), {"clusters": "1"}, 17),
    "projects": (reverse_lazy("public:projects"), {"status": "in_progress"}, 7),
    "projects, last page": (reverse_lazy("public:projects"), {"page": "9999"}, 7),
    "record": (None, {}, 7),  # the first project's
}


@pytest.mark.parametrize("size", [4, 30])
@pytest.mark.parametrize("page", list(PAGES))
def test_the_public_pages_take_the_same_queries_whatever_the_plans_size(
    client, size, page, django_assert_num_queries, three_a_page, two_rows_at_once
):
    plan = build_plan(size)
    open_round_markers(plan)
    url, query, expected = PAGES[page]
    url = url or reverse("public:project", args=[plan.projects[0].code])
    with django_assert_num_queries(expected):
        get(client, url, **query)


def main(response):
    """The page's <main>: the cached body (the header around it holds the CSRF token)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_a_second_visit_comes_from_the_cache(client, plan, django_assert_num_queries):
    for url in (
        reverse("public:dashboard"),
        reverse("public:projects"),
        reverse("public:project", args=[plan.projects[0].code]),
    ):
        first = main(get(client, url))
        with django_assert_num_queries(1):  # the closed rounds, for the key
            assert main(get(client, url)) == first


def test_a_round_that_closes_is_published_at_once(client, plan):
    get(client, reverse("public:dashboard"))  # cached for the old state

    plan.opened.close(by=None)

    response = get(client, reverse("public:dashboard"))
    assert response.context["dashboard"].scope.round == plan.opened
    assert (
        DRAFT
        in get(client, reverse("public:project", args=[plan.projects[0].code])).content.decode()
    )


def test_each_visitor_gets_an_own_csrf_token_around_a_cached_body(client, plan):
    from django.test import Client  # noqa: PLC0415

    one = get(client, reverse("public:dashboard")).content.decode()
    other = get(Client(), reverse("public:dashboard")).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(one).group(1) != token.search(other).group(1)


# ---- Language, CSP, links from elsewhere -----------------------------------------------


def test_the_public_dashboard_speaks_english(client, plan, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = get(client, reverse("public:dashboard")).content.decode()
    assert "Public dashboard" in page
    assert "Publiek dashboard" not in page


def test_the_public_pages_hold_no_inline_script_or_style(client, plan):
    for url in (
        reverse("public:dashboard"),
        reverse("public:project", args=[plan.projects[0].code]),
    ):
        response = get(client, url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        page = response.content.decode()
        assert " style=" not in page
        assert "<style" not in page
        for tag in re.findall(r"<script[^>]*>", page):
            assert " src=" in tag or 'type="application/json"' in tag, tag
        assert re.search(r"\son[a-z]+=", page) is None


def test_the_login_and_open_data_pages_link_to_the_public_dashboard(client, plan):
    for url in (reverse("login"), reverse("open-data")):
        assert f'href="{reverse("public:dashboard")}"' in get(client, url).content.decode()


def test_without_a_closed_round_the_public_dashboard_says_so(client):
    response = get(client, reverse("public:dashboard"))
    assert "Nog geen gepubliceerde cijfers" in response.content.decode()
    assert get(client, reverse("public:projects")).context["fiches"] == []


def test_no_public_page_shows_the_open_data_plans_unpublished_rows(client, settings):
    """The open data suite's plan marks every row of its open and draft rounds (fiches,
    money, milestone statuses, indicator definitions and values): none is on a public page."""
    from .open_data_plan import DRAFT as UNPUBLISHED  # noqa: PLC0415
    from .open_data_plan import make_plan  # noqa: PLC0415

    plan = make_plan()
    pages = crawl(client, reverse("public:dashboard"), settings.RELANCE_OPEN_DATA_LICENCE["url"])

    assert len([url for url in pages if url.startswith("/public/projects/VV")]) == 3
    for url, content in pages.items():
        assert UNPUBLISHED not in content, url
        assert plan.opened.code not in content, url
        assert plan.draft.code not in content, url


@pytest.mark.parametrize("milestones", [1, 9])
def test_a_records_queries_do_not_grow_with_its_milestones_or_rounds(
    client, milestones, django_assert_num_queries
):
    from tests.factories import MilestoneFactory, MilestoneStatusFactory  # noqa: PLC0415
    from tests.plans import PlanBuilder  # noqa: PLC0415

    builder = PlanBuilder.two_speerpunten(clusters=[{"speerpunt": 0}])
    (project,) = builder.add_projects(1, rrf=lambda n: False, budget=lambda n: Decimal(100))
    rounds = [builder.round(2020 + n) for n in range(milestones // 3 + 1)]
    for number in range(1, milestones + 1):
        milestone = MilestoneFactory(project=project, number=number)
        for reporting_round in rounds:
            MilestoneStatusFactory(
                round=reporting_round, milestone=milestone, status=MilestoneState.ON_SCHEDULE
            )
    for reporting_round in rounds:
        builder.fiche(reporting_round, project, finance={})
    builder.close(*rounds)

    with django_assert_num_queries(7):
        response = get(client, reverse("public:project", args=[project.code]))
    record = response.context["record"]
    assert len(record.milestones) == milestones
    assert len(record.rounds) == len(rounds)
