"""/rounds/<code>/rrf.xlsx and .csv: the round's RRF projects in the Scoreboard's layout.

Who may: as for the round's figures (relance.reporting.access): a closed round's for every
signed-in user, since open data publishes the same facts; the open round's only for those
who may read all of its fiches (coordinators, admins). Anything else is 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from relance.reporting.access import reportable_round

from .files import FORMATS, filename, scoreboard_file
from .scoreboard import scoreboard_rows


@require_GET
def rrf_export(request: AuthenticatedRequest, code: str, file_format: str) -> HttpResponse:
    reporting_round = reportable_round(request.user, code)
    rows = scoreboard_rows(reporting_round, load_date=timezone.localdate())
    name = filename(reporting_round, file_format)
    return HttpResponse(
        scoreboard_file(rows, file_format),
        content_type=FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
