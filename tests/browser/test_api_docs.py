"""The API documentation (/api/docs/) renders from the application's own files under its
strict Content-Security-Policy: no request leaves the server, no violation is reported."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_with_no_external_request_and_no_csp_violation(page, live_server):
    local = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != local:
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    response = page.goto("/api/docs/")

    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI drew the operations it read from /api/schema/.
    page.wait_for_selector("#operations-fiches-fiche_update", timeout=15000)
    assert page.locator(".opblock").count() >= 9
    page.click("#operations-fiches-fiche_update .opblock-summary")
    page.wait_for_selector("#operations-fiches-fiche_update .responses-table")
    assert "412" in page.locator("#operations-fiches-fiche_update").inner_text()
    assert page.evaluate("window.__cspViolations") == []
    assert outside == []
    assert page.console_errors == []


def test_the_api_root_links_its_endpoints(page):
    page.goto("/api/")

    assert page.locator("h1").inner_text() == "API"
    page.click("a[href$='/api/docs/']")
    page.wait_for_url("**/api/docs/")
    assert page.console_errors == []
