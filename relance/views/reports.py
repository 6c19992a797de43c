"""A round's comparison with the round before, and its progress report (page and PDF).

Who sees what: the figures of closed rounds for every signed-in user, those of the open
round for those who may read all of its fiches (relance.reporting.access); anything else
is 404, so that no page shows what it holds.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from projects.http import AuthenticatedRequest
from projects.models import Speerpunt
from relance.reporting.access import may_see_figures, reportable_round, rrf_only
from relance.reporting.comparison import compare_rounds
from relance.reporting.pdf import cached_pdf, render_pdf
from relance.reporting.report import Report, build_report

# The report speaks Dutch, like the published reports (see relance.reporting.report).
REPORT_LANGUAGE = "nl"
# A speerpunt number is a PositiveSmallIntegerField: at most five digits.
SPEERPUNT_DIGITS = 5


@require_GET
def round_compare(request: AuthenticatedRequest, code: str) -> HttpResponse:
    reporting_round = reportable_round(request.user, code)
    previous = reporting_round.previous()
    if previous is not None and not may_see_figures(request.user, previous):
        raise Http404("The previous round is not for this user.")
    comparison = compare_rounds(reporting_round, rrf_only=rrf_only(request.GET))
    return render(request, "relance/round_compare.html", {"comparison": comparison})


def _report(request: AuthenticatedRequest, code: str) -> Report:
    reporting_round = reportable_round(request.user, code)
    number = request.GET.get("speerpunt")
    speerpunt = None
    if number:
        # Only ASCII digits that a speerpunt number can hold reach the database ("²" is a
        # digit to str.isdigit() but no number to int()): anything else is no speerpunt.
        known = number.isascii() and number.isdigit() and len(number) <= SPEERPUNT_DIGITS
        speerpunt = Speerpunt.objects.filter(number=int(number)).first() if known else None
        if speerpunt is None:
            raise Http404("No such speerpunt.")
    return build_report(reporting_round, speerpunt=speerpunt, rrf_only=rrf_only(request.GET))


def _filename(report: Report) -> str:
    part = f"-speerpunt-{report.speerpunt.number}" if report.speerpunt else ""
    part += "-rrf" if report.rrf_only else ""
    return f"voortgangsrapport-{report.round.code}{part}.pdf"


@require_GET
def round_report(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The progress report as a printable page."""
    with translation.override(REPORT_LANGUAGE):
        report = _report(request, code)
        return render(request, "relance/report.html", {"report": report, "pdf": False})


@require_GET
def round_report_pdf(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The progress report as a PDF, from the same template as the page."""
    with translation.override(REPORT_LANGUAGE):
        report = _report(request, code)
        html = render_to_string(
            "relance/report.html", {"report": report, "pdf": True}, request=request
        )
    name = _filename(report).removesuffix(".pdf")
    pdf = cached_pdf(html, name=name) if report.round.is_closed else render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report)}"'
    return response
