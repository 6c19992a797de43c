"""django-import-export in the admin site: one model at a time, for the workbook roles."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import tablib
from django.contrib import admin
from django.test import RequestFactory
from openpyxl import load_workbook

from finance.models import FinanceReport
from finance.resources import FinanceReportResource
from milestones.models import MilestoneStatus
from milestones.resources import MilestoneStatusResource
from projects.models import Fiche, Project
from projects.models.users import Role
from projects.resources import FicheResource, ProjectResource, SafeCSV, SafeXLSX
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    MilestoneFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "may_import", "may_export"),
    [(Role.READER, False, False), (Role.EDITOR, False, False),
     (Role.COORDINATOR, False, True), (Role.ADMIN, True, True)],
)  # fmt: skip
def test_import_and_export_follow_the_workbook_roles(users, role, may_import, may_export):
    request = RequestFactory().get("/admin/")
    request.user = users[role]
    assert admin.site._registry[Project].has_import_permission(request) is may_import
    for model in (Project, Fiche, FinanceReport, MilestoneStatus):
        assert admin.site._registry[model].has_export_permission(request) is may_export
    # A round's reported data comes in through the whole workbook only (all or nothing).
    for model in (Fiche, FinanceReport, MilestoneStatus):
        assert admin.site._registry[model].has_import_permission(request) is False


def test_the_admins_import_page_opens_for_an_admin_only(client, admin_user, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/projects/project/import/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/admin/projects/project/import/").status_code == 200


def test_projects_import_with_the_workbooks_columns_and_natural_keys():
    cluster, domain = ClusterFactory(number=7), PolicyDomainFactory(code="MOW")
    dataset = tablib.Dataset(
        ["VV001", "Fietspaden", 7, "MOW", "AWV", "1500.25", "ja", "I-1.01", "2021-01-01",
         "31/12/2025"],
        headers=["code", "titel", "cluster", "beleidsdomein", "entiteit", "budget_eur", "rrf",
                 "rrf_maatregel", "startdatum", "einddatum"],
    )  # fmt: skip

    result = ProjectResource().import_data(dataset)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    project = Project.objects.get()
    assert (project.cluster, project.domain, project.budget_eur) == (
        cluster,
        domain,
        Decimal("1500.25"),
    )
    assert project.is_rrf
    assert project.end_date == dt.date(2025, 12, 31)


def test_a_fiche_of_a_closed_round_is_refused_when_it_changes_and_skipped_when_not():
    reporting_round = ReportingRoundFactory()
    fiche = FicheFactory(round=reporting_round, status="in_progress", narrative="Loopt.")
    reporting_round.close(by=None)
    headers = ["meetmoment", "project", "status", "toelichting"]
    same = [reporting_round.code, fiche.project.code, "in uitvoering volgens schema", "Loopt."]
    changed = [reporting_round.code, fiche.project.code, "Geel", "Klaar."]

    skipped = FicheResource().import_data(tablib.Dataset(same, headers=headers))
    refused = FicheResource().import_data(tablib.Dataset(changed, headers=headers))

    assert not skipped.has_errors()
    assert not skipped.has_validation_errors()
    assert skipped.totals["skip"] == 1
    assert refused.has_validation_errors()
    fiche.refresh_from_db()
    assert (fiche.status, fiche.narrative) == ("in_progress", "Loopt.")


def test_a_fiches_owner_status_follows_unless_flagged():
    fiche = FicheFactory(status="started", owner_status="started")
    headers = ["meetmoment", "project", "status", "toelichting"]

    FicheResource().import_data(
        tablib.Dataset([fiche.round.code, fiche.project.code, "oranje", ""], headers=headers)
    )

    fiche.refresh_from_db()
    assert (fiche.status, fiche.owner_status) == ("attention", "started")


def test_an_owners_status_never_lowers_a_flag():
    fiche = FicheFactory(status="action_required", owner_status="started")
    headers = ["meetmoment", "project", "status", "toelichting"]

    FicheResource().import_data(
        tablib.Dataset([fiche.round.code, fiche.project.code, "in uitvoering", ""], headers=headers)
    )

    fiche.refresh_from_db()
    assert (fiche.status, fiche.owner_status) == ("action_required", "in_progress")


def test_milestone_statuses_and_money_find_their_rows_by_natural_keys():
    fiche = FicheFactory(project=ProjectFactory(code="VV010"))
    MilestoneFactory(project=fiche.project, number=3)
    code = fiche.round.code

    statuses = MilestoneStatusResource().import_data(
        tablib.Dataset(
            [code, "VV010", 3, "vertraagd", "", "Later"],
            headers=[
                "meetmoment",
                "project",
                "mijlpaal",
                "status",
                "realisatiedatum",
                "toelichting",
            ],
        )  # fmt: skip
    )
    money = FinanceReportResource().import_data(
        tablib.Dataset(
            [code, "VV010", "100.50", "20"],
            headers=["meetmoment", "project", "vastgelegd_eur", "vereffend_eur"],
        )
    )

    assert not statuses.has_errors()
    assert not statuses.has_validation_errors()
    assert not money.has_errors()
    assert not money.has_validation_errors()
    assert MilestoneStatus.objects.get().status == "delayed"
    assert FinanceReport.objects.get().committed_eur == Decimal("100.50")


def test_admin_exports_never_write_a_formula():
    ProjectFactory(code="VV001", title='=HYPERLINK("http://evil.example")', entity="+32 2")
    dataset = ProjectResource().export()

    csv = SafeCSV().export_data(dataset)
    workbook = load_workbook(io.BytesIO(SafeXLSX().export_data(dataset)))

    assert "'=HYPERLINK" in csv
    assert "'+32 2" in csv
    title = workbook.active["B2"]
    assert (title.value, title.data_type) == ('=HYPERLINK("http://evil.example")', "s")
