"""/rounds/<code>/rrf.xlsx and .csv: the round's RRF projects in the Scoreboard's layout.

Who may: as for the round's figures (relance.reporting.access): a closed round's for every
signed-in user, since open data publishes the same facts; the open round's only for those
who may read all of its fiches (coordinators, admins). Anything else is 404.
"""

from __future__ import annotations

from django.http import HttpResponseBase
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from relance.models import ArtefactKind
from relance.reporting.access import reportable_round
from relance.views.artefacts import artefact_response

from .files import filename


@require_GET
def rrf_export(request: AuthenticatedRequest, code: str, file_format: str) -> HttpResponseBase:
    """Built outside the request (relance/artefacts): served at once when it is ready (a
    closed round's is kept), else its progress page."""
    reporting_round = reportable_round(request.user, code)
    return artefact_response(
        request,
        kind=ArtefactKind.SCOREBOARD,
        reporting_round=reporting_round,
        parameters={"format": file_format},
        filename=filename(reporting_round, file_format),
    )
