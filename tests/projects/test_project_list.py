"""/projects/: what only the project table does: its review and flag columns, its pages, its
export's columns. What it does like the milestone list is in tests/test_list_views.py."""

import io
import re
from html import unescape

import openpyxl
import pytest
from django.http import QueryDict
from django.utils import timezone

from projects.models import Cluster, ProjectStatus
from projects.models.rounds import RoundState
from tests.factories import FicheFactory, ProjectFactory, ReportingRoundFactory, SpeerpuntFactory
from tests.lists import PROJECTS, many_projects

pytestmark = pytest.mark.django_db

URL = PROJECTS.url
rows, codes = PROJECTS.rows, PROJECTS.names
export_csv, export_xlsx = PROJECTS.export_csv, PROJECTS.export_xlsx


@pytest.fixture
def plan(domain, other_domain):
    return PROJECTS.plan(domain, other_domain)


# ---- Access ------------------------------------------------------------------------


def test_a_reader_sees_the_latest_closed_rounds_statuses(client, reader, plan):
    client.force_login(reader)
    response = client.get(URL)
    assert rows(response) == [
        ("VV001", "opgestart", "concept"),
        ("VV002", "bijzondere aandacht nodig", "goedgekeurd"),
    ]


# ---- Another domain's draft stays hidden -----------------------------------------------


def test_an_editor_sees_the_own_domains_draft_but_not_another_domains(client, editor, plan):
    client.force_login(editor)
    response = client.get(URL)
    assert rows(response) == [
        ("VV001", "in uitvoering volgens schema", "concept"),
        ("VV002", None, None),
    ]
    html = response.content.decode()
    assert ProjectStatus.IN_PROGRESS.css_class in html
    assert ProjectStatus.ACTION_REQUIRED.css_class not in html
    assert "review-submitted" not in html


def test_a_coordinator_sees_every_draft(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(URL)
    assert rows(response)[1] == ("VV002", "bijkomende actie noodzakelijk", "ingediend")
    assert ProjectStatus.ACTION_REQUIRED.css_class in response.content.decode()


def test_an_editor_finds_another_domains_project_among_the_unflagged(client, editor, plan):
    client.force_login(editor)
    assert codes(client.get(f"{URL}?flag=none")) == ["VV001", "VV002"]


def test_a_coordinators_export_has_every_draft(client, coordinator, plan):
    client.force_login(coordinator)
    header, _own, other = export_csv(client)
    assert other[header.index("Status")] == "bijkomende actie noodzakelijk"


# ---- Filters ------------------------------------------------------------------------


def test_an_unknown_choice_shows_an_error_and_no_rows(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(f"{URL}?status=bogus&sort=status")
    assert response.status_code == 200
    assert "status" in response.context["filter"].errors
    assert codes(response) == []


# ---- Sorting, pages, exports of what is shown --------------------------------------


def test_status_sorts_in_the_order_of_the_reports_not_alphabetically(client, coordinator):
    reporting_round = ReportingRoundFactory(state=RoundState.OPEN)
    for code, status in [
        ("VV001", ProjectStatus.STOPPED),
        ("VV002", ProjectStatus.NOT_STARTED),
        ("VV003", ProjectStatus.ATTENTION),
        ("VV004", ProjectStatus.IN_PROGRESS),
    ]:
        FicheFactory(round=reporting_round, project=ProjectFactory(code=code), status=status)
    ProjectFactory(code="VV005")  # no fiche in this round: last
    client.force_login(coordinator)
    assert codes(client.get(f"{URL}?sort=status")) == ["VV002", "VV004", "VV003", "VV001", "VV005"]
    assert codes(client.get(f"{URL}?sort=-status")) == ["VV001", "VV003", "VV004", "VV002", "VV005"]


def test_the_page_shows_fifty_rows_and_the_export_every_filtered_sorted_row(
    client, coordinator, domain, other_domain
):
    many_projects(120, domain)
    ProjectFactory(code="VV999", domain=other_domain)
    client.force_login(coordinator)

    response = client.get(f"{URL}?domain=MOW&sort=-budget")
    assert len(rows(response)) == 50
    assert "120 projecten" in response.content.decode()
    assert codes(response)[:2] == ["VV120", "VV119"]

    page_3 = client.get(f"{URL}?domain=MOW&sort=-budget&page=3")
    assert codes(page_3)[-1] == "VV001"

    exported = export_csv(client, "domain=MOW&sort=-budget&page=2")
    assert [row[0] for row in exported[1:]] == [f"VV{n:03d}" for n in range(120, 0, -1)]
    sheet = export_xlsx(client, "domain=MOW&sort=-budget")
    assert sheet.max_row == 121
    assert sheet["A2"].value == "VV120"


def test_the_export_links_carry_the_filters_and_sorting_but_not_the_page(
    client, coordinator, domain
):
    many_projects(60, domain)
    client.force_login(coordinator)
    html = client.get(f"{URL}?domain=MOW&sort=-budget&page=2").content.decode()
    links = re.findall(r'href="(\?[^"]*_export=[^"]*)"', html)
    assert len(links) == 3
    for link in links:
        query = QueryDict(unescape(link)[1:])
        assert query["domain"] == "MOW"
        assert query["sort"] == "-budget"
        assert "page" not in query
    assert [
        (query["_export"], query.get("dialect"))
        for query in (QueryDict(unescape(link)[1:]) for link in links)
    ] == [("xlsx", None), ("csv", None), ("csv", "international")]


def test_the_export_has_the_columns_of_the_page(client, coordinator, plan):
    client.force_login(coordinator)
    header, own, _other = export_csv(client)
    assert header == [
        "Code",
        "Titel",
        "Speerpunt",
        "Cluster",
        "Domein",
        "Budget (€)",
        "RRF",
        "Status",
        "Beoordeling",
    ]
    assert own == [
        "VV001",
        "Fietsinfrastructuur",
        "1",
        "1",
        "MOW",
        "2500000,00",
        "ja",
        "in uitvoering volgens schema",
        "concept",
    ]
    sheet = export_xlsx(client)
    assert sheet["F2"].value == 2500000
    assert sheet["F2"].data_type == "n"
    assert sheet["G3"].value == "nee"


def test_the_page_formats_the_budget_in_dutch(client, coordinator, plan):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert "2.500.000" in html


@pytest.mark.parametrize("export", ["json", "yaml", "latex"])
def test_only_csv_and_xlsx_are_exported(client, coordinator, plan, export):
    client.force_login(coordinator)
    response = client.get(f"{URL}?_export={export}")
    assert response["Content-Type"].startswith("text/html")


def test_a_safe_text_is_exported_unchanged(client, coordinator):
    ProjectFactory(code="VV001", title="Fietsinfrastructuur - fase 2")
    client.force_login(coordinator)
    assert export_csv(client)[1][1] == "Fietsinfrastructuur - fase 2"


# ---- Exports for people ------------------------------------------------------------


def test_the_csv_export_is_belgian_by_default_and_international_on_request(
    client, coordinator, plan
):
    client.force_login(coordinator)
    belgian = client.get(f"{URL}?domain=MOW&_export=csv").content.decode("utf-8-sig")
    international = client.get(f"{URL}?domain=MOW&_export=csv&dialect=international")
    assert belgian.splitlines()[1].startswith("VV001;Fietsinfrastructuur;1;1;MOW;2500000,00;")
    assert (
        international.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith("VV001,Fietsinfrastructuur,1,1,MOW,2500000.00,")
    )


def test_an_export_names_its_round_filters_and_day(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(f"{URL}?domain=MOW&rrf=yes&q=fiets&_export=xlsx")
    today = timezone.localdate().isoformat()
    open_round = plan["open"].code
    assert f'filename="projecten_{open_round}_{today}.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, about = workbook.worksheets
    assert data.auto_filter.ref == "A1:I2"
    described = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert described["Lijst"] == "Projecten"
    assert described["Meetmoment"].startswith(open_round)
    assert described["Beleidsdomein"].startswith("MOW")
    assert described["RRF-project"] == "ja"
    assert described["Zoeken"] == "fiets"
    assert described["Rijen"] == "1"
    assert "Filters" not in described
    # Without filters, it says so.
    unfiltered = openpyxl.load_workbook(
        io.BytesIO(client.get(f"{URL}?_export=xlsx").content)
    ).worksheets[1]
    assert {row[0]: row[1] for row in unfiltered.iter_rows(values_only=True)}["Filters"] == (
        "geen: de hele lijst"
    )


def test_the_cluster_filter_is_a_number_past_two_hundred_clusters(client, coordinator):
    """A select of thousands of clusters helps no one: past 200 the cluster is typed, and
    ``?cluster=`` filters as before."""
    speerpunt = SpeerpuntFactory()
    Cluster.objects.bulk_create(
        Cluster(number=number, speerpunt=speerpunt, name=f"Cluster {number}")
        for number in range(1, 202)
    )
    ProjectFactory(code="VV001", cluster=Cluster.objects.get(number=7))
    ProjectFactory(code="VV002", cluster=Cluster.objects.get(number=8))
    client.force_login(coordinator)
    response = client.get("/projects/?cluster=7")
    html = response.content.decode()
    assert 'type="number" name="cluster" value="7"' in html
    assert '<option value="201"' not in html
    assert [row.record.code for row in response.context["table"].paginated_rows] == ["VV001"]


def test_the_cluster_filter_is_a_select_of_a_few_clusters(client, coordinator):
    ProjectFactory(code="VV001")
    client.force_login(coordinator)
    html = client.get("/projects/").content.decode()
    assert '<select name="cluster"' in html
    assert 'type="number" name="cluster"' not in html
