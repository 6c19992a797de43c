"""manage.py quality_check CODE [--json]: a round's quality findings (interfaces.md)."""

import json
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.quality.report import round_findings


class Command(BaseCommand):
    help = _(
        "De kwaliteitscontrole van een meetmoment: wat de regels vinden, per regel; als tekst "
        "of als JSON. Eindigt met 0, wat er ook gevonden wordt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("het meetmoment (JJJJ-MM)"))
        parser.add_argument("--json", action="store_true", help=_("als JSON (interfaces.md)"))

    def handle(self, *args: Any, code: str, json: bool, **options: Any) -> None:
        reporting_round = ReportingRound.objects.filter(code=code).first()
        if reporting_round is None:
            raise CommandError(_("Onbekend meetmoment: %(round)s") % {"round": code})
        findings = round_findings(reporting_round)
        if json:
            data = {"round": code, "findings": [finding.as_json() for finding in findings]}
            self.stdout.write(_dumps(data))
            return
        if not findings:
            self.stdout.write(_("Meetmoment %(round)s: geen bevindingen.") % {"round": code})
            return
        counted = sum(1 for finding in findings if not finding.explained)
        self.stdout.write(
            _("Meetmoment %(round)s: %(count)s bevindingen, waarvan %(open)s niet verklaard.")
            % {"round": code, "count": len(findings), "open": counted}
        )
        for rule, group in groupby(findings, key=lambda finding: finding.rule):
            self.stdout.write(f"\n{rule}")
            for finding in group:
                level = _("fout") if finding.severity == "error" else _("waarschuwing")
                line = f"  [{level}] {finding.message}"
                if finding.note is not None:
                    line += " " + _("(verklaard: %(comment)s)") % {"comment": finding.note.comment}
                self.stdout.write(line)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
