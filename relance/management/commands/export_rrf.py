"""manage.py export_rrf CODE FILE: a round's RRF projects in the Scoreboard's layout."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.rrf.files import FORMATS, scoreboard_file
from relance.rrf.scoreboard import scoreboard_rows


class Command(BaseCommand):
    help = _(
        "De RRF-mijlpalen en -doelen van een meetmoment in de kolommen van het Recovery and "
        "Resilience Scoreboard, als .xlsx of .csv (volgens de extensie van FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("het meetmoment (JJJJ-MM)"))
        parser.add_argument("file", help=_("het bestand: .xlsx of .csv"))

    def handle(self, *args: Any, code: str, file: str, **options: Any) -> None:
        path = Path(file)
        file_format = path.suffix.lower().removeprefix(".")
        if file_format not in FORMATS:
            raise CommandError(_("%(file)s: de extensie moet .xlsx of .csv zijn") % {"file": file})
        reporting_round = ReportingRound.objects.filter(code=code).first()
        if reporting_round is None:
            raise CommandError(_("Onbekend meetmoment: %(round)s") % {"round": code})
        rows = scoreboard_rows(reporting_round, load_date=timezone.localdate())
        try:
            path.write_bytes(scoreboard_file(rows, file_format))
        except OSError as error:
            raise CommandError(
                _("%(file)s: kan niet schrijven (%(reason)s)")
                % {"file": file, "reason": error.strerror or error}
            ) from None
        self.stdout.write(
            _("%(count)s rijen van meetmoment %(round)s geschreven naar %(file)s")
            % {"count": len(rows), "round": code, "file": file}
        )
