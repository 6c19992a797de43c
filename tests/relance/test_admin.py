"""The admin site exports the selected rows as the plan workbook's sheet, for the workbook
roles, and imports nothing (the plan comes in through the whole workbook only)."""

import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import Cluster, Fiche, PolicyDomain, Project, ReportingRound, Speerpunt
from projects.models.users import Role
from relance.workbook import import_workbook
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneStatusFactory,
    ProjectFactory,
)
from tests.relance.workbooks import HEADERS, snapshot

pytestmark = pytest.mark.django_db

# Each model of the plan in the admin site, and the workbook sheet it exports as.
SHEETS = {
    PolicyDomain: "beleidsdomeinen",
    Speerpunt: "speerpunten",
    Cluster: "clusters",
    Project: "projecten",
    Milestone: "mijlpalen",
    ReportingRound: "meetmomenten",
    Fiche: "rapportering",
    FinanceReport: "rapportering",
    MilestoneStatus: "mijlpaalstatus",
}


def export(client, model, pks):
    opts = model._meta
    response = client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "export_as_workbook", "_selected_action": [str(pk) for pk in pks]},
    )
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    ("role", "may_export"),
    [(Role.READER, False), (Role.EDITOR, False), (Role.COORDINATOR, True), (Role.ADMIN, True)],
)
def test_the_export_follows_the_workbook_roles(users, role, may_export):
    request = RequestFactory().get("/admin/")
    request.user = users[role]
    for model in SHEETS:
        model_admin = admin.site.get_model_admin(model)
        assert model_admin.has_export_permission(request) is may_export
        assert ("export_as_workbook" in model_admin.get_actions(request)) is may_export


def test_the_admin_site_imports_nothing(client, admin_user):
    client.force_login(admin_user)
    for model in SHEETS:
        opts = model._meta
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
        html = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert "/import/" not in html.content.decode()


@pytest.mark.parametrize("model", list(SHEETS), ids=lambda model: model.__name__)
def test_each_models_export_has_the_workbooks_headers(client, admin_user, model):
    fiche = FinanceReportFactory().fiche
    MilestoneStatusFactory(round=fiche.round)
    client.force_login(admin_user)

    workbook = export(client, model, model.objects.values_list("pk", flat=True)[:1])

    name = SHEETS[model]
    assert workbook.sheetnames == [name]
    rows = list(workbook[name].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS[name]
    assert len(rows) == 2


def test_the_export_holds_the_selected_rows_only_and_imports_back(client, coordinator):
    chosen, _other = ProjectFactory(code="VV001"), ProjectFactory(code="VV002")
    fiche = FicheFactory(project=chosen, narrative="Loopt.")
    FinanceReportFactory(fiche=fiche)
    client.force_login(coordinator)
    before = snapshot()

    projects = export(client, Project, [chosen.pk])
    money = export(client, FinanceReport, [fiche.finance.pk])

    assert [row[0] for row in projects["projecten"].iter_rows(min_row=2, values_only=True)] == [
        "VV001"
    ]
    reporting = list(money["rapportering"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[5]) for row in reporting] == [
        (fiche.round.code, "VV001", "Loopt.")
    ]
    for workbook in (projects, money):
        stream = io.BytesIO()
        workbook.save(stream)
        stream.seek(0)
        result = import_workbook(stream)
        assert result.ok, result.errors
        assert (result.created, result.updated) == (0, 0)
    assert snapshot() == before


def test_admin_exports_never_write_a_formula(client, admin_user):
    project = ProjectFactory(
        code="VV001", title='=HYPERLINK("http://evil.example")', entity="+32 2"
    )
    client.force_login(admin_user)

    sheet = export(client, Project, [project.pk])["projecten"]

    title, entity = sheet["B2"], sheet["E2"]
    assert (title.value, title.data_type) == ('=HYPERLINK("http://evil.example")', "s")
    assert (entity.value, entity.data_type) == ("+32 2", "s")
