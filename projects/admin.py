"""The admin site: reference data and users for admins, a read-only plan for coordinators.

Closed rounds are read-only here as everywhere (the database refuses it anyway). The admin
site imports nothing: the plan comes in as the whole workbook, checked as a whole, all or
nothing (relance/workbook). It exports the selected rows as the workbook's sheet
(relance/admin.py adds that action to each ``PlanAdmin``).
"""

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
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


SUPERUSER_ONLY_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class RoleAwareUserChangeForm(UserChangeForm):
    """The rules of ``assign_role`` for the admin site: one role; an editor has a domain."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Groups are read-only to an admin who is no superuser: the user's own then count.
        groups = cleaned["groups"] if "groups" in self.fields else self.instance.groups.all()
        roles = [group.name for group in groups if group.name in Role.values]
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
    actions = ["unlock"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Relance"), {"fields": ("domains", "language", "reminders_enabled")}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser grants rights: staff, superuser, a role (a group) or permissions.
        # An admin who is no superuser keeps the rest: names, e-mail, domains, active, password.
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += SUPERUSER_ONLY_FIELDS
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changing a superuser (their password, their e-mail for a reset) would be taking
        # their place: only another superuser may. The password form asks this too.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Aanmeldblokkering opheffen"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        """Lift the lockout (django-axes) of the selected users' names."""
        names = list(queryset.values_list("username", flat=True))
        for name in names:
            axes_reset(username=name)
        self.message_user(
            request,
            _("Aanmelden is weer mogelijk voor: %(names)s.") % {"names": ", ".join(names)},
        )

    @admin.display(description=_("rol"))
    def role_display(self, obj: User) -> str:
        return str(obj.role.label) if obj.role else "—"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """The roles' groups: their permissions are the roles' (projects/roles.py, set again
    after every migrate); only a superuser changes them between."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
