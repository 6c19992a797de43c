"""Who may do what: one predicate per rule, so views and templates never repeat a rule.

Roles are Django groups carrying permissions (see roles.py); editors also carry policy
domains. Every predicate answers False for an anonymous or inactive user. The predicates
read from the user alone, which the querysets' visibility rules need too, are written in
grants.py (it imports no model) and re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .grants import can_manage_rounds as can_manage_rounds
from .grants import can_read_all_open_fiches as can_read_all_open_fiches
from .grants import can_read_open_round as can_read_open_round
from .grants import can_review as can_review
from .grants import has_own_fiches as has_own_fiches
from .grants import is_active_user
from .models.fiches import ReviewState

if TYPE_CHECKING:
    from .models import Fiche, FollowUpAction, Project


def can_report_for(user: Any, project: Project) -> bool:
    """Open this project's fiche form at all: its domain's editors, coordinators, admins."""
    if not is_active_user(user):
        return False
    if user.has_perm("projects.edit_any_fiche"):
        return True
    return (
        user.has_perm("projects.edit_own_domain_fiche")
        and project.domain_id in user.editable_domain_ids
    )


def can_edit_fiche(user: Any, fiche: Fiche) -> bool:
    """Fill in and submit this fiche now: only in the open round. Editors of the project's
    domain while it is a draft or returned to them, never a finished project's fiche carried
    forward (it needs no work); coordinators and admins at any stage, a carried fiche too
    (a project taken up again)."""
    if not fiche.round.is_open or not can_report_for(user, fiche.project):
        return False
    if user.has_perm("projects.edit_any_fiche"):
        return True
    return not fiche.carried_forward and fiche.review_state in (
        ReviewState.DRAFT,
        ReviewState.RETURNED,
    )


def can_take_out_of_plan(user: Any) -> bool:
    """Take a project out of the plan's monitoring from a round on: coordinators, admins."""
    return can_manage_rounds(user)


def can_review_fiche(user: Any, fiche: Fiche) -> bool:
    """Approve, return or flag this fiche: coordinators and admins, in the open round."""
    return can_review(user) and fiche.round.is_open


def can_follow_up(user: Any, fiche: Fiche) -> bool:
    """Mark the follow-up actions of this fiche's flag done or open again: in the open round,
    the coordinators and admins, and the editors of the project's domain (whose work the
    actions usually are)."""
    if not fiche.round.is_open:
        return False
    return can_review(user) or can_report_for(user, fiche.project)


def can_update_follow_up(user: Any, action: FollowUpAction) -> bool:
    """Mark this follow-up action done or open again (see ``can_follow_up``)."""
    return can_follow_up(user, action.flag.fiche)


def can_export_workbook(user: Any) -> bool:
    return is_active_user(user) and user.has_perm("projects.export_workbook")


def can_import_workbook(user: Any) -> bool:
    return is_active_user(user) and user.has_perm("projects.import_workbook")


def can_check_quality(user: Any) -> bool:
    """See a round's quality findings and explain them: coordinators and admins."""
    return can_review(user)


def can_see_system_health(user: Any) -> bool:
    """Read /health/'s details (database, Redis): the admins, who manage the users."""
    return is_active_user(user) and user.has_perm("projects.change_user")


def can_read_audit(user: Any) -> bool:
    """Read the audit trail of every change to the plan: coordinators and admins."""
    return is_active_user(user) and user.has_perm("projects.review_fiche")
