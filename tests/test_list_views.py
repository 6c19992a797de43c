"""/projects/ and /milestones/ alike: access, who sees which status, filters, sorting, safe
exports and a fixed number of queries. Each list's own behaviour is tested beside it
(tests/projects/test_project_list.py, tests/milestones/test_milestone_list.py); the plans
and helpers are in tests/lists.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models.users import Role
from tests.lists import LISTS, MILESTONES, PROJECTS, SECRET_STATUS

pytestmark = pytest.mark.django_db


@pytest.fixture(params=LISTS, ids=str)
def case(request):
    return request.param


@pytest.fixture
def plan(case, domain, other_domain):
    return case.plan(domain, other_domain)


def each(data):
    """pytest parameters (case, *values) from {case: [values, …]}."""
    return [
        pytest.param(case, *values, id=f"{case}-{values[0]}")
        for case, cases in data.items()
        for values in cases
    ]


EVERY_ROW = {PROJECTS: ["VV001", "VV002"], MILESTONES: ["VV001/1", "VV001/2", "VV002/1"]}


# ---- Access ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_export=csv", "?_export=xlsx"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, case, query):
    response = client.get(case.url + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_every_row(client, users, case, plan, role):
    client.force_login(users[role])
    response = client.get(case.url)
    assert response.status_code == 200
    assert case.names(response) == EVERY_ROW[case]
    assert f"{len(EVERY_ROW[case])} {case.noun}" in response.content.decode()
    assert reverse(case.url_name) == case.url


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
    client, users, case, plan, role, expected
):
    client.force_login(users[role])
    response = client.get(case.url)
    assert response.context["filter"].chosen_round == plan[expected]


def test_a_reader_can_neither_choose_nor_export_the_open_round(client, reader, case, plan):
    client.force_login(reader)
    response = client.get(f"{case.url}?round={plan['open'].code}")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert case.rows(response) == []
    assert case.secret_mark not in response.content.decode()
    assert case.export_csv(client, f"round={plan['open'].code}")[1:] == []
    sheet = case.export_xlsx(client, f"round={plan['open'].code}")
    assert sheet.max_row == 1  # the header only


# ---- Another domain's draft stays hidden -----------------------------------------------


@pytest.mark.parametrize(
    ("case", "query"),
    each(
        {
            PROJECTS: [
                (f"status={SECRET_STATUS}",),
                ("flag=red",),
                ("review=submitted",),
                (f"status={SECRET_STATUS}&domain=OMG",),
            ],
            MILESTONES: [("status=delayed",), ("overdue=on",), ("status=delayed&domain=OMG",)],
        }
    ),
)
def test_an_editor_cannot_count_another_domains_draft_through_a_filter(
    client, editor, coordinator, case, plan, query
):
    client.force_login(coordinator)
    assert case.names(client.get(f"{case.url}?{query}")) == [EVERY_ROW[case][-1]]  # there …

    client.force_login(editor)
    response = client.get(f"{case.url}?{query}")
    assert case.names(response) == []  # … but not for this editor
    assert response.context["table"].paginator.count == 0
    assert f"0 {case.noun}" in response.content.decode()
    assert case.export_csv(client, query)[1:] == []
    assert case.export_xlsx(client, query).max_row == 1


# The export shows the own domain's statuses; of the other domain's row only its name.
EXPORT_HIDES = {
    # case: (the own rows' statuses, the other column that stays empty, words never shown)
    PROJECTS: (["in uitvoering volgens schema"], "Beoordeling", [SECRET_STATUS.label, "ingediend"]),
    MILESTONES: (["gerealiseerd", "op schema"], "Verwacht", ["in vertraging", "2031"]),
}


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_an_editors_export_leaves_out_another_domains_draft(client, editor, case, plan, export):
    own_statuses, hidden, secrets = EXPORT_HIDES[case]
    client.force_login(editor)
    if export == "csv":
        table = case.export_csv(client)
    else:
        table = [[cell.value for cell in row] for row in case.export_xlsx(client).iter_rows()]
    header, *body = table
    status, other_column = header.index("Status"), header.index(hidden)
    assert [row[status] for row in body[:-1]] == own_statuses
    assert body[-1][0] == "VV002"
    assert body[-1][status] in ("", None)
    assert body[-1][other_column] in ("", None)
    flat = " ".join(str(value) for row in table for value in row)
    for secret in secrets:
        assert str(secret) not in flat


@pytest.mark.parametrize(
    ("case", "row"),
    each(
        {
            PROJECTS: [(("VV002", "bijzondere aandacht nodig", "goedgekeurd"),)],
            MILESTONES: [(("VV002/1", "op schema", None),)],
        }
    ),
)
def test_an_editor_sees_another_domains_closed_round_statuses(client, editor, case, plan, row):
    client.force_login(editor)
    response = client.get(f"{case.url}?round={plan['closed'].code}")
    assert case.rows(response)[-1] == row


# ---- Filters and sorting -----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "query", "expected"),
    each(
        {
            PROJECTS: [
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
            MILESTONES: [
                ("due=30", ["VV001/2"]),
                ("due=90", ["VV001/2"]),
                ("due=365", ["VV001/2"]),
                ("overdue=on", ["VV002/1"]),
                ("status=realised", ["VV001/1"]),
                ("status=on_schedule", ["VV001/2"]),
                ("status=delayed", ["VV002/1"]),
                ("status=stopped", []),
                ("domain=MOW", ["VV001/1", "VV001/2"]),
                ("domain=OMG", ["VV002/1"]),
                ("speerpunt=2", ["VV002/1"]),
                ("q=fietsbrug", ["VV001/2"]),
                ("q=vv002", ["VV002/1"]),
                ("q=blue+deal", ["VV002/1"]),
                # VV001/2 by its description and by its project's title: listed once.
                ("q=fiets", ["VV001/1", "VV001/2"]),
                ("q=nergens", []),
                ("domain=MOW&status=realised", ["VV001/1"]),
                ("rrf=yes", ["VV001/1", "VV001/2"]),
                ("rrf=no", ["VV002/1"]),
            ],
        }
    ),
)
def test_filters(client, coordinator, case, plan, query, expected):
    client.force_login(coordinator)
    response = client.get(f"{case.url}?{query}")
    assert response.status_code == 200
    assert case.names(response) == expected
    assert response.context["table"].paginator.count == len(expected)


@pytest.mark.parametrize(
    ("case", "sort", "expected"),
    each(
        {
            PROJECTS: [
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
            MILESTONES: [
                ("deadline", ["VV001/1", "VV002/1", "VV001/2"]),
                ("-deadline", ["VV001/2", "VV002/1", "VV001/1"]),
                ("-project", ["VV002/1", "VV001/2", "VV001/1"]),
                ("status", ["VV001/1", "VV001/2", "VV002/1"]),
                ("-status", ["VV002/1", "VV001/2", "VV001/1"]),
                ("description", ["VV001/1", "VV002/1", "VV001/2"]),
                ("-domain", ["VV002/1", "VV001/2", "VV001/1"]),  # ties reversed too
            ],
        }
    ),
)
def test_sorting(client, coordinator, case, plan, sort, expected):
    client.force_login(coordinator)
    assert case.names(client.get(f"{case.url}?sort={sort}")) == expected


# ---- Exports that no spreadsheet runs -------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+31 ter info",
    "-2+3",
    "@SUM(A1:A2)",
    "\tverborgen",
    "\rverborgen",
    "=1+1",
    "+1",
    "-1",
    "@A1",
    "\tx",
    "\rx",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_csv_export_never_starts_a_cell_with_a_formula(client, coordinator, case, text):
    case.make_text_row(text)
    client.force_login(coordinator)
    header, row = case.export_csv(client)
    assert row[header.index(case.text_header)] == f"'{text}"


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_xlsx_export_writes_every_text_as_text(client, coordinator, case, text):
    case.make_text_row(text)
    client.force_login(coordinator)
    cell = case.export_xlsx(client)[case.text_cell]
    assert cell.data_type == "s"  # not "f": no formula
    # The text is kept as typed; XML reads a carriage return back as a line feed.
    assert cell.value == text.replace("\r", "\n")


# ---- Queries -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 300])
@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_the_table_takes_a_fixed_number_of_queries(
    client, users, domain, case, size, role, django_assert_max_num_queries
):
    case.crowd(size, domain)
    client.force_login(users[role])
    with django_assert_max_num_queries(15):
        response = client.get(f"{case.url}?{case.crowd_query}")
    assert response.context["table"].paginator.count == case.crowd_count(size)


@pytest.mark.parametrize("size", [5, 300])
def test_the_export_takes_a_fixed_number_of_queries(
    client, coordinator, domain, case, size, django_assert_max_num_queries
):
    case.crowd(size, domain)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(f"{case.url}?_export=csv")
    assert response.content.decode("utf-8-sig").count("\n") == size + 1


@pytest.mark.parametrize("size", [120, 400])
def test_a_deep_page_takes_as_many_queries_as_the_first(client, coordinator, domain, case, size):
    """A page's ids, then its rows: the same two queries on the first page and on the last,
    with as many rows as the page shows, in the table's order."""
    case.crowd(size, domain)
    client.force_login(coordinator)
    client.get(f"{case.url}?{case.crowd_query}")  # the session and the caches, warm
    counts, pages = [], []
    last = -(-case.crowd_count(size) // 25)
    for page in (1, last):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{case.url}?{case.crowd_query}&per_page=25&page={page}")
        counts.append(len(queries))
        pages.append(case.names(response))
    assert counts[0] == counts[1]
    expected = case.crowd_count(size) % 25 or 25
    assert len(pages[0]) == 25
    assert len(pages[1]) == expected
    assert not set(pages[0]) & set(pages[1])


def test_a_page_fetches_its_ids_before_its_rows(client, coordinator, domain, case):
    case.crowd(120, domain)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{case.url}?{case.crowd_query}&per_page=25&page=2")
    table = case.url.strip("/")
    model = {"projects": "projects_project", "milestones": "milestones_milestone"}[table]
    narrow = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{model}"."id" AS "pk"')]
    assert len(narrow) == 1
    assert "OFFSET 25" in narrow[0]
    shown = [row.record.pk for row in response.context["table"].paginated_rows]
    assert len(shown) == 25
