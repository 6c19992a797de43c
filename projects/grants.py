"""What a user's role grants, read from the user alone: the predicates that the querysets'
visibility rules (``visible_to``) need.

This module imports no model, so that the models can use it and permissions.py, which
imports the models, can re-export it: every predicate is still found in permissions.py.
"""

from __future__ import annotations

from typing import Any


def is_active_user(user: Any) -> bool:
    """Signed in and not deactivated: every predicate answers False for anyone else."""
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_rounds(user: Any) -> bool:
    """Create, open and close reporting rounds; see draft rounds."""
    return is_active_user(user) and user.has_perm("projects.manage_round")


def can_review(user: Any) -> bool:
    """Approve or return fiches, flag projects orange or red."""
    return is_active_user(user) and user.has_perm("projects.review_fiche")


def can_read_all_open_fiches(user: Any) -> bool:
    """Read every domain's fiches of the open round."""
    return is_active_user(user) and (
        user.has_perm("projects.edit_any_fiche") or user.has_perm("projects.review_fiche")
    )


def can_read_open_round(user: Any) -> bool:
    """Read at least some fiches of the open round: coordinators, and editors with a domain."""
    return can_read_all_open_fiches(user) or (
        is_active_user(user)
        and user.has_perm("projects.edit_own_domain_fiche")
        and bool(user.editable_domain_ids)
    )


def has_own_fiches(user: Any) -> bool:
    """Reports for the fiches of their own domains: an editor with a domain (the
    "Mijn fiches" page; coordinators and admins work from the round's pages)."""
    return (
        is_active_user(user)
        and user.has_perm("projects.edit_own_domain_fiche")
        and not user.has_perm("projects.edit_any_fiche")
        and bool(user.editable_domain_ids)
    )
