"""The page ``/quality/<code>/``: a round's quality findings for the coordinators and the
admins, by rule and by domain, filtered, exported to xlsx as shown; and explaining one."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects.http import AuthenticatedRequest
from projects.models import PolicyDomain, ReportingRound
from projects.permissions import can_check_quality

from .exports import findings_workbook
from .forms import ExplainForm, FindingFilter
from .report import RULE_LABELS, FindingGone, explain_finding
from .stored import Reading, Wanted, current_scan

# Findings on one page; the counts are of all of them.
PER_PAGE = 50


def _round(request: AuthenticatedRequest, code: str) -> ReportingRound:
    if not can_check_quality(request.user):
        raise PermissionDenied
    return get_object_or_404(ReportingRound.objects.visible_to(request.user), code=code)


@require_GET
def quality_report(request: AuthenticatedRequest, code: str) -> HttpResponse | FileResponse:
    """The stored findings (``stored``): filtered, counted and paged in SQL, ``PER_PAGE`` a
    page, the counts exact."""
    reporting_round = _round(request, code)
    current = current_scan(reporting_round, translation.get_language() or settings.LANGUAGE_CODE)
    if current.scan is None:
        return render(
            request, "relance/quality_report.html", {"round": reporting_round, "pending": True}
        )
    reading = Reading.of(current.scan, reporting_round)
    domains = {
        domain.pk: domain for domain in PolicyDomain.objects.filter(pk__in=reading.domain_ids)
    }
    filters = FindingFilter(
        [(d.code, d.display_name) for d in domains.values()], request.GET or None
    )
    chosen = filters.values()
    by_code = {d.code: d.pk for d in domains.values()}
    wanted = Wanted(
        rule=chosen.get("rule", ""),
        domain=by_code.get(chosen.get("domain", "")),
        severity=chosen.get("severity", ""),
        explained=chosen.get("explained", ""),
        project=chosen.get("project", "").strip(),
    )
    shown = reading.filtered(wanted)
    if request.GET.get("format") == "xlsx":
        findings = reading.findings(shown.order_by("position"))
        return findings_workbook(reporting_round, findings, filters.described())
    by_rule: Counter[str] = Counter()
    open_by_rule: Counter[str] = Counter()
    by_domain: Counter[int] = Counter()
    open_by_domain: Counter[int] = Counter()
    for rule, domain_id, count, not_explained in reading.counts(wanted):
        by_rule[rule] += count
        by_domain[domain_id] += count
        open_by_rule[rule] += not_explained
        open_by_domain[domain_id] += not_explained
    count = sum(by_rule.values())
    page = _page_number(request.GET.get("page"), count)
    start = (page - 1) * PER_PAGE
    if chosen:
        window = shown.order_by("position")[start : start + PER_PAGE]
    else:  # every finding: positions 0, 1, 2, ... found in the index, never skipped over
        window = shown.filter(position__gte=start, position__lt=start + PER_PAGE).order_by(
            "position"
        )
    findings = reading.findings(window)
    query = request.GET.copy()
    query["format"] = "xlsx"
    query.pop("page", None)
    pages = request.GET.copy()
    pages.pop("page", None)
    rows = [
        (domains[domain_id].code, domains[domain_id].display_name, n, open_by_domain[domain_id])
        for domain_id, n in by_domain.items()
    ]
    context = {
        "round": reporting_round,
        "filters": filters,
        "findings": findings,
        "shown": count,
        "page": page,
        "pages": max(1, -(-count // PER_PAGE)),
        "page_query": pages.urlencode(),
        "computed_at": current.scan.computed_at,
        "fresh": current.fresh,
        "total": sum(n for _r, _d, _s, n in current.scan.tally),
        "counted": sum(open_by_rule.values()),
        "rules": [
            (rule, RULE_LABELS[rule], by_rule[rule], open_by_rule[rule]) for rule in sorted(by_rule)
        ],
        "domains": sorted(rows),
        "export_url": f"?{query.urlencode()}",
        "explain_form": ExplainForm(),
        "explain_url": reverse("quality-explain", args=[reporting_round.code]),
        "back": request.get_full_path(),
    }
    return render(request, "relance/quality_report.html", context)


def _page_number(raw: str | None, count: int) -> int:
    last = max(1, -(-count // PER_PAGE))
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), last)


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
