"""The workbook's preview and import as tasks of their upload (relance/workbook/jobs.py,
issue 16): on a worker (a message on the Celery queue) or in the request without one, one
at a time whoever clicks, the preview's result kept for its page and required by the
confirmation, a failure shown with its reason and checked again on request."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project
from projects.models.users import Role
from relance.models import ArtefactState, UploadTask, WorkbookUpload
from relance.workbook.jobs import run_task
from tests.relance.workbooks import plan_rows, plan_workbook, snapshot, xlsx

pytestmark = pytest.mark.django_db

IMPORTS = "/imports/"


def _upload(client, stream) -> WorkbookUpload:
    client.post(IMPORTS, {"file": SimpleUploadedFile("plan.xlsx", stream.getvalue())})
    return WorkbookUpload.objects.get()


def test_the_preview_runs_on_the_worker_once_and_its_page_waits_for_it(
    client, admin_user, queue, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = _upload(client, plan_workbook())
    page = f"/imports/{upload.pk}/"
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        first, second = client.get(page), client.get(page)

    assert queue() == 1  # the second visit joined the first
    for response in (first, second):
        text = response.content.decode()
        assert response.status_code == 200
        assert '<meta http-equiv="refresh" content="2">' in text
        assert "Het werkboek wordt gecontroleerd" in text
        assert "Bevestigen en importeren" not in text
    upload.refresh_from_db()
    assert (upload.task, upload.state, upload.result) == (
        UploadTask.PREVIEW, ArtefactState.QUEUED, None,
    )  # fmt: skip

    run_task(upload.pk)  # what the worker does with the message

    done = client.get(page)
    text = done.content.decode()
    assert "http-equiv" not in text
    assert "Bevestigen en importeren" in text
    assert done.context["result"].sheet("projecten").created == 2
    assert snapshot() == before  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.get(page)
    assert queue() == 1  # a finished preview is shown, not made again


def test_a_double_confirmation_makes_one_import_on_the_worker(
    client, admin_user, queue, django_capture_on_commit_callbacks, settings
):
    client.force_login(admin_user)
    settings.RELANCE_TASKS_IN_PROCESS = True
    upload = _upload(client, plan_workbook())
    assert client.get(f"/imports/{upload.pk}/").context["result"].ok  # checked in-process
    settings.RELANCE_TASKS_IN_PROCESS = False
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/imports/{upload.pk}/confirm/")
        second = client.post(f"/imports/{upload.pk}/confirm/")

    assert first["Location"] == second["Location"] == f"/imports/{upload.pk}/"
    assert queue() == 1
    waiting = client.get(f"/imports/{upload.pk}/").content.decode()
    assert "Het werkboek wordt geïmporteerd" in waiting
    assert snapshot() == before  # nothing written inside the requests

    run_task(upload.pk)

    assert Project.objects.count() == 2
    done = client.get(f"/imports/{upload.pk}/", follow=True)
    assert done.redirect_chain == [(IMPORTS, 302)]
    assert "geïmporteerd: " in done.content.decode()
    assert not WorkbookUpload.objects.exists()
    assert queue() == 1


def test_the_confirmation_needs_a_finished_preview_without_errors(client, admin_user, queue):
    # (``queue``: on a worker, so that the page only starts the check.)
    client.force_login(admin_user)
    rows = plan_rows()
    rows["projecten"][0][5] = "-12"
    upload = _upload(client, xlsx(rows))
    before = snapshot()

    # Not checked yet: refused, and sent to the page, which starts the check.
    response = client.post(f"/imports/{upload.pk}/confirm/")
    upload.refresh_from_db()
    assert upload.state == ""
    page = client.get(response["Location"]).content.decode()
    assert "bevestig pas na een voorbeeld zonder fouten" in page
    assert "Het werkboek wordt gecontroleerd" in page

    # Checked, with an error.
    run_task(upload.pk)
    response = client.post(f"/imports/{upload.pk}/confirm/", follow=True)
    assert "bevestig pas na een voorbeeld zonder fouten" in response.content.decode()
    assert "projecten!2: budget_eur: negatief bedrag: -12" in response.content.decode()
    upload.refresh_from_db()
    assert (upload.task, upload.state) == (UploadTask.PREVIEW, ArtefactState.DONE)
    assert snapshot() == before


def test_a_failed_preview_shows_its_reason_and_is_checked_again(client, admin_user):
    client.force_login(admin_user)
    upload = _upload(client, plan_workbook())
    stored = Path(upload.file.path)
    content = stored.read_bytes()
    stored.unlink()  # the shared volume lost the file

    failed = client.get(f"/imports/{upload.pk}/")

    text = failed.content.decode()
    assert failed.status_code == 200
    assert "Het controleren is mislukt." in text
    assert "No such file or directory" in text
    assert f'href="/imports/{upload.pk}/?again=1"' in text
    assert "http-equiv" not in text
    assert client.get(f"/imports/{upload.pk}/").context.get("result") is None  # not retried
    assert client.post(f"/imports/{upload.pk}/confirm/").status_code == 302
    assert not Project.objects.exists()

    stored.write_bytes(content)
    again = client.get(f"/imports/{upload.pk}/?again=1")

    assert again.context["result"].ok
    assert "Bevestigen en importeren" in again.content.decode()


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR, Role.COORDINATOR])
def test_only_the_admin_who_uploaded_starts_its_tasks(client, users, admin_user, role):
    client.force_login(admin_user)
    upload = _upload(client, plan_workbook())
    client.force_login(users[role])
    before = snapshot()

    assert client.get(f"/imports/{upload.pk}/").status_code == 403
    assert client.post(f"/imports/{upload.pk}/confirm/").status_code == 403

    upload.refresh_from_db()
    assert (upload.task, upload.state, upload.result) == ("", "", None)
    assert snapshot() == before
