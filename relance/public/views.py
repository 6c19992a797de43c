"""/public/…: the public dashboard, the project list it links to and a project's published
record. Anyone may read them; they show the closed rounds only, and are cached per closed
round (relance.public.cache): a repeated page costs one query, the list of closed rounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.models import Fiche
from relance.opendata.queries import published_rounds
from relance.reporting.dashboard import DashboardFilterForm, build_dashboard

from .cache import cached, rounds_signature
from .dashboard import plan_choices, public_scope
from .listing import CountedPaginator, PublicProjectFilter, published_projects
from .record import published_record

PAGE = "public/page.html"


def _body(template: str, context: dict[str, Any]) -> str:
    """A page's body, without the request: nothing in it belongs to one visitor."""
    return render_to_string(
        template,
        {
            **context,
            "licence": settings.RELANCE_OPEN_DATA_LICENCE,
            "open_data_url": reverse("open-data"),
        },
    )


def _page(request: HttpRequest, title: str, body: str, *, charts: bool) -> HttpResponse:
    """The cached ``body`` in the page around it (the header, the language switch), which is
    rendered per request: it holds the visitor's own CSRF token."""
    return render(
        request,
        PAGE,
        {"title": title, "body": mark_safe(body), "charts": charts},  # noqa: S308 (our HTML)
    )


def dashboard_body(query: Mapping[str, str]) -> tuple[str, bool]:
    """The public dashboard's body for the filters in ``query`` (``round``, ``speerpunt``,
    ``domain``, ``rrf``, ``clusters``), in the current language, from the cache when it
    holds it; and whether it has charts. Nothing in it belongs to one visitor: a closed
    round's is warmed at its close (relance/closed_rounds.py)."""
    rounds = list(published_rounds())
    signature = rounds_signature(rounds)
    choices = plan_choices(rounds)
    form = DashboardFilterForm(
        query, rounds=rounds, speerpunten=choices.speerpunten, domains=choices.domains
    )
    chosen = form.scope()
    if chosen is None:
        return _body("public/_dashboard.html", {"dashboard": None}), False
    scope = public_scope(chosen)
    # The heat map's table of every cluster (a country's thousands), when asked for.
    all_clusters = query.get("clusters") == "1"

    def build() -> str:
        names = {s.number: s.display_name for s in choices.speerpunten}
        dashboard = build_dashboard(scope, rounds, names, all_clusters=all_clusters)
        return _body("public/_dashboard.html", {"form": form, "dashboard": dashboard})

    parts = [signature, scope.round.code, scope.speerpunt, scope.domain, scope.rrf_only]
    parts.append(all_clusters)
    return cached("dashboard", parts, build), True


@login_not_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard of a closed round (``?round=CODE``, the latest by default), for the whole
    plan or part of it (``speerpunt``, ``domain``, ``rrf``)."""
    body, charts = dashboard_body(request.GET)
    return _page(request, _("Publiek dashboard"), body, charts=charts)


@login_not_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects of a closed round, as the dashboard's tiles, bars and cells filter them,
    a page at a time (``?page=N``): their number is kept in the cache with the filters, and
    each page's body, so that a page read before costs the one query of the closed rounds
    and a new one two more (its fiches' ids, then those fiches)."""
    rounds = list(published_rounds())
    choices = plan_choices(rounds)
    form = PublicProjectFilter(request.GET, rounds=rounds, choices=choices)
    chosen = form.chosen()
    parts = [getattr(p, "code", p) for p in [rounds_signature(rounds), *(chosen or {}).values()]]
    fiches = published_projects(**chosen) if chosen else Fiche.objects.none()
    paginator = CountedPaginator(fiches, cached("project-count", parts, fiches.count))
    number = paginator.number(request.GET.get("page"))

    def build() -> str:
        page = paginator.page(number)
        return _body(
            "public/_project_list.html",
            {
                "form": form,
                "page": page,
                "fiches": list(page.object_list),
                "page_range": list(paginator.get_elided_page_range(number)),
                "query": form.query(),
                "round": chosen["reporting_round"] if chosen else None,
            },
        )

    body = cached("projects", [*parts, number], build)
    return _page(request, _("Projecten"), body, charts=False)


@login_not_required
@require_GET
def project_record(request: HttpRequest, code: str) -> HttpResponse:
    """A project's published record; 404 for a project no closed round holds."""
    rounds = list(published_rounds())

    def build() -> tuple[str, str]:
        record = published_record(code)
        body = _body("public/_project.html", {"record": record})
        return f"{record.project.code} · {record.project.title}", body

    title, body = cached("project", [rounds_signature(rounds), code], build)
    return _page(request, title, body, charts=True)
