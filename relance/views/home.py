"""Plan-wide pages: the dashboard and the health check."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import PolicyDomain, Project, ReportingRound, Speerpunt
from projects.permissions import can_see_system_health
from relance.health import check_database, check_redis
from relance.reporting.access import reportable_rounds
from relance.reporting.dashboard import DashboardFilterForm, build_dashboard
from relance.summary.cache import kept, version_key
from relance.summary.version import data_version


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard of a round (``?round=CODE``, the latest closed one by default), for the
    whole plan or part of it (``speerpunt``, ``domain``, ``rrf``); below it, the plan's
    structure and its rounds."""
    # The plan's structure and totals change with the data version only.
    version = data_version()
    speerpunten, totals = kept(
        version_key("plan-totals", version),
        lambda: (
            list(Speerpunt.objects.with_totals().order_by("number")),
            Project.objects.totals(),
        ),
    )
    shown = list(reportable_rounds(request.user))
    form = DashboardFilterForm(
        request.GET,
        rounds=shown,
        speerpunten=speerpunten,
        domains=list(PolicyDomain.objects.order_by("code")),
    )
    scope = form.scope()
    names = {speerpunt.number: speerpunt.display_name for speerpunt in speerpunten}
    all_clusters = request.GET.get("clusters") == "1"  # a country's thousands
    rounds = list(ReportingRound.objects.visible_to(request.user))
    return render(
        request,
        "relance/home.html",
        {
            "form": form,
            "dashboard": (
                build_dashboard(scope, shown, names, version=version, all_clusters=all_clusters)
                if scope
                else None
            ),
            # The figures' HTML (all but the filters) is kept under what it is made of: the
            # dashboard's inputs above (the data version, the scope, the rounds the user may
            # see) and the language of their words and numbers; the day, should a figure
            # ever count from today.
            "dashboard_key": (
                version_key(
                    "dashboard-html",
                    version,
                    get_language(),
                    scope.round.pk,
                    scope.filters(),
                    [r.pk for r in shown],
                    all_clusters,
                    timezone.localdate(),
                )
                if scope
                else None
            ),
            "speerpunten": speerpunten,
            "totals": totals,
            "rounds": rounds,
            # The plan's structure and the rounds the user may see, as HTML: their data
            # as of the version, in the language of their words, numbers and dates.
            "plan_key": version_key("plan-html", version, get_language(), [r.pk for r in rounds]),
        },
    )


def _plan_totals() -> tuple[list[Speerpunt], dict[str, Any]]:
    return list(Speerpunt.objects.with_totals().order_by("number")), Project.objects.totals()


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """``ok`` or ``error`` for monitoring; 503 when the database is down. Only a signed-in
    admin sees the details (database, Redis), which tell an attacker what runs behind.

    Redis carries only background work, so the application is healthy without it.
    """
    database = check_database()
    body: dict[str, Any] = {"status": "ok" if database["ok"] else "error"}
    if can_see_system_health(request.user):
        body |= {"database": database, "redis": check_redis()}
    return JsonResponse(body, status=200 if database["ok"] else 503)
