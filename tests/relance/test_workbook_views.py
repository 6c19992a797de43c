"""/imports/ (admins: upload → preview → confirm) and the workbook download."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Project, ReportingRound
from projects.models.users import Role
from relance.models import WorkbookUpload
from tests.factories import ProjectFactory, UserFactory
from tests.relance.workbooks import plan_rows, plan_workbook, snapshot, xlsx

pytestmark = pytest.mark.django_db

IMPORTS = "/imports/"


def upload(client, stream, name="plan.xlsx"):
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, stream.getvalue())})


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (IMPORTS, "/imports/1/", "/exports/workbook.xlsx"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR, Role.COORDINATOR])
def test_only_admins_import(client, users, role):
    client.force_login(users[role])
    before = snapshot()

    assert client.get(IMPORTS).status_code == 403
    assert upload(client, plan_workbook()).status_code == 403

    assert not WorkbookUpload.objects.exists()
    assert snapshot() == before


def test_upload_preview_confirm(client, admin_user):
    project = ProjectFactory(code="VV014", title="Oude titel")
    client.force_login(admin_user)
    rows = plan_rows()
    rows["clusters"][0][0] = project.cluster.number
    rows["projecten"][0][2] = rows["projecten"][1][2] = project.cluster.number
    rows["beleidsdomeinen"][0][0] = project.domain.code
    rows["projecten"][0][3] = rows["projecten"][1][3] = project.domain.code

    response = upload(client, xlsx(rows))

    stored = WorkbookUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{stored.pk}/"
    assert stored.owner == admin_user
    before = snapshot()

    preview = client.get(response["Location"])

    assert preview.status_code == 200
    assert snapshot() == before  # a preview writes nothing
    page = preview.content.decode()
    assert "Bevestigen en importeren" in page
    result = preview.context["result"]
    assert result.sheet("projecten").created == 1
    [change] = result.sheet("projecten").changed_rows
    assert ("titel", "Oude titel", "Fietsinfrastructuur aan gemeentewegen") in [
        (cell.column, cell.old, cell.new) for cell in change.cells
    ]
    assert "Oude titel" in page
    assert "Fietsinfrastructuur aan gemeentewegen" in page

    confirmed = client.post(f"/imports/{stored.pk}/confirm/", follow=True)

    assert confirmed.redirect_chain[-1][0] == IMPORTS
    assert "geïmporteerd" in confirmed.content.decode()
    assert Project.objects.get(code="VV014").title == "Fietsinfrastructuur aan gemeentewegen"
    assert Project.objects.count() == 2
    assert not WorkbookUpload.objects.exists()


def test_the_preview_lists_every_error_and_offers_no_confirmation(client, admin_user):
    client.force_login(admin_user)
    rows = plan_rows()
    rows["projecten"][0][5] = "-12"
    upload(client, xlsx(rows))

    preview = client.get(f"/imports/{WorkbookUpload.objects.get().pk}/")

    page = preview.content.decode()
    assert "projecten!2: budget_eur: negatief bedrag: -12" in page
    assert "er wordt niets geïmporteerd" in page
    assert "Bevestigen en importeren" not in page


def test_confirm_checks_again_against_the_database_as_it_is_then(client, admin_user):
    client.force_login(admin_user)
    upload(client, plan_workbook())
    pk = WorkbookUpload.objects.get().pk
    assert client.get(f"/imports/{pk}/").context["result"].ok
    # Meanwhile someone else imports the plan and closes its round.
    from relance.workbook import import_workbook

    assert import_workbook(plan_workbook()).ok
    ReportingRound.objects.get().close(by=None)
    rows = plan_rows()
    rows["rapportering"][0][5] = "Een andere toelichting"
    Path(WorkbookUpload.objects.get(pk=pk).file.path).write_bytes(xlsx(rows).getvalue())
    before = snapshot()

    response = client.post(f"/imports/{pk}/confirm/", follow=True)

    assert response.redirect_chain == [(f"/imports/{pk}/", 302)]
    assert response.status_code == 409
    assert "2023-12 is gesloten" in response.content.decode()
    assert "Er is niets geïmporteerd" in response.content.decode()
    assert f'href="/imports/{pk}/?again=1"' in response.content.decode()
    assert snapshot() == before
    assert WorkbookUpload.objects.filter(pk=pk).exists()


def test_a_second_confirmation_says_the_workbook_is_imported_already(client, admin_user):
    client.force_login(admin_user)
    upload(client, plan_workbook())
    pk = WorkbookUpload.objects.get().pk
    assert client.get(f"/imports/{pk}/").context["result"].ok
    client.post(f"/imports/{pk}/confirm/")
    before = snapshot()

    response = client.post(f"/imports/{pk}/confirm/", follow=True)

    page = response.content.decode()
    assert "Dit werkboek is al geïmporteerd; er is niets opnieuw geïmporteerd." in page
    assert "bevestig pas na een voorbeeld" not in page
    assert snapshot() == before


def test_a_file_that_is_no_workbook_is_refused_at_once(client, admin_user):
    client.force_login(admin_user)

    response = upload(client, io.BytesIO(b"not a workbook"), name="plan.xlsx")

    assert response.status_code == 400
    assert "Dit is geen Excel-werkboek (.xlsx)." in response.content.decode()
    assert not WorkbookUpload.objects.exists()


def test_someone_elses_upload_is_not_found(client, admin_user):
    other = UserFactory(role=Role.ADMIN)
    stored = WorkbookUpload.objects.create(
        owner=other, filename="x.xlsx", file=ContentFile(b"", name="x.xlsx")
    )
    client.force_login(admin_user)

    assert client.get(f"/imports/{stored.pk}/").status_code == 404
    assert client.post(f"/imports/{stored.pk}/confirm/").status_code == 404


def test_confirm_is_post_only(client, admin_user):
    client.force_login(admin_user)
    upload(client, plan_workbook())

    response = client.get(f"/imports/{WorkbookUpload.objects.get().pk}/confirm/")

    assert response.status_code == 405
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_download_the_workbook(client, users, role):
    ProjectFactory(code="VV001")
    client.force_login(users[role])

    response = client.get("/exports/workbook.xlsx")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert next(workbook["projecten"].iter_rows(min_row=2, values_only=True))[0] == "VV001"


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_readers_and_editors_do_not_download_the_workbook(client, users, role):
    client.force_login(users[role])
    assert client.get("/exports/workbook.xlsx").status_code == 403


def test_an_unknown_round_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/exports/workbook.xlsx?round=1999-12").status_code == 404


def test_the_menu_links_follow_the_role(client, users):
    for role, import_link, export_link in [
        (Role.READER, False, False),
        (Role.COORDINATOR, False, True),
        (Role.ADMIN, True, True),
    ]:
        client.force_login(users[role])
        page = client.get("/").content.decode()
        assert (f'href="{IMPORTS}"' in page) is import_link
        assert ('href="/exports/workbook.xlsx"' in page) is export_link
