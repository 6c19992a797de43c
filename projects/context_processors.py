"""What the navigation needs to know about the signed-in user, asked once per request."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import permissions


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)

    def answers() -> dict[str, bool]:
        return {
            "manage_rounds": permissions.can_manage_rounds(user),
            "review": permissions.can_review(user),
            "own_fiches": permissions.has_own_fiches(user),
            "export_workbook": permissions.can_export_workbook(user),
            "import_workbook": permissions.can_import_workbook(user),
            "audit": permissions.can_read_audit(user),
            "admin_site": bool(user and user.is_active and user.is_staff),
            # The second factor's page, for coordinators and admins where it is required.
            "second_factor": bool(
                settings.RELANCE_REQUIRE_TWO_FACTOR and user and user.is_active and user.is_staff
            ),
        }

    return {"may": SimpleLazyObject(answers)}
