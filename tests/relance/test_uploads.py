"""The workbook upload: refused from its declared length before a byte is read, streamed to
MEDIA_ROOT rather than held in memory or stored in the database, and its file deleted with it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from projects.models.users import Role
from relance.models import WorkbookUpload
from relance.summary.version import install_triggers, remove_triggers
from tests.factories import UserFactory
from tests.relance.workbooks import plan_workbook

BOUNDARY = "relance-boundary"
MB = 1024 * 1024


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, *args):  # noqa: ARG002
        self.reads += 1
        raise AssertionError("the body was read")

    readline = read


def environ(client: Client, body, length: int) -> dict:
    """A raw POST to /imports/ with the client's session, the body a stream."""
    return {
        **client._base_environ(),
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/imports/",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
        "HTTP_COOKIE": "; ".join(f"{k}={v.value}" for k, v in client.cookies.items()),
        "wsgi.input": body,
    }


def big_workbook(size: int) -> bytes:
    """A valid plan workbook of about ``size`` bytes: the plan, and a picture that does not
    compress (so that it is no zip bomb either)."""
    stream = plan_workbook()
    with zipfile.ZipFile(stream, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/image1.png", os.urandom(size))
    return stream.getvalue()


def multipart_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "body"
    with path.open("wb") as body:
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="plan.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        body.write(content)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(admin_client):
    body = Unreadable()
    length = settings.RELANCE_UPLOAD_MAX_BYTES + 1

    response = admin_client.handler(environ(admin_client, body, length))

    assert response.status_code == 413
    assert body.reads == 0
    assert "De aanvraag is te groot" in response.content.decode()
    assert not WorkbookUpload.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


def test_a_declared_length_within_the_limit_is_read(admin_client, tmp_path):
    path = multipart_file(tmp_path, plan_workbook().getvalue())
    with path.open("rb") as body:
        response = admin_client.handler(environ(admin_client, body, path.stat().st_size))

    assert response.status_code == 302
    assert WorkbookUpload.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_413_without_waiting_for_the_body(live_server):
    """Over a socket, as a client would send it: the headers only, and the answer comes."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(
            (
                "POST /imports/ HTTP/1.1\r\n"
                f"Host: {host}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                "Content-Length: 31457280\r\n\r\n"
            ).encode()
        )
        answer = raw.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")
    assert not WorkbookUpload.objects.exists()


def test_an_upload_streams_to_disk_and_is_not_held_in_memory(admin_client, tmp_path):
    content = big_workbook(8 * MB)
    path = multipart_file(tmp_path, content)

    with path.open("rb") as body:
        tracemalloc.start()
        try:
            response = admin_client.handler(environ(admin_client, body, path.stat().st_size))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert response.status_code == 302, response.content[:500]
    assert peak < 3 * MB, f"{peak / MB:.1f} MB held for an upload of {len(content) / MB:.1f} MB"
    upload = WorkbookUpload.objects.get()
    stored = Path(upload.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes() == content
    assert not hasattr(upload, "content")  # nothing of it in the database


def test_stale_and_replaced_uploads_leave_no_file_behind(
    admin_client, django_capture_on_commit_callbacks
):
    other = UserFactory(role=Role.ADMIN)
    stale = WorkbookUpload.objects.create(
        owner=other, filename="oud.xlsx", file=ContentFile(b"old", name="oud.xlsx")
    )
    WorkbookUpload.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - dt.timedelta(days=2)
    )
    stale_file = Path(stale.file.path)
    assert stale_file.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(
            "/imports/", {"file": SimpleUploadedFile("a.xlsx", plan_workbook().getvalue())}
        )
    assert first.status_code == 302
    assert not stale_file.exists()
    first_file = Path(WorkbookUpload.objects.get().file.path)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/imports/", {"file": SimpleUploadedFile("b.xlsx", plan_workbook().getvalue())}
        )
    assert not first_file.exists()
    upload = WorkbookUpload.objects.get()

    assert admin_client.get(f"/imports/{upload.pk}/").context["result"].ok  # the preview

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client.post(f"/imports/{upload.pk}/confirm/", follow=True)
    assert confirmed.redirect_chain[-1] == ("/imports/", 302)
    assert not WorkbookUpload.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_stored_workbooks_to_files():
    executor = MigrationExecutor(connection)
    [target] = [key for key in executor.loader.graph.nodes if "workbook_upload_on_disk" in key[1]]
    [before] = executor.loader.graph.node_map[target].parents
    before = before.key
    user = UserFactory(role=Role.ADMIN)
    # As migrate does (relance.apps): the data version's triggers name tables that the old
    # state does not have; they are put back once the database is at its leaf again.
    remove_triggers(connection)
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        old_model = old_apps.get_model("relance", "WorkbookUpload")
        old_model.objects.create(owner_id=user.pk, filename="plan.xlsx", content=b"PK workbook")
        executor = MigrationExecutor(connection)
        executor.migrate([target])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        install_triggers(connection)
    upload = WorkbookUpload.objects.get()
    assert upload.filename == "plan.xlsx"
    assert upload.file.name.startswith("workbooks/")
    with upload.open() as source:
        assert source.read() == b"PK workbook"
