"""Plan-wide pages: the home page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from projects.models import Project, ReportingRound, Speerpunt
from relance.health import check_database, check_redis


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    speerpunten = Speerpunt.objects.annotate(
        cluster_count=Count("clusters", distinct=True),
        project_count=Count("clusters__projects", distinct=True),
        budget_eur=Sum("clusters__projects__budget_eur"),
    ).order_by("number")
    totals = Project.objects.aggregate(
        cluster_count=Count("cluster", distinct=True),
        project_count=Count("pk"),
        budget_eur=Sum("budget_eur"),
    )
    rounds = ReportingRound.objects.visible_to(request.user)
    return render(
        request,
        "relance/home.html",
        {"speerpunten": speerpunten, "totals": totals, "rounds": rounds},
    )


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database and Redis status for monitoring; 503 when the database is down.

    Redis carries only background work, so the application is healthy without it.
    """
    database, redis_status = check_database(), check_redis()
    return JsonResponse(
        {
            "status": "ok" if database["ok"] else "error",
            "database": database,
            "redis": redis_status,
        },
        status=200 if database["ok"] else 503,
    )
