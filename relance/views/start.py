"""Where each role starts: after signing in, coordinators land on the open round's review
desk and admins on their home (imports and users); everyone else on the dashboard, which
stays one click away from both."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import (
    Fiche,
    ReportingRound,
    User,
)
from projects.permissions import (
    can_import_workbook,
    can_review,
    can_see_system_health,
    has_own_fiches,
)
from relance.audit.channels import REASONS, Channel
from relance.models import WorkbookUpload
from relance.notices import notices_for

RECENT = 8


def is_admin(user: object) -> bool:
    """The admin's home is for those who import workbooks and manage the users."""
    return can_import_workbook(user) and can_see_system_health(user)


@require_GET
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Where signing in lands: each role where its work is. Admins on their home, coordinators
    on the open round's review desk, editors on "Mijn fiches" of the open round; everyone
    else, and everyone between rounds, on the dashboard."""
    if is_admin(request.user):
        return redirect("admin-home")
    if can_review(request.user):
        open_round = ReportingRound.objects.open().first()
        if open_round is not None:
            return redirect("rounds:desk", open_round.code)
    if has_own_fiches(request.user) and ReportingRound.objects.open().exists():
        return redirect("my-fiches")
    return redirect("home")


@require_GET
def admin_home(request: AuthenticatedRequest) -> HttpResponse:
    """The admin's home: the workbooks waiting for confirmation, the recent imports (the
    fiches each wrote, by minute and admin, from the fiches' history), the users by role."""
    if not is_admin(request.user):
        raise PermissionDenied
    imports = (
        Fiche.history.filter(history_change_reason=REASONS[Channel.IMPORT])
        .annotate(at=TruncMinute("history_date"))
        .values("at", "history_user__username")
        .annotate(fiches=Count("id", distinct=True))
        .order_by("-at")[:RECENT]
    )
    roles = (
        User.objects.filter(is_active=True)
        .values("groups__name")
        .annotate(count=Count("pk"))
        .order_by("groups__name")
    )
    context = {
        "uploads": WorkbookUpload.objects.select_related("owner")[:RECENT],
        "imports": list(imports),
        "roles": list(roles),
        "recent_users": User.objects.filter(last_login__isnull=False).order_by("-last_login")[
            :RECENT
        ],
        "open_round": ReportingRound.objects.open().first(),
        "notices": notices_for(request.user),
    }
    return render(request, "relance/admin_home.html", context)
