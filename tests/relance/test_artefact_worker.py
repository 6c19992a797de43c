"""The report, the exports and the workbook's tasks run by a real Celery worker on the real
Redis (``settings.REDIS_URL``), as tests/milestones/test_reminder_worker.py runs one: in a
thread of this process, on this run's own queue, reading the committed test data (the
``worker`` fixture, tests/relance/conftest.py). Skipped only when Redis is unreachable."""

import io
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from projects.models.users import Role
from relance.artefacts.services import closed_round_artefacts
from relance.models import Artefact, ArtefactState, QualityScan, UploadTask, WorkbookUpload
from relance.services import close_round
from relance.summary.cache import closed_key
from tests.factories import UserFactory
from tests.relance.workbooks import plan_workbook

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_builds_the_report_once_for_two_readers(client, reader, worker, renders):
    plan = build_plan(size=3)
    client.force_login(reader)
    url = reverse("rounds:report", args=[plan.second.code])

    first, second = client.get(url), client.get(url)

    (artefact,) = Artefact.objects.all()
    assert first["Location"] == second["Location"]
    deadline = time.monotonic() + 120
    while Artefact.objects.get(pk=artefact.pk).is_unfinished and time.monotonic() < deadline:
        time.sleep(0.2)
    artefact.refresh_from_db()
    assert artefact.state == ArtefactState.DONE, artefact.error
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(renders) == 1


def _wait(ready, seconds=120):
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ready()


def test_a_closed_rounds_exports_are_built_by_the_worker_at_close_and_served_at_once(
    client, reader, worker, renders
):
    plan = build_plan(size=3)
    close_round(reporting_round=plan.opened, by=UserFactory(role=Role.ADMIN), reason="test")
    _wait(lambda: not Artefact.objects.unfinished().exists())
    assert set(Artefact.objects.values_list("state", flat=True)) == {ArtefactState.DONE}
    built = len(renders)
    client.force_login(reader)

    code = plan.opened.code
    for url in (
        reverse("rounds:rrf-xlsx", args=[code]),
        reverse("rounds:rrf-csv", args=[code]),
        reverse("rounds:indicators-pdf", args=[code, "impact"]),
        reverse("rounds:indicators-pdf", args=[code, "output"]),
        reverse("rounds:report", args=[code]),
    ):
        assert client.get(url).status_code == 200, url
    assert len(renders) == built  # nothing built again


def test_a_worker_checks_then_imports_an_uploaded_workbook(client, admin_user, worker):
    client.force_login(admin_user)
    client.post("/imports/", {"file": SimpleUploadedFile("plan.xlsx", plan_workbook().getvalue())})
    upload = WorkbookUpload.objects.get()
    page = f"/imports/{upload.pk}/"

    # A double click joins the check (counted on the queue in test_workbook_tasks.py).
    assert client.get(page).status_code == client.get(page).status_code == 200
    _wait(lambda: WorkbookUpload.objects.get(pk=upload.pk).state == ArtefactState.DONE)
    preview = client.get(page)
    assert preview.context["result"].ok
    assert not Project.objects.exists()

    client.post(f"{page}confirm/")
    client.post(f"{page}confirm/")
    _wait(lambda: WorkbookUpload.objects.get(pk=upload.pk).task == UploadTask.APPLY)
    _wait(lambda: WorkbookUpload.objects.get(pk=upload.pk).state == ArtefactState.DONE)
    done = client.get(page, follow=True)

    assert done.redirect_chain == [("/imports/", 302)]
    assert Project.objects.count() == 2
    assert not WorkbookUpload.objects.exists()


def test_the_workers_build_an_imported_closed_rounds_documents_and_warm_its_pages(
    client, reader, worker, renders
):
    plan = build_plan(size=3)
    code = plan.second.code
    out = io.StringIO()

    call_command("build_round_documents", code, "--wait", stdout=out)

    assert "De workers zijn klaar." in out.getvalue()
    artefacts = Artefact.objects.filter(round=plan.second)
    assert artefacts.count() == len(closed_round_artefacts(plan.second))
    assert set(artefacts.values_list("state", flat=True)) == {ArtefactState.DONE}
    assert QualityScan.objects.filter(round=plan.second, refreshing_since=None).count() == 2
    summary = closed_key("summary-json", plan.second.envelope_chain())
    _wait(lambda: cache.get(summary) is not None)  # the warming's last page
    built = len(renders)
    client.force_login(reader)
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/public/?round={code}").status_code == 200
    with CaptureQueriesContext(connection) as again:
        client.get(f"/public/?round={code}")
    assert len(first) == len(again)  # from the cache at the first view
    assert client.get(reverse("rounds:report", args=[code]) + "?speerpunt=1").status_code == 200
    assert len(renders) == built
