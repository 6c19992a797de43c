"""manage.py send_reminders [--today YYYY-MM-DD]: the reminder scan, now."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from milestones.reminders import send_reminders


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Geen datum (JJJJ-MM-DD): %(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = _(
        "Verstuurt de herinneringen van vandaag: dezelfde scan als de dagelijkse Celery-taak. "
        "Twee keer draaien verstuurt niets twee keer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help=_("de dag van de scan (JJJJ-MM-DD); standaard vandaag"))

    def handle(self, *args: Any, today: str | None, **options: Any) -> None:
        day = _date(today) if today else timezone.localdate()
        result = send_reminders(today=day)
        self.stdout.write(
            ngettext(
                "%(day)s: %(digests)s e-mail verstuurd, herinneringen: %(reminders)s.",
                "%(day)s: %(digests)s e-mails verstuurd, herinneringen: %(reminders)s.",
                result.digests,
            )
            % {"day": day.isoformat(), "digests": result.digests, "reminders": result.reminders}
        )
        if result.failed:
            raise CommandError(
                ngettext(
                    "%(failed)s e-mail kon niet verstuurd worden; de volgende scan probeert "
                    "opnieuw.",
                    "%(failed)s e-mails konden niet verstuurd worden; de volgende scan probeert "
                    "opnieuw.",
                    result.failed,
                )
                % {"failed": result.failed}
            )
