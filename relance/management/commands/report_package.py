"""manage.py report_package CODE FILE: a round's report package as a zip (package.py)."""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.reporting.package import build_package


class Command(BaseCommand):
    help = _(
        "Het rapportpakket van een meetmoment als zip: nota, fichebundel, nota "
        "impactindicatoren, overzicht outputindicatoren (PDF, Nederlands en Engels) en de "
        "cijfers van het dashboard (JSON en CSV)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("het meetmoment (JJJJ-MM)"))
        parser.add_argument("file", help=_("het zipbestand dat het pakket wordt"))

    def handle(self, *args: Any, code: str, file: str, **options: Any) -> None:
        try:
            reporting_round = ReportingRound.objects.get(code=code)
        except ReportingRound.DoesNotExist:
            raise CommandError(_("Onbekend meetmoment: %(round)s") % {"round": code}) from None
        target = Path(file)
        if not target.parent.is_dir():
            raise CommandError(_("Geen map: %(folder)s") % {"folder": target.parent})
        data = build_package(reporting_round, progress=lambda name: self.stdout.write(name))
        # Whole or not at all: written beside the target, then moved in place.
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, target)
        self.stdout.write(
            _("Rapportpakket %(round)s geschreven: %(file)s") % {"round": code, "file": target}
        )
