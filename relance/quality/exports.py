"""The quality page's findings as an xlsx file, as shown: the round, the filters applied
and the date at the top, then one row per finding."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from projects.models import ReportingRound
from projects.spreadsheets import text_cell

from .report import QualityFinding


def findings_workbook(
    reporting_round: ReportingRound, findings: Sequence[QualityFinding], filters: str
) -> FileResponse:
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Bevindingen"))
    sheet.append([_("Kwaliteitscontrole meetmoment %(round)s") % {"round": reporting_round.code}])
    sheet.append([_("Filters"), text_cell(sheet, filters)])
    sheet.append([_("Datum"), today.isoformat()])
    sheet.append([])
    sheet.append(
        [
            _("Regel"),
            _("Ernst"),
            _("Project"),
            _("Beleidsdomein"),
            _("Mijlpaal"),
            _("Bevinding"),
            _("Verklaard"),
            _("Verklaring"),
        ]
    )
    for finding in findings:
        sheet.append(
            [
                finding.rule,
                _("fout") if finding.severity == "error" else _("waarschuwing"),
                finding.project.code,
                finding.project.domain.code,
                finding.milestone,
                text_cell(sheet, finding.message),
                _("ja") if finding.explained else _("nee"),
                text_cell(sheet, finding.note.comment) if finding.note else "",
            ]
        )
    # FileResponse closes the file once it is sent; the system removes it then.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"kwaliteit-{reporting_round.code}-{today.isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
