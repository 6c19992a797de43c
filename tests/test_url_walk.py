"""Every URL of the application, walked as an admin and anonymously.

Each URL pattern's path parameters are filled with real objects of a small plan; then every
GET parameter its view reads (recorded while it answers: per_page, page, sort, speerpunt,
round, the filters, the admin's q/o/p …) is given odd values one at a time: negative, huge,
non-ASCII digits, empty, text, a NUL. None of it may answer 500.

The same walk checks that only public data, asked for anonymously, may be kept by a
browser or a proxy: every other response says ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import get_max_age

from projects.models import FollowUpAction
from projects.models.users import Role
from relance.middleware import PUBLIC_PREFIXES
from relance.models import WorkbookUpload
from tests.factories import UserFactory
from tests.relance.reporting_plan import build_plan

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "-5",
    "0",
    "99999999999999999999",
    "²",
    "٣",
    "",
    "abc",
    "1.5",
    "\x00",
    "2023-13-45",
    "<b>é</b>",
]
# The admin's change lists read their parameters by iterating over them (each one a filter).
ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_changelist_filters"]
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


ROUTES = sorted(
    {route for route in _routes(get_resolver().url_patterns) if not route.startswith("admin/")}
)


ASKED: set[str] = set()


class RecordingQueryDict(QueryDict):
    """request.GET that remembers (in ASKED) the names its view asked for."""

    asked = ASKED

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


def recording_middleware(get_response):
    def middleware(request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        return get_response(request)

    return middleware


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [f"{__name__}.recording_middleware", *settings.MIDDLEWARE]
    # As in production, long work (reports, packages, exports) is queued for a worker: the
    # walk is about how the views read their parameters, not the documents, which their
    # own tests build (a queued build is never sent: the test's transaction never commits).
    settings.RELANCE_TASKS_IN_PROCESS = False
    ASKED.clear()
    return ASKED


@pytest.fixture
def plan():
    plan = build_plan(size=3)
    admin_user = UserFactory(role=Role.ADMIN)
    upload = WorkbookUpload.objects.create(
        owner=admin_user, filename="plan.xlsx", file=ContentFile(b"PK", name="plan.xlsx")
    )
    return {
        "plan": plan,
        "admin": admin_user,
        "project": plan.projects[0].code,
        "round": plan.opened.code,
        "closed_round": plan.second.code,
        "action": FollowUpAction.objects.first().pk,
        "upload": upload.pk,
    }


def fill(route: str, plan: dict) -> str:
    """The route with each path parameter replaced by a real object's key."""

    def value(match: re.Match) -> str:
        name = match["name"]
        if name == "code":
            if "project" in route.split("<")[0] and not route.startswith("api/rounds"):
                return plan["project"]
            if route.startswith(("api/", "open-data/", "public/")):
                return plan["closed_round"]
            return plan["round"]
        if name == "pk":
            return str(plan["upload"] if route.startswith("imports/") else plan["action"])
        if match["converter"] == "int":
            return "1"
        return "x"

    return "/" + CONVERTER.sub(value, route)


ADMIN_MODELS = sorted(model._meta.label for model in admin.site._registry)


def admin_urls(label: str) -> list[str]:
    """The admin site's pages of the model ``label``; or its index and its apps' indexes."""
    if label == "index":
        return [
            "/admin/",
            *sorted({f"/admin/{model._meta.app_label}/" for model in admin.site._registry}),
        ]
    model = apps.get_model(label)
    meta = model._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    urls = [base, f"{base}add/"]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        urls += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    return urls


def assert_no_server_error(client, url: str, params: dict[str, str]) -> None:
    response = client.get(url, params)
    if response.status_code == 503 and response.has_header("Retry-After"):
        return  # the open data zip, queued for a worker: "come back soon", not an error
    assert response.status_code < 500, f"{url} {params!r}: {response.status_code}"


def walk(client, url: str, recording: set[str], extra: list[str] = ()) -> None:
    recording.clear()
    assert_no_server_error(client, url, {})
    for name in sorted(recording | set(extra)):
        for odd in ODD_VALUES:
            assert_no_server_error(client, url, {name: odd})


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_odd_parameters_never_give_a_server_error(client, plan, recording, route, who):
    if who == "admin":
        client.force_login(plan["admin"])
    walk(client, fill(route, plan), recording)


@pytest.mark.parametrize("label", ["index", *ADMIN_MODELS])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_odd_parameters_never_give_a_server_error_in_the_admin_site(
    client, plan, recording, who, label
):
    if who == "admin":
        client.force_login(plan["admin"])
    for url in admin_urls(label):
        walk(client, url, recording, extra=ADMIN_PARAMETERS if url.count("/") == 4 else [])


def test_the_walk_finds_the_parameters_the_views_read(client, plan, recording):
    """The recorder sees what the lists and the report read, so the walk tries them."""
    client.force_login(plan["admin"])
    for url in ("/", "/projects/", "/milestones/", f"/rounds/{plan['round']}/report/"):
        client.get(url)
    assert {"per_page", "page", "sort", "speerpunt", "round"} <= recording


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_only_public_data_may_be_kept_by_a_cache(client, plan, route, who):
    if who == "admin":
        client.force_login(plan["admin"])
    url = fill(route, plan)
    response = client.get(url)
    cache_control = response.get("Cache-Control", "")
    if who == "anonymous" and url.startswith(PUBLIC_PREFIXES):
        assert "no-store" not in cache_control, url
    else:
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url
        assert "public" not in cache_control, url
        assert not get_max_age(response), url


def test_an_api_token_makes_open_data_private(client, plan):
    response = client.get("/api/projects/", HTTP_AUTHORIZATION="Token abc")
    assert "no-store" in response.get("Cache-Control", "")
