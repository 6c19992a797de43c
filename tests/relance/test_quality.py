"""The quality check (issue 11): each rule of the interfaces fires on the fiche made to
trigger it and on no other, the same in the registry, the fiche form, the command and the
page; explained findings; the page's access, filters and export; constant queries."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from projects.models import FindingNote, NoteKind, ProjectStatus, ReviewState
from projects.models.rounds import RoundState
from relance.fiches.checks import run_checks
from relance.fiches.snapshots import snapshot
from relance.quality.report import ERRORS, QUALITY_RULES, RULE_LABELS, round_findings
from relance.quality.views import PER_PAGE
from relance.workbook import export_workbook, import_workbook
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneStatusFactory,
    ReportingRoundFactory,
)
from tests.relance.fiche_helpers import fiche_post
from tests.relance.quality_plan import CASES, ON_MILESTONE, build_quality_plan

pytestmark = pytest.mark.django_db

FICHE_RULES = [rule for rule in CASES if rule != "missing_fiche"]
# The early warnings are the coordinators' advice: in the quality check, its page and the
# review queue, not in the owner's form or a workbook's preview
# (tests/relance/test_early_warning_views.py shows them on the coordinators' fiche).
SUGGESTIONS = {"suggest_attention", "suggest_action_required"}
OWNER_RULES = [rule for rule in FICHE_RULES if rule not in SUGGESTIONS]
# The rules that existed before the quality check keep blocking a submit; the new ones warn.
BLOCKING = {"missing_milestone_status", "delayed_without_forecast"}


@pytest.fixture
def plan():
    return build_quality_plan()


def _quality(findings):
    return [f for f in findings if f.rule in QUALITY_RULES]


def _command(code, *args):
    out = io.StringIO()
    call_command("quality_check", code, *args, stdout=out)
    return out.getvalue()


def test_every_rule_of_the_interfaces_has_a_case():
    assert set(CASES) == set(QUALITY_RULES)


# -- each rule fires where it should and nowhere else ----------------------------------------


@pytest.mark.parametrize("rule", FICHE_RULES)
def test_the_registry_finds_the_rule_on_its_fiche_alone(plan, rule):
    found = {
        name: [f.rule for f in _quality(run_checks(snapshot(fiche)))]
        for name, fiche in plan.fiches.items()
    }
    assert found[rule] == [rule]
    assert all(rule not in rules for name, rules in found.items() if name != rule)
    assert found["clean"] == []


@pytest.mark.parametrize("rule", OWNER_RULES)
def test_the_fiche_form_shows_the_rule_before_submitting(client, editor, plan, rule):
    editor.domains.add(plan.domain, plan.other_domain)
    client.force_login(editor)
    page = client.get(reverse("fiche", args=[plan.projects[rule].code]))
    findings = _quality(page.context["findings"])
    assert [f.rule for f in findings] == [rule]
    assert findings[0].level == ("error" if rule in BLOCKING else "warning")
    assert findings[0].message in page.content.decode()
    clean = client.get(reverse("fiche", args=[plan.projects["clean"].code]))
    assert _quality(clean.context["findings"]) == []


@pytest.mark.parametrize("rule", sorted(set(OWNER_RULES) - BLOCKING))
def test_a_quality_warning_never_blocks_submitting(client, editor, plan, rule):
    editor.domains.add(plan.domain, plan.other_domain)
    client.force_login(editor)
    fiche = plan.fiches[rule]
    response = client.post(
        reverse("fiche", args=[fiche.project.code]),
        {**fiche_post(fiche), "submit": "1"},
        follow=True,
    )
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.SUBMITTED
    assert rule in [f.rule for f in response.context["findings"]]


def test_the_command_finds_each_rule_on_its_project_alone(plan):
    data = json.loads(_command("2024-12", "--json"))
    assert data["round"] == "2024-12"
    found = {(f["rule"], f["project"]) for f in data["findings"]}
    assert found == {(rule, plan.projects[rule].code) for rule in CASES}
    for finding in data["findings"]:
        assert set(finding) >= {"rule", "severity", "project", "milestone", "message"}
        assert finding["severity"] == ("error" if finding["rule"] in ERRORS else "warning")
        assert finding["milestone"] == (1 if finding["rule"] in ON_MILESTONE else None)
        assert finding["project"] in finding["message"]
        assert finding["explained"] is False


def test_the_command_groups_its_text_by_rule(plan):
    text = _command("2024-12")
    assert f"{len(CASES)} bevindingen, waarvan {len(CASES)} niet verklaard" in text
    for rule in CASES:
        assert f"\n{rule}\n  [" in text
    assert plan.projects["clean"].code not in text


def test_the_command_on_a_clean_round_and_an_unknown_one(plan):
    assert "geen bevindingen" in _command("2023-12")
    assert json.loads(_command("2023-12", "--json")) == {"round": "2023-12", "findings": []}
    with pytest.raises(CommandError, match="Onbekend meetmoment: 1999-12"):
        _command("1999-12")


def test_messages_name_the_figures_in_each_language(plan):
    findings = {f.rule: f for f in round_findings(plan.open)}
    code = plan.projects["paid_exceeds_committed"].code
    assert findings["paid_exceeds_committed"].message == (
        f"Project {code}: VEK 600.000 ligt boven VAK 500.000."
    )
    assert findings["paid_exceeds_committed"].facts == ("VEK=600000.00", "VAK=500000.00")
    overdue = findings["overdue_future_milestone"].message
    assert "mijlpaal 1 (Ontwerp)" in overdue
    assert "deadline 30-06-2024 ligt voor de referentiedatum 31-12-2024" in overdue
    with translation.override("en"):
        english = {f.rule: f for f in round_findings(plan.open)}
    assert english["paid_exceeds_committed"].message == (
        f"Project {code}: paid (VEK) 600,000 is above committed (VAK) 500,000."
    )
    assert english["paid_exceeds_committed"].facts == findings["paid_exceeds_committed"].facts
    # One milestone fell due: "mijlpaal 1 … verviel", not "mijlpalen 1 … vervielen".
    assert findings["unchanged_fiche"].message.endswith("hoewel mijlpaal 1 intussen verviel.")
    assert english["unchanged_fiche"].message.endswith("although milestone 1 fell due in between.")


def test_thresholds_come_from_the_settings(plan, settings):
    settings.RELANCE_QUALITY = {**settings.RELANCE_QUALITY, "paid_over_committed_eur": 100000}
    assert "paid_exceeds_committed" not in {f.rule for f in round_findings(plan.open)}
    settings.RELANCE_QUALITY = {**settings.RELANCE_QUALITY, "unchanged_min_due": 2}
    assert "unchanged_fiche" not in {f.rule for f in round_findings(plan.open)}


# -- the page --------------------------------------------------------------------------------


def test_the_page_shows_each_rule_on_its_project(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(reverse("quality", args=["2024-12"]))
    assert response.status_code == 200
    page = response.content.decode()
    for rule in CASES:
        assert f'data-rule="{rule}" data-project="{plan.projects[rule].code}"' in page
    assert f'data-project="{plan.projects["clean"].code}"' not in page
    assert [(code, count) for code, _label, count, _open in response.context["rules"]] == sorted(
        (rule, 1) for rule in CASES
    )
    domains = {code: count for code, _name, count, _open in response.context["domains"]}
    assert domains == {"ECON": len(CASES) - 1, "OMG": 1}


def test_the_round_page_links_to_the_quality_page(client, coordinator, editor, plan):
    client.force_login(coordinator)
    assert (
        reverse("quality", args=["2024-12"])
        in client.get(plan.open.get_absolute_url()).content.decode()
    )
    client.force_login(editor)
    assert (
        reverse("quality", args=["2024-12"])
        not in client.get(plan.open.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rule": "money_decreased"}, {"money_decreased"}),
        ({"domain": "OMG"}, {"paid_exceeds_committed"}),
        ({"severity": "warning"}, set(QUALITY_RULES) - ERRORS),
        ({"severity": "error"}, set(ERRORS)),
        ({"explained": "yes"}, set()),
        ({"explained": "no"}, set(QUALITY_RULES)),
        ({"rule": "nonsense"}, set(QUALITY_RULES)),  # an unknown filter filters nothing
        ({"rule": "nonsense", "domain": "OMG"}, {"paid_exceeds_committed"}),  # the others do
    ],
)
def test_the_page_filters(client, coordinator, plan, query, expected):
    client.force_login(coordinator)
    response = client.get(reverse("quality", args=["2024-12"]), query)
    assert response.status_code == 200
    assert {f.rule for f in response.context["findings"]} == expected


def test_the_page_names_each_rule_in_words_beside_its_code(client, coordinator, plan):
    """The codes alone (``paid_exceeds_committed``) were all the page said of a rule."""
    assert set(RULE_LABELS) == set(QUALITY_RULES)
    client.force_login(coordinator)
    page = client.get(reverse("quality", args=["2024-12"])).content.decode()
    assert 'VEK boven VAK</a> <code class="small">paid_exceeds_committed</code>' in page
    assert 'VEK boven VAK <code class="small">paid_exceeds_committed</code></h2>' in page
    assert '<option value="paid_exceeds_committed">VEK boven VAK (paid_exceeds_committed)' in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("quality", args=["2024-12"])).content.decode()
    assert "Paid (VEK) above committed (VAK)</a>" in page
    with translation.override("en"):
        english = {rule: str(label) for rule, label in RULE_LABELS.items()}
    with translation.override("nl"):
        dutch = {rule: str(label) for rule, label in RULE_LABELS.items()}
    assert [rule for rule in QUALITY_RULES if english[rule] == dutch[rule]] == []


def test_the_page_filters_by_project(client, coordinator, plan):
    client.force_login(coordinator)
    code = plan.projects["unchanged_fiche"].code
    response = client.get(reverse("quality", args=["2024-12"]), {"project": code.lower()})
    assert [f.project.code for f in response.context["findings"]] == [code]


def test_the_export_is_what_is_shown(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(
        reverse("quality", args=["2024-12"]), {"severity": "warning", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "kwaliteit-2024-12-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2024-12" in rows[0][0]
    assert rows[1][1] == "Ernst: waarschuwing"
    assert rows[2][1] == timezone.localdate().isoformat()
    assert rows[4][:3] == ("Regel", "Ernst", "Project")
    assert {row[0] for row in rows[5:]} == set(QUALITY_RULES) - ERRORS
    assert all(row[1] == "waarschuwing" for row in rows[5:])


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_only_coordinators_and_admins_see_the_page(client, users, plan, who):
    if who != "anonymous":
        client.force_login(users[who])
    for query in ({}, {"format": "xlsx"}):
        response = client.get(reverse("quality", args=["2024-12"]), query)
        if who == "anonymous":
            assert response.status_code == 302
            assert reverse("login") in response["Location"]
        else:
            assert response.status_code == 403


def test_an_admin_sees_the_page(client, admin_user, plan):
    client.force_login(admin_user)
    assert client.get(reverse("quality", args=["2024-12"])).status_code == 200
    assert client.get(reverse("quality", args=["1999-12"])).status_code == 404


# -- explaining ------------------------------------------------------------------------------


def _explain(client, plan, rule, comment="Voorschot van de EU.", milestone=None):
    return client.post(
        reverse("quality-explain", args=[plan.open.code]),
        {
            "project": plan.projects[rule].code,
            "rule": rule,
            "milestone": milestone or "",
            "comment": comment,
        },
    )


def test_an_explained_finding_stays_visible_but_no_longer_counts(client, coordinator, plan):
    client.force_login(coordinator)
    response = _explain(client, plan, "paid_exceeds_committed")
    assert response.status_code == 302
    note = FindingNote.objects.get()
    assert (note.kind, note.rule, note.facts, note.noted_by) == (
        NoteKind.EXPLAINED,
        "paid_exceeds_committed",
        ["VAK=500000.00", "VEK=600000.00"],
        coordinator,
    )
    page = client.get(reverse("quality", args=["2024-12"]))
    [explained] = [f for f in page.context["findings"] if f.explained]
    assert explained.rule == "paid_exceeds_committed"
    assert page.context["counted"] == len(CASES) - 1
    assert "Voorschot van de EU." in page.content.decode()
    data = json.loads(_command("2024-12", "--json"))
    assert [f["rule"] for f in data["findings"] if f["explained"]] == ["paid_exceeds_committed"]
    assert f"waarvan {len(CASES) - 1} niet verklaard" in _command("2024-12")


def test_an_explained_milestone_finding(client, coordinator, plan):
    client.force_login(coordinator)
    _explain(client, plan, "overdue_future_milestone", milestone=1)
    [finding] = [f for f in round_findings(plan.open) if f.rule == "overdue_future_milestone"]
    assert finding.explained


def test_the_review_queue_counts_the_unexplained_findings(client, coordinator, plan):
    fiche = plan.fiches["paid_exceeds_committed"]
    fiche.review_state = ReviewState.SUBMITTED
    fiche.save(update_fields=["review_state"])
    client.force_login(coordinator)
    [queued] = client.get(plan.open.get_absolute_url()).context["queue"]
    assert queued.finding_count == 1
    _explain(client, plan, "paid_exceeds_committed")
    response = client.get(plan.open.get_absolute_url())
    [queued] = response.context["queue"]
    assert queued.finding_count == 0
    assert len(queued.findings) == 1  # still shown
    assert 'data-count="0"' in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_others_cannot_explain(client, users, plan, who):
    if who != "anonymous":
        client.force_login(users[who])
    response = _explain(client, plan, "paid_exceeds_committed")
    if who == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code == 403
    assert not FindingNote.objects.exists()


def test_explaining_without_a_comment_or_a_finding_writes_nothing(client, coordinator, plan):
    client.force_login(coordinator)
    response = _explain(client, plan, "paid_exceeds_committed", comment="   ")
    assert response.status_code == 302
    response = _explain(client, plan, "money_decreased", milestone=7)  # no such finding
    assert response.status_code == 302
    response = client.post(
        reverse("quality-explain", args=["2024-12"]),
        {"project": plan.projects["clean"].code, "rule": "money_decreased", "comment": "x"},
        follow=True,
    )
    assert "niet meer" in response.content.decode()
    assert not FindingNote.objects.exists()


def _next_round(plan, *, paid: Decimal):
    """The open round closes; the next one has the paid_exceeds_committed project's fiche
    with VEK ``paid`` (VAK as before)."""
    plan.open.close(by=None)
    later = ReportingRoundFactory(
        code="2025-12", reference_date=dt.date(2025, 12, 31), state=RoundState.OPEN
    )
    project = plan.projects["paid_exceeds_committed"]
    fiche = FicheFactory(
        round=later,
        project=project,
        status=ProjectStatus.IN_PROGRESS,
        owner_status=ProjectStatus.IN_PROGRESS,
        narrative="Later",
    )
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("500000.00"), paid_eur=paid)
    MilestoneStatusFactory(round=later, milestone=project.milestones.get())
    return later


def test_an_explanation_carries_into_the_next_round_while_the_facts_hold(client, coordinator, plan):
    client.force_login(coordinator)
    _explain(client, plan, "paid_exceeds_committed")
    later = _next_round(plan, paid=Decimal("600000.00"))
    [finding] = [f for f in round_findings(later) if f.rule == "paid_exceeds_committed"]
    assert finding.explained
    assert finding.note.round == plan.open


def test_an_explanation_does_not_carry_when_the_facts_change(client, coordinator, plan):
    client.force_login(coordinator)
    _explain(client, plan, "paid_exceeds_committed")
    later = _next_round(plan, paid=Decimal("650000.00"))
    [finding] = [f for f in round_findings(later) if f.rule == "paid_exceeds_committed"]
    assert not finding.explained


# -- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("copies", [1, 4])
def test_the_check_takes_a_constant_number_of_queries(django_assert_num_queries, copies):
    plan = build_quality_plan(copies)
    with django_assert_num_queries(10):
        findings = round_findings(plan.open)
    assert len(findings) == len(CASES) * copies


@pytest.mark.django_db(transaction=True)  # the data version moves as transactions commit
@pytest.mark.parametrize("copies", [1, 4])
def test_the_page_takes_a_constant_number_of_queries(
    client, coordinator, django_assert_num_queries, copies
):
    plan = build_quality_plan(copies)
    client.force_login(coordinator)
    # The first request computes the findings and stores them (relance/quality/stored.py):
    # on PostgreSQL with one COPY, which Django does not count, elsewhere in one INSERT.
    with django_assert_num_queries(29 if connection.vendor == "postgresql" else 30):
        response = client.get(reverse("quality", args=[plan.open.code]))
    assert response.context["shown"] == len(CASES) * copies
    # The next ones read what is stored, with the explanations as they are now; a page
    # shows PER_PAGE of them; one query reads the data version (relance/summary/version.py).
    with django_assert_num_queries(11):
        response = client.get(reverse("quality", args=[plan.open.code]))
    assert response.context["shown"] == len(CASES) * copies
    assert len(response.context["findings"]) == min(len(CASES) * copies, PER_PAGE)


# -- the workbook preview --------------------------------------------------------------------


def _round_workbook(code):
    stream = io.BytesIO()
    export_workbook(stream, round_code=code)
    stream.seek(0)
    return stream


def test_the_preview_warns_of_each_rule_on_its_row(plan):
    result = import_workbook(_round_workbook("2024-12"), dry_run=True)
    assert result.ok
    found = {}
    for warning in result.warnings:
        project = re.match(r"Project (\w+)[:,]", warning.message).group(1)
        found.setdefault(project, []).append(warning)
    expected = {rule: plan.projects[rule].code for rule in OWNER_RULES}
    assert set(found) == set(expected.values())
    by_message = {f.message: f for f in round_findings(plan.open)}
    for rule, code in expected.items():
        [warning] = found[code]
        # The same finding, word for word, as the stored fiche gives the quality check.
        assert by_message[warning.message].rule == rule
        assert warning.sheet == (
            "mijlpaalstatus"
            if rule in ON_MILESTONE and rule != "missing_milestone_status"
            else "rapportering"
        )
        assert warning.row is not None


def test_the_preview_checks_the_file_not_the_database(plan):
    """A row of the file that changes the money is judged as the file has it."""
    stream = _round_workbook("2024-12")
    book = load_workbook(stream)
    sheet = book["rapportering"]
    headers = [cell.value for cell in sheet[1]]
    clean = plan.projects["clean"].code
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("project")].value == clean:
            row[headers.index("vereffend_eur")].value = 700000
            number = row[0].row
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = import_workbook(out, dry_run=True)
    assert result.ok
    [warning] = [w for w in result.warnings if clean in w.message]
    assert (warning.sheet, warning.row, warning.column) == ("rapportering", number, "vereffend_eur")
    assert "VEK 700.000 ligt boven VAK 500.000" in warning.message


def test_the_preview_page_and_the_dry_run_show_the_warnings(
    client, admin_user, plan, tmp_path, capsys
):
    path = tmp_path / "ronde.xlsx"
    path.write_bytes(_round_workbook("2024-12").getvalue())
    call_command("import_workbook", str(path), "--dry-run")
    out = capsys.readouterr().out
    code = plan.projects["paid_exceeds_committed"].code
    assert "waarschuwing: rapportering!" in out
    assert f"Project {code}: VEK 600.000 ligt boven VAK 500.000." in out
    client.force_login(admin_user)
    with path.open("rb") as file:
        response = client.post(reverse("workbook-import"), {"file": file}, follow=True)
    page = response.content.decode()
    assert 'id="workbook-warnings"' in page
    assert f"Project {code}: VEK 600.000 ligt boven VAK 500.000." in page
    assert response.context["result"].ok


def test_the_preview_says_what_stops_the_import_before_the_warnings(client, admin_user, plan):
    """A hundred warnings came first, and the one error that stopped the import after them."""
    book = load_workbook(_round_workbook("2024-12"))
    sheet = book["rapportering"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("vastgelegd_eur") + 1).value = -5000
    broken = io.BytesIO()
    book.save(broken)
    broken.seek(0)
    broken.name = "ronde.xlsx"
    client.force_login(admin_user)
    response = client.post(reverse("workbook-import"), {"file": broken}, follow=True)
    page = response.content.decode()
    assert not response.context["result"].ok
    assert "rapportering!2: vastgelegd_eur: negatief bedrag" in page
    assert 0 < page.index('id="workbook-errors"') < page.index('id="workbook-warnings"')

    clean = _round_workbook("2024-12")
    clean.name = "ronde.xlsx"
    page = client.post(reverse("workbook-import"), {"file": clean}, follow=True).content.decode()
    assert 0 < page.index("Het werkboek is in orde") < page.index('id="workbook-warnings"')


def test_a_project_out_of_the_plan_misses_no_fiche(plan):
    project = plan.projects["missing_fiche"]
    project.left_plan_from = plan.open
    project.left_plan_reason = "Overgeheveld naar een ander plan."
    project.save(update_fields=["left_plan_from", "left_plan_reason"])
    assert "missing_fiche" not in {f.rule for f in round_findings(plan.open)}


@pytest.mark.parametrize("copies", [1, 4])
def test_the_preview_findings_take_a_constant_number_of_queries(django_assert_num_queries, copies):
    plan = build_quality_plan(copies)
    stream = _round_workbook(plan.open.code)
    with django_assert_num_queries(16):
        result = import_workbook(stream, dry_run=True)
    assert len(result.warnings) == len(OWNER_RULES) * copies
