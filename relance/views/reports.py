"""A round's comparison with the round before, and its progress report (page and PDF).

Who sees what: the figures of closed rounds for every signed-in user, those of the open
round for those who may read all of its fiches (relance.reporting.access); anything else
is 404, so that no page shows what it holds.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import Speerpunt
from relance.artefacts.builders import note_name, report_filename
from relance.models import ArtefactKind
from relance.reporting.access import may_see_figures, reportable_round, rrf_only
from relance.reporting.comparison import compare_rounds
from relance.reporting.indicators import NOTES, indicator_note
from relance.reporting.package import LANGUAGES, note_html, report_html
from relance.reporting.report import Report, build_report
from relance.summary.cache import envelope_chain
from relance.summary.version import data_version
from relance.views.artefacts import artefact_response

# A speerpunt number is a PositiveSmallIntegerField: at most five digits.
SPEERPUNT_DIGITS = 5


@require_GET
def round_compare(request: AuthenticatedRequest, code: str) -> HttpResponse:
    reporting_round = reportable_round(request.user, code)
    # The chain and the comparison come from the cache until the data changes.
    version = data_version()
    chain = envelope_chain(reporting_round, version)  # chain[1] is the previous round
    previous = chain[1] if len(chain) > 1 else None
    if previous is not None and not may_see_figures(request.user, previous):
        raise Http404("The previous round is not for this user.")
    comparison = compare_rounds(
        reporting_round, rrf_only=rrf_only(request.GET), chain=chain, version=version
    )
    return render(request, "relance/round_compare.html", {"comparison": comparison})


def _speerpunt(request: AuthenticatedRequest) -> Speerpunt | None:
    number = request.GET.get("speerpunt")
    if not number:
        return None
    # Only ASCII digits that a speerpunt number can hold reach the database ("²" is a
    # digit to str.isdigit() but no number to int()): anything else is no speerpunt.
    known = number.isascii() and number.isdigit() and len(number) <= SPEERPUNT_DIGITS
    speerpunt = Speerpunt.objects.filter(number=int(number)).first() if known else None
    if speerpunt is None:
        raise Http404("No such speerpunt.")
    return speerpunt


def _report(request: AuthenticatedRequest, code: str) -> Report:
    reporting_round = reportable_round(request.user, code)
    return build_report(
        reporting_round,
        speerpunt=_speerpunt(request),
        rrf_only=rrf_only(request.GET),
        language=_language(),
    )


def _language() -> str:
    """The reader's language if the report has it, else Dutch."""
    language = (translation.get_language() or "nl").split("-")[0]
    return language if language in LANGUAGES else "nl"


@require_GET
def round_report(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The progress report as a printable page, in the reader's language."""
    report = _report(request, code)
    return HttpResponse(report_html(report, pdf=False, language=_language()))


@require_GET
def round_report_pdf(request: AuthenticatedRequest, code: str) -> HttpResponseBase:
    """The progress report as a PDF, from the same template as the page, built outside the
    request (relance/artefacts): served at once when it is ready, else its progress page."""
    reporting_round = reportable_round(request.user, code)
    speerpunt = _speerpunt(request)
    rrf = rrf_only(request.GET)
    number = speerpunt.number if speerpunt else None
    return artefact_response(
        request,
        kind=ArtefactKind.REPORT,
        reporting_round=reporting_round,
        parameters={"speerpunt": number, "rrf": rrf, "language": _language()},
        filename=report_filename(reporting_round.code, speerpunt=number, rrf=rrf),
    )


@require_GET
def indicator_note_page(request: AuthenticatedRequest, code: str, note: str) -> HttpResponse:
    """The impact-indicator note or the output-indicator overview of a round."""
    reporting_round = reportable_round(request.user, code)
    if note not in NOTES:
        raise Http404("No such indicator note.")
    html = note_html(indicator_note(reporting_round, note), pdf=False, language=_language())
    return HttpResponse(html)


@require_GET
def indicator_note_pdf(request: AuthenticatedRequest, code: str, note: str) -> HttpResponseBase:
    """The note as a PDF, built outside the request (relance/artefacts)."""
    reporting_round = reportable_round(request.user, code)
    if note not in NOTES:
        raise Http404("No such indicator note.")
    language = _language()
    return artefact_response(
        request,
        kind=ArtefactKind.NOTE,
        reporting_round=reporting_round,
        parameters={"note": note, "language": language},
        filename=note_name(reporting_round.code, note=note, language=language) + ".pdf",
    )


@require_GET
def round_package(request: AuthenticatedRequest, code: str) -> HttpResponseBase:
    """The round's report package (package.py), a zip, Dutch with English alongside, built
    outside the request (relance/artefacts)."""
    reporting_round = reportable_round(request.user, code)
    return artefact_response(
        request,
        kind=ArtefactKind.PACKAGE,
        reporting_round=reporting_round,
        parameters={},
        filename=f"rapportpakket-{reporting_round.code}.zip",
    )
