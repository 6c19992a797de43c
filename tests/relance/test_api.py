"""The open data API (/api/): public, read-only, closed rounds only; its figures are the
round summary's; paged by cursor, filtered, throttled, in a fixed number of queries."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from drf_spectacular.validation import validate_schema

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, Indicator, IndicatorValue, Project, ReportingRound
from projects.models.users import Role
from relance.summary import round_summary
from tests.conftest import empty_cache
from tests.factories import FicheFactory, ReportingRoundFactory, UserFactory
from tests.relance.open_data_plan import DRAFT, PUBLISHED, make_plan

pytestmark = pytest.mark.django_db

ROUND_ENDPOINTS = ["summary", "fiches", "milestones"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts in the default cache, which outlives a test."""
    empty_cache()
    yield
    empty_cache()


@pytest.fixture
def plan():
    return make_plan()


def every_url(plan):
    codes = [plan.closed.code, plan.earlier.code]
    return [
        "/api/projects/",
        *(f"/api/projects/{project.code}/" for project in plan.projects),
        "/api/rounds/",
        *(f"/api/rounds/{code}/{endpoint}/" for code in codes for endpoint in ROUND_ENDPOINTS),
    ]


def follow(client, url):
    """Every result of a paged list, following the cursor to the end."""
    results, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        results += body["results"]
        url, pages = body["next"], pages + 1
    return results, pages


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/",
        "/api/projects/VV001/",
        "/api/rounds/",
        "/api/rounds/2023-12/summary/",
        "/api/rounds/2023-12/fiches/",
        "/api/rounds/2023-12/milestones/",
        "/api/schema/",
    ],
)
def test_anonymous_visitor_reads_every_endpoint(client, plan, path):
    response = client.get(path)

    assert response.status_code == 200, response.content[:200]
    assert "login" not in response.get("Location", "")


@pytest.mark.parametrize("state", ["opened", "draft"])
@pytest.mark.parametrize("endpoint", ROUND_ENDPOINTS)
def test_open_and_draft_rounds_are_not_found(client, plan, state, endpoint):
    code = getattr(plan, state).code

    response = client.get(f"/api/rounds/{code}/{endpoint}/")

    assert response.status_code == 404
    assert DRAFT.encode() not in response.content


@pytest.mark.parametrize("endpoint", ROUND_ENDPOINTS)
def test_a_signed_in_coordinator_gets_no_open_round_either(client, plan, endpoint):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(f"/api/rounds/{plan.opened.code}/{endpoint}/")

    assert response.status_code == 404


def test_rounds_lists_only_the_closed_rounds_newest_first(client, plan):
    results, _pages = follow(client, "/api/rounds/")

    assert [row["code"] for row in results] == ["2023-12", "2022-12"]
    assert results[0]["summary_url"] == "http://testserver/api/rounds/2023-12/summary/"
    assert results[0]["fiches_url"].endswith("/api/rounds/2023-12/fiches/")


def test_no_draft_text_in_any_response(client, plan):
    client.force_login(UserFactory(role=Role.ADMIN))  # the API ignores who is signed in
    seen = b""
    for url in every_url(plan):
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            seen += response.content
            url = response.json().get("next") if url.endswith("/") else None
    seen += client.get("/api/schema/").content

    assert PUBLISHED.encode() in seen  # the search reads what is published
    assert DRAFT.encode() not in seen


def test_the_summary_is_round_summary_as_json(client, plan):
    response = client.get("/api/rounds/2023-12/summary/")
    printed = StringIO()
    call_command("round_summary", "2023-12", "--json", stdout=printed)

    assert response.json() == round_summary("2023-12").as_json()
    assert response.json() == json.loads(printed.getvalue())
    assert response.json()["finance"]["budget_eur"] == "6000000.00"


def test_fiches_carry_the_budget_frozen_at_the_round_and_amounts_as_strings(client, plan):
    Project.objects.filter(code="VV002").update(budget_eur=F("budget_eur") + 1)

    results, _pages = follow(client, "/api/rounds/2023-12/fiches/")

    assert [row["project"] for row in results] == ["VV001", "VV002", "VV003"]
    second = results[1]
    assert second == {
        "round": "2023-12",
        "project": "VV002",
        "project_title": "Project VV002",
        "speerpunt": 2,
        "cluster": 2,
        "domain": "OMG",
        "rrf": False,
        "status": "realised",
        "status_label": "gerealiseerd",
        "narrative": f"{PUBLISHED} VV002 2023-12",
        "budget_eur": "2000000.00",
        "committed_eur": "500001.00",
        "paid_eur": "2000.10",
    }


def test_a_fiche_without_money_has_nulls_and_the_project_budget(client, plan):
    later = ReportingRoundFactory(reference_date=dt.date(2030, 12, 31))
    FicheFactory(round=later, project=plan.projects[2])
    later.close(by=None)

    results, _pages = follow(client, "/api/rounds/2030-12/fiches/")

    assert [(row["budget_eur"], row["committed_eur"], row["paid_eur"]) for row in results] == [
        ("3000000.00", None, None)
    ]


def test_milestone_statuses_of_the_round(client, plan):
    results, _pages = follow(client, "/api/rounds/2023-12/milestones/")

    assert len(results) == 6
    assert results[1] == {
        "round": "2023-12",
        "project": "VV001",
        "milestone": 2,
        "description": "Gunning van de opdracht",
        "deadline": "2023-06-30",
        "rrf_reference": "",
        "rrf_quarter": "",
        "rrf_instalment": None,
        "status": "delayed",
        "status_label": "in vertraging",
        "realised_on": None,
        "forecast_date": "2026-06-30",
        "postponements": 0,
        "delay_reason": "",
        "note": "",
    }
    assert results[0]["realised_on"] == "2023-12-31"


def test_a_project_lists_only_its_closed_round_fiches(client, plan):
    body = client.get("/api/projects/VV001/").json()

    assert [fiche["round"] for fiche in body["fiches"]] == ["2023-12", "2022-12"]
    assert body["fiches"][0]["budget_eur"] == "1000000.00"
    assert body["budget_eur"] == "1000000.00"
    assert [m["number"] for m in body["milestones"]] == [1, 2]
    assert body["indicators"][0] | {"baseline": None} == {
        "code": "OUT1",
        "name": "Aantal begeleide gemeenten",
        "kind": "output",
        "unit": "gemeenten",
        "baseline": None,
        "target": "300",
        "target_date": None,
        "rrf_reference": "",
        "rrf_quarter": "",
        "rrf_instalment": None,
    }
    assert (body["rrf"], body["rrf_measure"], body["speerpunt"], body["domain"]) == (
        True,
        "I-2.09",
        1,
        "MOW",
    )


def test_an_unknown_project_is_not_found(client, plan):
    assert client.get("/api/projects/VV999/").status_code == 404


@pytest.mark.parametrize(("language", "detail"), [("nl", "Niet gevonden."), ("en", "Not found.")])
@pytest.mark.parametrize(
    "path",
    ["/api/projects/VV999/", "/api/rounds/1999-12/summary/", "/api/rounds/1999-12/fiches/"],
)
def test_a_404_says_not_found_in_the_requests_language(client, plan, path, language, detail):
    """Django's own message named the model, in English: "No ReportingRound matches the
    given query."."""
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("path", "key", "size"),
    [
        ("/api/projects/", "code", 7),
        ("/api/rounds/2023-12/fiches/", "project", 7),
        ("/api/rounds/2023-12/milestones/", "project", 14),
    ],
)
def test_the_cursor_follows_every_row_once_in_order(client, path, key, size):
    make_plan(size=7)

    results, pages = follow(client, f"{path}?page_size=3")

    assert pages == -(-size // 3)
    keys = [row[key] for row in results]
    assert keys == sorted(keys)
    assert len(results) == size
    if "milestones" in path:
        assert len({(row["project"], row["milestone"]) for row in results}) == size
    else:
        assert len(set(keys)) == size


def test_the_cursor_goes_back_too(client, plan):
    first = client.get("/api/projects/?page_size=2").json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()

    assert [row["code"] for row in second["results"]] == ["VV003"]
    assert [row["code"] for row in back["results"]] == ["VV001", "VV002"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("speerpunt=1", ["VV001", "VV003"]),
        ("cluster=2", ["VV002"]),
        ("domain=omg", ["VV002"]),
        ("rrf=true", ["VV001"]),
        ("rrf=false", ["VV002", "VV003"]),
        ("speerpunt=1&domain=MOW&rrf=false", ["VV003"]),
    ],
)
def test_projects_filter(client, plan, query, codes):
    results, _pages = follow(client, f"/api/projects/?{query}")

    assert [row["code"] for row in results] == codes


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("status=realised", ["VV002"]),
        ("status=attention", ["VV003"]),
        ("speerpunt=2", ["VV002"]),
        ("domain=MOW", ["VV001", "VV003"]),
        ("project=vv003", ["VV003"]),
    ],
)
def test_fiches_filter(client, plan, query, codes):
    results, _pages = follow(client, f"/api/rounds/2023-12/fiches/?{query}")

    assert [row["project"] for row in results] == codes


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("status=realised", [("VV001", 1), ("VV002", 1), ("VV003", 1)]),
        ("status=delayed&project=VV002", [("VV002", 2)]),
        ("project=VV003", [("VV003", 1), ("VV003", 2)]),
        ("domain=OMG&status=realised", [("VV002", 1)]),
    ],
)
def test_milestones_filter(client, plan, query, rows):
    results, _pages = follow(client, f"/api/rounds/2023-12/milestones/?{query}")

    assert [(row["project"], row["milestone"]) for row in results] == rows


def test_an_unknown_status_is_a_bad_request(client, plan):
    assert client.get("/api/rounds/2023-12/fiches/?status=purple").status_code == 400


def test_throttling_answers_429_after_the_limit(client, plan, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open_data": "3/minute", "open_data_download": "3/minute"},
    }
    statuses = [client.get("/api/projects/").status_code for _ in range(3)]

    refused = client.get("/api/rounds/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_limit_is_per_address(client, plan, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open_data": "1/minute", "open_data_download": "1/minute"},
    }
    assert client.get("/api/rounds/").status_code == 200
    assert client.get("/api/rounds/").status_code == 429
    # Behind no proxy, a forged X-Forwarded-For does not reset the count.
    assert client.get("/api/rounds/", HTTP_X_FORWARDED_FOR="10.9.8.7").status_code == 429

    assert client.get("/api/rounds/", REMOTE_ADDR="127.0.0.2").status_code == 200


def _snapshot():
    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (
            Project,
            ReportingRound,
            Fiche,
            FinanceReport,
            Milestone,
            MilestoneStatus,
            Indicator,
            IndicatorValue,
        )
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, plan, method):
    before = _snapshot()
    body = json.dumps({"code": "VV001", "title": "Overschreven", "narrative": "Overschreven"})

    statuses = {
        url: getattr(client, method)(url, body, content_type="application/json").status_code
        for url in [*every_url(plan), "/api/schema/"]
    }

    assert set(statuses.values()) == {405}, statuses
    assert _snapshot() == before


def test_the_schema_is_valid_openapi_with_every_path(client, plan):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/projects/",
        "/api/projects/{code}/",
        "/api/rounds/",
        "/api/rounds/{code}/summary/",
        "/api/rounds/{code}/fiches/",
        "/api/rounds/{code}/milestones/",
        # The write API of the open round's fiches (tests/relance/test_fiche_api.py).
        "/api/rounds/{code}/fiches/{project}/",
        "/api/rounds/{code}/fiches/{project}/submit/",
    }
    for name, path in schema["paths"].items():
        if "{project}" not in name:
            assert set(path) == {"get"}
    fiche = schema["components"]["schemas"]["Fiche"]["properties"]
    assert fiche["budget_eur"]["type"] == "string"


LIST_QUERIES = {
    # the page
    "/api/projects/": 1,
    "/api/rounds/": 1,
    # the round, the page
    "/api/rounds/2023-12/fiches/": 2,
    "/api/rounds/2023-12/milestones/": 2,
    # the project, its closed fiches, milestones, indicators
    "/api/projects/VV001/": 4,
}


@pytest.mark.parametrize("size", [3, 15])
@pytest.mark.parametrize("path", LIST_QUERIES)
def test_queries_stay_the_same_as_the_plan_grows(client, django_assert_max_num_queries, path, size):
    make_plan(size=size)
    separator = "&" if "?" in path else "?"

    with django_assert_max_num_queries(LIST_QUERIES[path]):
        response = client.get(f"{path}{separator}page_size=1000")

    assert response.status_code == 200
    body = response.json()
    rows = body.get("results", body.get("fiches"))
    assert len(rows) >= min(size, 2)
