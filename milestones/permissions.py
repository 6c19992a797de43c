"""Who may see what of the reminders; the role rules themselves live in projects.permissions."""

from __future__ import annotations

from typing import Any

from projects.permissions import can_manage_rounds, can_review


def can_view_reminder_log(user: Any) -> bool:
    """See who was reminded of what: the coordinators and admins."""
    return can_review(user) or can_manage_rounds(user)


def can_edit_own_domains(user: Any) -> bool:
    """An editor: reminded of their own domains' fiches and milestones."""
    return bool(user and user.is_active and user.has_perm("projects.edit_own_domain_fiche"))
