"""/projects/: the project table, its filters, sorting, exports and who sees which status."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import reverse

from projects.models import Fiche, ProjectStatus, ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)

pytestmark = pytest.mark.django_db

URL = "/projects/"
SECRET_STATUS = ProjectStatus.ACTION_REQUIRED  # the other domain's draft in the open round


@pytest.fixture
def plan(domain, other_domain):
    """Two projects, one per domain, with fiches in a closed and in the open round.

    In the open round the other domain's project is flagged red and submitted: an editor
    of ``domain`` must never learn that.
    """
    cluster_1 = ClusterFactory(number=1, speerpunt=SpeerpuntFactory(number=1))
    cluster_2 = ClusterFactory(number=2, speerpunt=SpeerpuntFactory(number=2))
    own = ProjectFactory(
        code="VV001",
        title="Fietsinfrastructuur",
        entity="Departement MOW",
        cluster=cluster_1,
        domain=domain,
        budget_eur=Decimal("2500000.00"),
        is_rrf=True,
        rrf_measure="I-2.09",
    )
    other = ProjectFactory(
        code="VV002",
        title="Blue deal",
        entity="Vlaamse Milieumaatschappij",
        cluster=cluster_2,
        domain=other_domain,
        budget_eur=Decimal("1000000.00"),
    )
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    FicheFactory(round=closed, project=own, status=ProjectStatus.STARTED)
    FicheFactory(
        round=closed,
        project=other,
        status=ProjectStatus.ATTENTION,
        review_state=ReviewState.APPROVED,
    )
    closed.close(by=None)
    open_round = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    FicheFactory(round=open_round, project=own, status=ProjectStatus.IN_PROGRESS)
    FicheFactory(
        round=open_round,
        project=other,
        status=SECRET_STATUS,
        review_state=ReviewState.SUBMITTED,
    )
    return {"own": own, "other": other, "closed": closed, "open": open_round}


def rows(response):
    """The table's rows as the page shows them: (code, status, review) per project."""
    table = response.context["table"]
    return [
        (row.record.code, row.get_cell_value("status"), row.get_cell_value("review"))
        for row in table.paginated_rows
    ]


def codes(response):
    return [code for code, _status, _review in rows(response)]


def export_csv(client, query=""):
    response = client.get(f"{URL}?{query}&_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def export_xlsx(client, query=""):
    response = client.get(f"{URL}?{query}&_export=xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


# ---- Access ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_export=csv", "?_export=xlsx"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, query):
    response = client.get(URL + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_every_project(client, users, plan, role):
    client.force_login(users[role])
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["VV001", "VV002"]
    assert "2 projecten" in response.content.decode()
    assert reverse("projects:list") == URL


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.READER, "closed"),
        (Role.EDITOR, "open"),
        (Role.COORDINATOR, "open"),
        (Role.ADMIN, "open"),
    ],
)
def test_the_table_starts_at_the_open_round_for_those_who_may_read_it(
    client, users, plan, role, expected
):
    client.force_login(users[role])
    response = client.get(URL)
    assert response.context["filter"].chosen_round == plan[expected]


def test_a_reader_sees_the_latest_closed_rounds_statuses(client, reader, plan):
    client.force_login(reader)
    response = client.get(URL)
    assert rows(response) == [
        ("VV001", "opgestart", "concept"),
        ("VV002", "bijzondere aandacht nodig", "goedgekeurd"),
    ]


def test_a_reader_cannot_choose_the_open_round(client, reader, plan):
    client.force_login(reader)
    response = client.get(f"{URL}?round={plan['open'].code}")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert rows(response) == []
    assert ProjectStatus.ACTION_REQUIRED.css_class not in response.content.decode()
    assert export_csv(client, f"round={plan['open'].code}")[1:] == []


def test_a_reader_cannot_export_the_open_round(client, reader, plan):
    client.force_login(reader)
    sheet = export_xlsx(client, f"round={plan['open'].code}")
    assert sheet.max_row == 1  # the header only


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


@pytest.mark.parametrize(
    "query",
    [
        f"status={SECRET_STATUS}",
        "flag=red",
        "review=submitted",
        f"status={SECRET_STATUS}&domain=OMG",
    ],
)
def test_an_editor_cannot_count_another_domains_draft_through_a_filter(
    client, editor, coordinator, plan, query
):
    client.force_login(coordinator)
    assert codes(client.get(f"{URL}?{query}")) == ["VV002"]  # the draft is there …

    client.force_login(editor)
    response = client.get(f"{URL}?{query}")
    assert codes(response) == []  # … but not for this editor
    assert response.context["table"].paginator.count == 0
    assert "0 projecten" in response.content.decode()
    assert export_csv(client, query)[1:] == []
    assert export_xlsx(client, query).max_row == 1


def test_an_editor_finds_another_domains_project_among_the_unflagged(client, editor, plan):
    client.force_login(editor)
    assert codes(client.get(f"{URL}?flag=none")) == ["VV001", "VV002"]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_an_editors_export_leaves_out_another_domains_draft(client, editor, plan, export):
    client.force_login(editor)
    if export == "csv":
        table = export_csv(client)
    else:
        table = [[cell.value for cell in row] for row in export_xlsx(client).iter_rows()]
    header, own, other = table
    status, review = header.index("Status"), header.index("Beoordeling")
    assert own[status] == "in uitvoering volgens schema"
    assert other[0] == "VV002"
    assert other[status] in ("", None)
    assert other[review] in ("", None)
    flat = " ".join(str(value) for row in table for value in row)
    assert str(SECRET_STATUS.label) not in flat
    assert "ingediend" not in flat


def test_a_coordinators_export_has_every_draft(client, coordinator, plan):
    client.force_login(coordinator)
    header, _own, other = export_csv(client)
    assert other[header.index("Status")] == "bijkomende actie noodzakelijk"


def test_an_editor_sees_another_domains_closed_round_statuses(client, editor, plan):
    client.force_login(editor)
    response = client.get(f"{URL}?round={plan['closed'].code}")
    assert rows(response)[1] == ("VV002", "bijzondere aandacht nodig", "goedgekeurd")


# ---- Filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speerpunt=1", ["VV001"]),
        ("speerpunt=2", ["VV002"]),
        ("cluster=2", ["VV002"]),
        ("domain=MOW", ["VV001"]),
        ("domain=OMG", ["VV002"]),
        ("rrf=yes", ["VV001"]),
        ("rrf=no", ["VV002"]),
        ("status=in_progress", ["VV001"]),
        ("status=action_required", ["VV002"]),
        ("flag=red", ["VV002"]),
        ("flag=orange", []),
        ("flag=none", ["VV001"]),
        ("review=draft", ["VV001"]),
        ("review=submitted", ["VV002"]),
        ("q=vv002", ["VV002"]),
        ("q=fiets", ["VV001"]),
        ("q=milieumaatschappij", ["VV002"]),
        ("q=nergens", []),
        ("round=2023-12&flag=orange", ["VV002"]),
        ("round=2023-12&status=started", ["VV001"]),
        ("round=2023-12&review=approved", ["VV002"]),
    ],
)
def test_filters(client, coordinator, plan, query, expected):
    client.force_login(coordinator)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert codes(response) == expected
    assert response.context["table"].paginator.count == len(expected)


def test_an_unknown_choice_shows_an_error_and_no_rows(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(f"{URL}?status=bogus&sort=status")
    assert response.status_code == 200
    assert "status" in response.context["filter"].errors
    assert codes(response) == []


# ---- Sorting, pages, exports of what is shown --------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("code", ["VV001", "VV002"]),
        ("-code", ["VV002", "VV001"]),
        ("budget", ["VV002", "VV001"]),
        ("-budget", ["VV001", "VV002"]),
        ("title", ["VV002", "VV001"]),
        ("domain", ["VV001", "VV002"]),
        ("-domain", ["VV002", "VV001"]),
        # Status in the order of the reports: in progress before action required.
        ("status", ["VV001", "VV002"]),
        ("-status", ["VV002", "VV001"]),
        ("review", ["VV001", "VV002"]),
        ("-review", ["VV002", "VV001"]),
    ],
)
def test_sorting(client, coordinator, plan, sort, expected):
    client.force_login(coordinator)
    assert codes(client.get(f"{URL}?sort={sort}")) == expected


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


def big_plan(size, domain):
    cluster = ClusterFactory()
    reporting_round = ReportingRoundFactory(state=RoundState.OPEN)
    projects = [
        ProjectFactory(
            code=f"VV{number:03d}",
            cluster=cluster,
            domain=domain,
            budget_eur=Decimal(number * 1000),
        )
        for number in range(1, size + 1)
    ]
    Fiche.objects.bulk_create(
        Fiche(round=reporting_round, project=project, status=ProjectStatus.IN_PROGRESS)
        for project in projects
    )
    return projects


def test_the_page_shows_fifty_rows_and_the_export_every_filtered_sorted_row(
    client, coordinator, domain, other_domain
):
    big_plan(120, domain)
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
    big_plan(60, domain)
    client.force_login(coordinator)
    html = client.get(f"{URL}?domain=MOW&sort=-budget&page=2").content.decode()
    links = re.findall(r'href="(\?[^"]*_export=[^"]*)"', html)
    assert len(links) == 2
    for link in links:
        query = QueryDict(unescape(link)[1:])
        assert query["domain"] == "MOW"
        assert query["sort"] == "-budget"
        assert "page" not in query
    assert {QueryDict(unescape(link)[1:])["_export"] for link in links} == {"xlsx", "csv"}


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
        "2500000.00",
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


DANGEROUS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+31 ter info",
    "-2+3",
    "@SUM(A1:A2)",
    "\tverborgen",
    "\rverborgen",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_csv_export_never_starts_a_cell_with_a_formula(client, coordinator, text):
    ProjectFactory(code="VV001", title=text, entity=text)
    client.force_login(coordinator)
    header, row = export_csv(client)
    assert row[header.index("Titel")] == f"'{text}"


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_xlsx_export_writes_every_text_as_text(client, coordinator, text):
    ProjectFactory(code="VV001", title=text)
    client.force_login(coordinator)
    sheet = export_xlsx(client)
    cell = sheet["B2"]
    assert cell.data_type == "s"  # not "f": no formula
    # The text is kept as typed; XML reads a carriage return back as a line feed.
    assert cell.value == text.replace("\r", "\n")


def test_a_safe_text_is_exported_unchanged(client, coordinator):
    ProjectFactory(code="VV001", title="Fietsinfrastructuur - fase 2")
    client.force_login(coordinator)
    assert export_csv(client)[1][1] == "Fietsinfrastructuur - fase 2"


# ---- Queries -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 300])
@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_the_table_takes_a_fixed_number_of_queries(
    client, users, domain, size, role, django_assert_max_num_queries
):
    big_plan(size, domain)
    client.force_login(users[role])
    with django_assert_max_num_queries(15):
        response = client.get(f"{URL}?sort=status")
    assert response.context["table"].paginator.count == size


@pytest.mark.parametrize("size", [5, 300])
def test_the_export_takes_a_fixed_number_of_queries(
    client, coordinator, domain, size, django_assert_max_num_queries
):
    big_plan(size, domain)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(f"{URL}?_export=csv")
    assert response.content.decode("utf-8-sig").count("\n") == size + 1
