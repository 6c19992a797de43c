"""The page ``/quality/<code>/``: a round's quality findings for the coordinators and the
admins, by rule and by domain, filtered, exported to xlsx as shown; and explaining one."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import ReportingRound
from projects.permissions import can_check_quality

from .exports import findings_workbook
from .forms import ExplainForm, FindingFilter
from .report import FindingGone, explain_finding, round_findings


def _round(request: AuthenticatedRequest, code: str) -> ReportingRound:
    if not can_check_quality(request.user):
        raise PermissionDenied
    return get_object_or_404(ReportingRound.objects.visible_to(request.user), code=code)


@require_GET
def quality_report(request: AuthenticatedRequest, code: str) -> HttpResponse | FileResponse:
    reporting_round = _round(request, code)
    findings = round_findings(reporting_round)
    filters = FindingFilter(findings, request.GET or None)
    shown = filters.apply(findings)
    if request.GET.get("format") == "xlsx":
        return findings_workbook(reporting_round, shown, filters.described())
    by_rule = Counter(f.rule for f in shown)
    by_domain = Counter((f.project.domain.code, f.project.domain.display_name) for f in shown)
    open_by_rule = Counter(f.rule for f in shown if not f.explained)
    open_by_domain = Counter(
        (f.project.domain.code, f.project.domain.display_name) for f in shown if not f.explained
    )
    query = request.GET.copy()
    query["format"] = "xlsx"
    context = {
        "round": reporting_round,
        "filters": filters,
        "findings": shown,
        "total": len(findings),
        "counted": sum(1 for f in shown if not f.explained),
        "rules": [(rule, by_rule[rule], open_by_rule[rule]) for rule in sorted(by_rule)],
        "domains": [
            (code, name, count, open_by_domain[(code, name)])
            for (code, name), count in sorted(by_domain.items())
        ],
        "export_url": f"?{query.urlencode()}",
        "explain_form": ExplainForm(),
        "back": request.get_full_path(),
    }
    return render(request, "relance/quality_report.html", context)


@require_POST
def quality_explain(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Explain a finding: coordinators and admins, with a comment. The facts it holds for
    are the finding's as found now."""
    reporting_round = _round(request, code)
    form = ExplainForm(request.POST)
    page = reverse("quality", args=[code])
    back = request.POST.get("next", "")
    target = back if back.startswith(page) else page
    if not form.is_valid():
        errors = "; ".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, _("Niets verklaard: %(errors)s") % {"errors": errors})
        return redirect(target)
    data = form.cleaned_data
    try:
        explain_finding(
            reporting_round=reporting_round,
            project_code=data["project"],
            rule=data["rule"],
            milestone=data["milestone"],
            comment=data["comment"],
            by=request.user,
        )
    except FindingGone:
        messages.error(
            request,
            _("Niets verklaard: deze bevinding staat (niet meer) in meetmoment %(round)s.")
            % {"round": code},
        )
        return redirect(target)
    messages.success(
        request,
        _("De bevinding %(rule)s bij project %(project)s is verklaard.")
        % {"rule": data["rule"], "project": data["project"]},
    )
    return redirect(target)
