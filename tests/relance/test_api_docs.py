"""The API's root (/api/) and documentation (/api/docs/, /api/schema/), for anyone."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_lists_its_endpoints_as_json(client):
    response = client.get("/api/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    links = response.json()
    assert links["projects"] == "http://testserver/api/projects/"
    assert links["docs"] == "http://testserver/api/docs/"
    assert links["fiche"] == "http://testserver/api/rounds/{code}/fiches/{project}/"
    for name in ("projects", "rounds", "schema", "docs"):
        assert client.get(links[name]).status_code == 200, name


def test_the_root_is_a_page_for_a_browser(client):
    response = client.get("/api/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'href="http://testserver/api/docs/"' in response.content.decode()


def test_the_docs_page_runs_no_inline_script_or_style(client):
    response = client.get("/api/docs/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in body
    assert "<script>" not in body
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


def test_a_browser_is_shown_the_schema_not_handed_a_download(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="text/html,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["openapi"].startswith("3.")
    yaml = client.get("/api/schema/?format=yaml")
    assert yaml.content.startswith(b"openapi:")
