"""make bench: its COPY floor writes the plan's rows as raw bulk_create does, and its table
judges issue 16's targets on what was measured."""

import datetime as dt

import pytest
from django.db import connection

from benchmarks.__main__ import targets
from benchmarks.plan import Plan
from benchmarks.steps import copy
from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, Project, ReportingRound


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Project, Milestone, ReportingRound, Fiche, MilestoneStatus)
    }


@pytest.mark.django_db
def test_copy_writes_the_plans_rows():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's (DATABASE_URL)")
    plan = Plan(1)
    assert copy(1, "")["rows"] == plan.rows
    assert _counts() == {
        "Project": plan.projects,
        "Milestone": plan.milestones,
        "ReportingRound": 2,
        "Fiche": 2 * plan.projects,
        "MilestoneStatus": 2 * plan.milestones,
    }
    assert FinanceReport.objects.count() == 2 * plan.projects
    assert ReportingRound.objects.closed().count() == 1
    # The identities continue after the copied keys: the ORM can add rows.
    project = Project.objects.order_by("pk").first()
    added = Milestone.objects.create(project=project, number=99, deadline=dt.date(2030, 1, 1))
    assert added.pk == plan.milestones + 1


def _result(scale, *, raw, imported, page_ms, queries=5, scan_ms=100.0, pdf=None):
    page = {"page": "dashboard", "status": 200, "ms": page_ms, "queries": queries}
    return {
        "scale": scale,
        "raw": {"seconds": raw, "rows": 10},
        "import": {"seconds": imported, "peak_mb": 100},
        "pages": [page, {"page": "public", "status": 404}],
        "commands": [{"command": "send_reminders (scan)", "ms": scan_ms}],
        "pdf": pdf,
    }


def test_the_targets_are_judged_at_the_largest_size():
    small = _result(1, raw=1, imported=5, page_ms=40, pdf={"ratio": 1.5})
    large = _result(100, raw=10, imported=19, page_ms=100)
    lines, all_met = targets([small, large])
    assert all_met
    assert any("1.90x (100x)" in line and line.endswith(" met") for line in lines)

    slow = _result(100, raw=10, imported=21, page_ms=160, queries=6, scan_ms=6000)
    lines, all_met = targets([small, slow])
    assert not all_met
    missed = [line.split("  ")[0] for line in lines if line.endswith("MISSED")]
    assert missed == [
        "import <= 2x raw bulk_create",
        "pages < 150 ms",
        "pages <= 3x their 1x time",
        "query counts equal at 1x and 100x",
        "reminder scan < 5 s",
    ]


def test_a_run_without_100x_or_the_pdf_says_so():
    lines, _all_met = targets([_result(10, raw=1, imported=1.5, page_ms=10)])
    text = "\n".join(lines)
    assert "(10x, not 100x)" in text
    assert "report PDF <= 2x Chromium (1x)" in text
    assert text.count("not measured") == 3  # growth, query counts (one size) and the PDF


def test_the_load_tests_server_times_are_named_as_locust_names_them(tmp_path):
    from benchmarks.loadtest import _server_times

    log = tmp_path / "access.log"
    log.write_text(
        "GET /accounts/login/  200 900000\n"
        "POST /accounts/login/  302 3100000\n"
        "GET /  200 41000\n"
        "GET /projects/ page=3 200 70000\n"
        "GET /projects/ q=VV01&rrf=yes 200 60000\n"
        "GET /milestones/ overdue=on 200 80000\n"
        "GET /projects/VV00007/fiche/  200 110000\n"
        "POST /projects/VV00007/fiche/  302 90000\n"
        "GET /projects/VV00007/  200 30000\n"
        "GET /rounds/2023-12/  200 20000\n"
        "GET /rounds/2022-12/report.pdf speerpunt=2 200 5000\n"
        "GET /rounds/2022-12/artefacts/4/  200 7000\n"
        "GET /start/  302 9000\n"
        "GET /rounds/2023-12/desk/  200 150000\n"
        "a line that is not one\n"
    )

    rows = {line.split(" | ")[0].lstrip("| "): line for line in _server_times(log)[2:]}

    assert set(rows) == {
        "login form", "sign in", "dashboard", "project list", "project list ?q",
        "milestones ?overdue", "fiche form", "fiche save", "project page", "round page",
        "report.pdf (or its progress)", "sign in's landing (start, review desk)",
    }  # fmt: skip
    assert rows["dashboard"] == "| dashboard | 1 | 41 | 41 | 41 | 41 |"
    assert rows["report.pdf (or its progress)"].startswith("| report.pdf (or its progress) | 2 |")


@pytest.mark.django_db
def test_the_reminder_scan_is_measured_as_the_days_first_with_someone_to_tell():
    """Without editors the scan had nobody to remind of a milestone, and after its first
    run every digest of the day was claimed: it measured a scan that sends nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is written with COPY, PostgreSQL's (DATABASE_URL)")
    from django.core import mail

    from benchmarks.__main__ import speed_table
    from benchmarks.pages import _reminder_scan
    from milestones.models import ReminderLog

    copy(1, "")
    measured = _reminder_scan(repeat=2)
    digests, reminders = (int(n.split()[0]) for n in measured["note"].split(", "))
    assert digests >= 2
    assert reminders >= digests
    # The editors are told of their domains' milestones, not only the coordinator.
    assert any(to.endswith("@bench.invalid") for message in mail.outbox for to in message.to)
    # Each run sent the whole day's digests: the second found the log emptied.
    assert len(mail.outbox) == 2 * digests
    assert ReminderLog.objects.count() == reminders
    result = {"scale": 1, "pages": [], "commands": [measured]}
    assert f"  send_reminders (day's first scan): 1x {measured['note']}" in speed_table([result])
