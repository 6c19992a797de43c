"""manage.py round_summary CODE [--json]: a round's figures, as the reports give them."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.summary import round_summary, summary_text


class Command(BaseCommand):
    help = _(
        "De cijfers van een meetmoment: projecten per status, mijlpalen, VAK en VEK, in "
        "totaal en per speerpunt; als Nederlandse tekst of als JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("het meetmoment (JJJJ-MM)"))
        parser.add_argument("--json", action="store_true", help=_("als JSON (interfaces.md)"))

    def handle(self, *args: Any, code: str, json: bool, **options: Any) -> None:
        try:
            summary = round_summary(code)
        except ReportingRound.DoesNotExist:
            raise CommandError(_("Onbekend meetmoment: %(round)s") % {"round": code}) from None
        if json:
            self.stdout.write(_dumps(summary.as_json()))
        else:
            self.stdout.write(summary_text(summary))


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
