"""manage.py import_workbook FILE [--dry-run]: the plan workbook in, all or nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from relance.workbook import import_workbook


class Command(BaseCommand):
    help = _(
        "Importeert een werkboek van het plan (workbook.md): alles of niets. Toont per "
        "werkblad wat nieuw, gewijzigd en ongewijzigd is, of elke fout als "
        "werkblad!rij: kolom: melding."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("het .xlsx-bestand"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("alleen controleren en tonen wat er zou veranderen; niets schrijven"),
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            source = file.open("rb")
        except OSError as problem:
            raise CommandError(
                _("Kan %(file)s niet openen: %(error)s") % {"file": file, "error": problem.strerror}
            ) from None
        with source:
            result = import_workbook(source, dry_run=dry_run, filename=file.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            # One line per error and nothing else: exit 1, as interfaces.md promises.
            sys.exit(1)
        if dry_run:
            self.stdout.write(_("Proefimport: er is niets geschreven."))
        for sheet in result.sheets:
            self.stdout.write(
                _("%(sheet)s: %(created)s nieuw, %(updated)s gewijzigd, %(unchanged)s ongewijzigd")
                % {
                    "sheet": sheet.name,
                    "created": sheet.created,
                    "updated": sheet.updated,
                    "unchanged": sheet.unchanged,
                }
            )
        for code in result.closed_rounds:
            self.stdout.write(_("Meetmoment %(round)s gesloten.") % {"round": code})
        for code in result.opened_rounds:
            self.stdout.write(_("Meetmoment %(round)s geopend.") % {"round": code})
        for warning in result.warnings:
            self.stdout.write(_("waarschuwing: %(warning)s") % {"warning": warning})
