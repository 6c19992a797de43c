"""The quality page reads the round's findings as stored (relance/quality/stored.py): the
same findings as ``round_findings`` (the command's), filtered, counted and paged in SQL;
fresh again after any committed write to the plan, by whatever path (the data version,
relance/summary/version.py: the tests that rely on it commit, ``transaction=True``, as a
running site's requests do); computed on a worker when there is one, while the page shows
the last ones; a closed round's kept, and computed by a worker as it closes."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from finance.models import FinanceReport
from projects.models import Indicator, IndicatorValue, Project, ReportingRound
from projects.models.users import Role
from relance.models import QualityScan, StoredFinding
from relance.quality.report import round_findings
from relance.quality.stored import scan_key
from relance.quality.views import PER_PAGE
from relance.services import close_round
from relance.summary.version import data_version
from relance.tasks import refresh_quality
from tests.celery_worker import drop_waiting
from tests.factories import UserFactory
from tests.relance.quality_plan import CASES, build_quality_plan

pytestmark = pytest.mark.django_db


def _page(client, code, **query):
    response = client.get(reverse("quality", args=[code]), query)
    assert response.status_code == 200
    return response


def _as_shown(findings):
    return [
        (f.rule, f.severity, f.project.code, f.milestone, f.message, f.facts, f.explained)
        for f in findings
    ]


def _all_pages(client, code, **query):
    first = _page(client, code, **query)
    shown = list(first.context["findings"])
    for number in range(2, first.context["pages"] + 1):
        shown += _page(client, code, page=number, **query).context["findings"]
    return first, shown


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pages_together_are_the_commands_findings(client, coordinator, language):
    plan = build_quality_plan(4)  # 52 findings: two pages
    client.force_login(coordinator)
    client.cookies["django_language"] = language
    first, shown = _all_pages(client, plan.open.code)
    with translation.override(language):
        expected = round_findings(plan.open)
    assert len(expected) == len(CASES) * 4 > PER_PAGE
    assert first.context["pages"] == 2
    assert len(first.context["findings"]) == PER_PAGE
    assert first.context["shown"] == first.context["total"] == len(expected)
    assert _as_shown(shown) == _as_shown(expected)


def test_a_filtered_page_counts_all_it_filters(client, coordinator):
    plan = build_quality_plan(5)
    client.force_login(coordinator)
    response = _page(client, plan.open.code, severity="warning", domain="ECON")
    expected = [
        f
        for f in round_findings(plan.open)
        if f.severity == "warning" and f.project.domain.code == "ECON"
    ]
    assert response.context["shown"] == len(expected)
    assert response.context["total"] == len(CASES) * 5
    assert sum(count for _rule, _label, count, _open in response.context["rules"]) == len(expected)
    shown = _all_pages(client, plan.open.code, severity="warning", domain="ECON")[1]
    assert _as_shown(shown) == _as_shown(expected)


def _computed(reporting_round, language="nl"):
    return QualityScan.objects.get(round=reporting_round, language=language).computed_at


@pytest.mark.django_db(transaction=True)
def test_the_page_is_fresh_after_a_save_and_after_a_bulk_update(client, coordinator):
    plan = build_quality_plan()
    client.force_login(coordinator)
    code = plan.open.code

    def rules():
        return {f.rule for f in _page(client, code).context["findings"]}

    assert "paid_exceeds_committed" in rules()
    computed = _computed(plan.open)
    rules()
    assert _computed(plan.open) == computed  # nothing changed: the stored findings read
    finance = FinanceReport.objects.get(fiche=plan.fiches["paid_exceeds_committed"])
    finance.paid_eur = Decimal("100000.00")
    finance.save()
    assert "paid_exceeds_committed" not in rules()  # without a worker: at once
    assert _computed(plan.open) != computed
    # No model's save, no signal: the statement itself is seen.
    FinanceReport.objects.filter(pk=finance.pk).update(paid_eur=Decimal("700000.00"))
    assert "paid_exceeds_committed" in rules()
    assert _as_shown(_page(client, code).context["findings"]) == _as_shown(
        round_findings(plan.open)
    )


@pytest.mark.django_db(transaction=True)
def test_a_change_to_what_only_the_quality_rules_read_is_seen(client, coordinator):
    """Indicators and their values (and the flags' follow-up actions) are read by the rules
    alone: the data version watches them too."""
    plan = build_quality_plan()
    client.force_login(coordinator)
    _page(client, plan.open.code)
    for change in (
        lambda: Indicator.objects.create(project=plan.projects["clean"], code="I1"),
        lambda: IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code="I1"), round=plan.open, value=Decimal("1")
        ),
    ):
        computed = _computed(plan.open)
        change()
        _page(client, plan.open.code)
        assert _computed(plan.open) != computed


def test_a_request_that_has_written_computes_without_keeping(client, coordinator):
    """Inside a transaction that has written (a test's, here), there is no data version on
    PostgreSQL: the findings are computed from what the transaction sees and kept for no
    one; SQLite's version moves at once."""
    plan = build_quality_plan()
    client.force_login(coordinator)
    with transaction.atomic():
        FinanceReport.objects.filter(fiche=plan.fiches["paid_exceeds_committed"]).update(
            paid_eur=Decimal("100000.00")
        )
        rules = {f.rule for f in _page(client, plan.open.code).context["findings"]}
    assert "paid_exceeds_committed" not in rules
    if connection.vendor == "postgresql":
        assert scan_key(plan.open) is None
        assert QualityScan.objects.get(round=plan.open, language="nl").key == ""


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_page_shows_the_last_findings_until_it_has_new_ones(
    client, coordinator, settings
):
    plan = build_quality_plan()
    client.force_login(coordinator)
    code = plan.open.code
    settings.RELANCE_TASKS_IN_PROCESS = False
    response = _page(client, code)  # none computed yet: the worker is asked to
    assert response.context["pending"]
    assert "worden berekend" in response.content.decode()
    scan = QualityScan.objects.get(round=plan.open, language="nl")
    asked = scan.refreshing_since
    assert asked is not None
    assert not StoredFinding.objects.exists()
    _page(client, code)
    scan.refresh_from_db()
    assert scan.refreshing_since == asked  # asked once, not on every request
    refresh_quality.apply(args=[plan.open.pk, "nl"]).get()
    response = _page(client, code)
    assert response.context["fresh"]
    assert len(response.context["findings"]) == len(CASES)
    FinanceReport.objects.filter(fiche=plan.fiches["paid_exceeds_committed"]).update(
        paid_eur=Decimal("100000.00")
    )
    response = _page(client, code)
    assert not response.context["fresh"]
    assert "opnieuw berekend" in response.content.decode()
    assert len(response.context["findings"]) == len(CASES)  # the last ones, said to be so
    refresh_quality.apply(args=[plan.open.pk, "nl"]).get()
    response = _page(client, code)
    assert response.context["fresh"]
    assert len(response.context["findings"]) == len(CASES) - 1


@pytest.mark.django_db(transaction=True)
def test_a_closed_rounds_findings_are_kept_whatever_else_changes(client, coordinator):
    plan = build_quality_plan()
    client.force_login(coordinator)
    plan.open.close(by=None)
    closed = ReportingRound.objects.get(pk=plan.open.pk)
    key = scan_key(closed)
    _page(client, closed.code)
    before = data_version()
    Project.objects.filter(pk=plan.projects["clean"].pk).update(title="Elders gewijzigd")
    assert data_version() not in (None, before)  # an open round's would be computed anew
    assert scan_key(closed) == key
    scan = QualityScan.objects.get(round=closed)
    computed = scan.computed_at
    _page(client, closed.code)
    scan.refresh_from_db()
    assert scan.computed_at == computed


def test_a_page_past_the_last_shows_the_last(client, coordinator):
    plan = build_quality_plan()
    client.force_login(coordinator)
    for page in ("7", "x", "-1"):
        response = _page(client, plan.open.code, page=page)
        assert response.context["page"] == 1
        assert len(response.context["findings"]) == len(CASES)


@pytest.mark.parametrize(
    "query",
    [
        {"explained": "yes"},
        {"explained": "no"},
        {"explained": "no", "project": "VV"},
        {"explained": "yes", "rule": "paid_exceeds_committed", "domain": "OMG"},
        {"severity": "error", "project": "vv"},
    ],
)
def test_the_counts_hold_with_explanations_under_every_filter(client, coordinator, query):
    plan = build_quality_plan(2)
    client.force_login(coordinator)
    for rule in ("paid_exceeds_committed", "unchanged_fiche"):
        client.post(
            reverse("quality-explain", args=[plan.open.code]),
            {"project": plan.projects[rule].code, "rule": rule, "comment": "Gekend."},
        )
    response, shown = _all_pages(client, plan.open.code, **query)
    every = round_findings(plan.open)
    assert sum(f.explained for f in every) == 2
    expected = [
        f
        for f in every
        if query.get("explained", "yes" if f.explained else "no")
        == ("yes" if f.explained else "no")
        and query.get("rule", f.rule) == f.rule
        and query.get("domain", f.project.domain.code) == f.project.domain.code
        and query.get("severity", f.severity) == f.severity
        and query.get("project", "").upper() in f.project.code
    ]
    assert _as_shown(shown) == _as_shown(expected)
    rules = {rule: (count, open_) for rule, _label, count, open_ in response.context["rules"]}
    assert rules == {
        rule: (
            sum(f.rule == rule for f in expected),
            sum(f.rule == rule and not f.explained for f in expected),
        )
        for rule in {f.rule for f in expected}
    }
    assert response.context["counted"] == sum(not f.explained for f in expected)
    assert response.context["shown"] == len(expected)


@pytest.mark.django_db(transaction=True)
def test_a_worker_computes_a_closed_rounds_findings_as_it_closes(
    client, coordinator, worker, renders, settings
):
    plan = build_quality_plan()
    close_round(reporting_round=plan.open, by=UserFactory(role=Role.ADMIN), reason="test")
    deadline = time.monotonic() + 120
    while (
        QualityScan.objects.filter(round=plan.open, computed_at__isnull=False).count() < 2
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    scans = QualityScan.objects.filter(round=plan.open)
    assert {(s.language, s.computed_at is not None) for s in scans} == {
        ("nl", True),
        ("en", True),
    }
    computed = _computed(plan.open)
    client.force_login(coordinator)
    response = _page(client, plan.open.code)
    assert response.context["fresh"]  # ready: nothing computed or asked for
    assert _computed(plan.open) == computed
    assert QualityScan.objects.get(round=plan.open, language="nl").refreshing_since is None
    assert _as_shown(response.context["findings"]) == _as_shown(round_findings(plan.open))
    # The round's documents, queued as it closed after its findings, are not this test's:
    # those still waiting are dropped, those under way end before the worker stops.
    drop_waiting(settings.REDIS_URL, settings.RELANCE_ARTEFACT_QUEUE)
