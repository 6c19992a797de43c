"""How a change reached the plan, as its historical record's ``history_change_reason`` says.

A leaf module: the services that write (the fiche form's, the API's, the import's) name
their channel from here, and the audit page reads it back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    FORM = "formulier", _("formulier")
    IMPORT = "import", _("werkboekimport")
    API = "api", _("API")
    OTHER = "overig", _("beheer of andere")


# The change reason each channel records. The import's predates this module.
REASONS: dict[Channel, str] = {
    Channel.FORM: "formulier",
    Channel.IMPORT: "werkboekimport",
    Channel.API: "api",
}
CHANNEL_OF_REASON = {reason: channel for channel, reason in REASONS.items()}


def channel_of(reason: str | None) -> Channel:
    """The channel of a historical record: the admin site, the shell and the plan's own
    workflows (opening a round, say) record no reason and count as OTHER."""
    return CHANNEL_OF_REASON.get(reason or "", Channel.OTHER)
