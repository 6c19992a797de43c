"""The admin site: reference data and users for admins, a read-only plan for coordinators.

Closed rounds are read-only here as everywhere (the database refuses it anyway). The admin
site imports nothing: the plan comes in as the whole workbook, checked as a whole, all or
nothing (relance/workbook). It exports the selected rows as the workbook's sheet
(relance/admin.py adds that action to each ``PlanAdmin``).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Cluster, Fiche, PolicyDomain, Project, ReportingRound, Speerpunt, User
from .models.users import Role
from .permissions import can_export_workbook


class PlanAdmin(admin.ModelAdmin):
    """A model of the plan: its rows export as the plan workbook's sheet, for those the
    workbook roles allow (the action's ``export`` permission)."""

    def has_export_permission(self, request: HttpRequest) -> bool:
        return can_export_workbook(request.user)


class ReadOnlyAdmin:
    """Admin mixin, first in the bases: rows looked at here, never added, changed or
    deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoundDataReadOnly(ReadOnlyAdmin):
    """What a round reports (fiches, their money, milestone statuses) is looked at here and
    exported, never written. It changes through the fiche form, which checks versions and
    logs the review, or through the workbook import, which is all or nothing."""


@admin.register(PolicyDomain)
class PolicyDomainAdmin(PlanAdmin):
    list_display = ["code", "name", "active_until", "merged_into"]
    search_fields = ["code", "name"]


@admin.register(Speerpunt)
class SpeerpuntAdmin(PlanAdmin):
    list_display = ["number", "name", "name_en"]
    search_fields = ["name", "name_en"]


@admin.register(Cluster)
class ClusterAdmin(PlanAdmin):
    list_display = ["number", "name", "speerpunt"]
    list_filter = ["speerpunt"]
    list_select_related = ["speerpunt"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(PlanAdmin):
    list_display = ["code", "title", "cluster", "domain", "budget_eur", "is_rrf", "is_demo"]
    list_filter = ["cluster__speerpunt", "domain", "is_rrf", "is_demo"]
    list_select_related = ["cluster", "domain"]
    search_fields = ["code", "title", "entity"]
    autocomplete_fields = ["cluster", "domain"]
    # Leaving the plan has its rules (a closed round keeps its fiches): the project page's
    # action applies them (relance.services.leave_plan).
    readonly_fields = ["left_plan_from", "left_plan_reason"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(PlanAdmin):
    list_display = ["code", "name", "reference_date", "deadline", "state"]
    list_filter = ["state"]
    search_fields = ["code", "name"]
    readonly_fields = ["state", "closed_at", "closed_by", "close_reason"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        closed = obj is not None and obj.is_closed
        return not closed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        closed = obj is not None and obj.is_closed
        return not closed and super().has_delete_permission(request, obj)


@admin.register(Fiche)
class FicheAdmin(RoundDataReadOnly, PlanAdmin):
    list_display = ["project", "round", "status", "review_state", "updated_at"]
    list_filter = ["round", "status", "review_state", "project__domain"]
    list_select_related = ["project", "round"]
    search_fields = ["project__code", "project__title"]


class RoleAwareUserChangeForm(UserChangeForm):
    """The rules of ``assign_role`` for the admin site: one role; an editor has a domain."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        roles = [group.name for group in cleaned.get("groups", []) if group.name in Role.values]
        if len(roles) > 1:
            self.add_error("groups", _("Kies één rol: %(roles)s.") % {"roles": ", ".join(roles)})
        if Role.EDITOR in roles and not cleaned.get("domains"):
            self.add_error("domains", _("Een redacteur hoort bij minstens één beleidsdomein."))
        if cleaned.get("domains") and Role.EDITOR not in roles:
            self.add_error("domains", _("Alleen een redacteur hoort bij beleidsdomeinen."))
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = RoleAwareUserChangeForm
    list_display = ["username", "email", "first_name", "last_name", "is_active", "role_display"]
    list_filter = ["groups", "is_active", "domains"]
    filter_horizontal = ["groups", "user_permissions", "domains"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Relance"), {"fields": ("domains", "language", "reminders_enabled")}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Admins manage roles; only a superuser hands out superuser rights or loose permissions.
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ("is_superuser", "user_permissions")
        return readonly

    @admin.display(description=_("rol"))
    def role_display(self, obj: User) -> str:
        return str(obj.role.label) if obj.role else "—"
