"""The four roles as Django groups, kept in step with the permissions they carry.

The groups are synchronised after every ``migrate``, so a new permission reaches its
roles with the migration that brings it. A user has exactly one role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import PolicyDomain, User
from .models.users import Role

PLAN_APPS = ("projects", "milestones", "finance")

# Custom permissions per role; the admin site's model permissions are added below.
_CUSTOM: dict[Role, set[str]] = {
    Role.READER: set(),
    Role.EDITOR: {"projects.edit_own_domain_fiche"},
    Role.COORDINATOR: {
        "projects.edit_any_fiche",
        "projects.review_fiche",
        "projects.manage_round",
        "projects.export_workbook",
    },
}
_CUSTOM[Role.ADMIN] = _CUSTOM[Role.COORDINATOR] | {"projects.import_workbook"}

STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def _model_permissions(role: Role) -> Q:
    """Coordinators see the whole plan in the admin site; admins manage it and its users."""
    plan = Q(content_type__app_label__in=PLAN_APPS)
    if role == Role.COORDINATOR:
        return plan & Q(codename__startswith="view_")
    if role == Role.ADMIN:
        model_perms = Q(codename__regex=r"^(add|change|delete|view)_")
        users = Q(content_type__app_label="auth", codename__endswith="_group")
        return (plan | users) & model_perms
    return Q(pk__in=[])


def permissions_for(role: Role) -> Q:
    wanted = Q(pk__in=[])
    for dotted in _CUSTOM[role]:
        app_label, codename = dotted.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return wanted | _model_permissions(role)


def sync_roles() -> None:
    """Create the role groups and give each exactly its permissions."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(Permission.objects.filter(permissions_for(role)))


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    if sender.name == "projects":
        sync_roles()


class RoleError(ValueError):
    """A role assignment that cannot be right; the message says why, for people."""


@transaction.atomic
def assign_role(*, user: User, role: Role, domains: Iterable[PolicyDomain] = ()) -> None:
    """Make ``role`` the user's only role; editors must answer for at least one domain."""
    domains = list(domains)
    if role == Role.EDITOR and not domains:
        raise RoleError(_("Een redacteur hoort bij minstens één beleidsdomein."))
    sync_roles()
    user.is_staff = role in STAFF_ROLES
    user.save(update_fields=["is_staff"])
    user.groups.set([Group.objects.get(name=role.value)])
    user.domains.set(domains if role == Role.EDITOR else [])
    # The cached answers belong to the old role.
    for cached in (
        "role",
        "editable_domain_ids",
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
    ):
        user.__dict__.pop(cached, None)
