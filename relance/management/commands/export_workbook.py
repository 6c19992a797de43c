"""manage.py export_workbook FILE [--round CODE]: the plan workbook out."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.workbook import export_workbook


class Command(BaseCommand):
    help = _("Schrijft het plan als werkboek (workbook.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("het .xlsx-bestand om te schrijven"))
        parser.add_argument(
            "--round",
            dest="round_code",
            metavar="CODE",
            help=_("alleen de rapportering van dit meetmoment (JJJJ-MM)"),
        )

    def handle(self, *args: Any, file: Path, round_code: str | None, **options: Any) -> None:
        try:
            with file.open("wb") as target:
                export_workbook(target, round_code=round_code)
        except ReportingRound.DoesNotExist:
            file.unlink(missing_ok=True)
            raise CommandError(
                _("Onbekend meetmoment: %(round)s") % {"round": round_code}
            ) from None
        except OSError as error:
            raise CommandError(
                _("Kan %(file)s niet schrijven: %(error)s")
                % {"file": file, "error": error.strerror}
            ) from None
        self.stdout.write(_("Werkboek geschreven: %(file)s") % {"file": file})
