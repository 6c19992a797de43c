"""The reminders in the browser: a user's own choice (/account/) and the coordinators' log
of who was reminded of what (/reminders/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from projects.http import AuthenticatedRequest
from projects.permissions import can_review
from projects.tokens import token_of
from projects.views_tokens import RotateTokenForm

from . import reminders
from .forms import ReminderSettingsForm
from .models import ReminderLog
from .permissions import can_edit_own_domains, can_view_reminder_log

LOG_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own settings: reminders on or off, the mail's language, and
    their API token (made and rotated by ``projects.views_tokens``)."""
    user = request.user
    form = ReminderSettingsForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            form.save(commit=False)
            user.save(update_fields=["reminders_enabled", "language"])
            messages.success(request, _("Uw instellingen zijn bewaard."))
            return redirect("account")
        status = 400
    else:
        status = 200
    context = {
        "form": form,
        "domains": (
            list(user.domains.order_by("code").values_list("code", flat=True))
            if can_edit_own_domains(user)
            else []
        ),
        "coordinator": can_review(user),
        "may_view_log": can_view_reminder_log(user),
        # The page is the user's own: their API token is shown to them and no one else.
        "api_token": token_of(user),
        "rotate_form": RotateTokenForm(),
    }
    return render(request, "milestones/reminder_settings_form.html", context, status=status)


@require_GET
def reminder_log(request: AuthenticatedRequest) -> HttpResponse:
    """Every reminder sent, newest first: who, about what, at which stage, when."""
    if not can_view_reminder_log(request.user):
        raise PermissionDenied
    logs = ReminderLog.objects.select_related("recipient")
    page = Paginator(logs, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "milestones/reminderlog_list.html",
        {"page": page, "lines": reminders.describe(list(page.object_list))},
    )
