"""The check (a dry run) and the import of an uploaded workbook, outside the request.

Each upload runs one task at a time, whoever asks: a second request while one is queued or
running joins it (a double click starts nothing more). The preview's result (errors,
warnings, counts, the changes) is kept on the upload, so that its page shows it and the
confirmation may require a finished preview without errors of that upload; the import
checks the file again against the database as it is then, and writes all or nothing, with
its outcome in the same transaction. A Celery worker runs the task
(``relance.tasks.run_workbook_task``), or without one (``RELANCE_TASKS_IN_PROCESS``) the
request itself, with the same code (``run_task``).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from relance.models import ArtefactState, UploadTask, WorkbookUpload

from .importer import import_workbook
from .results import ImportResult, result_from_json, result_to_json

logger = logging.getLogger(__name__)

TASK = "relance.tasks.run_workbook_task"


class NotPreviewed(Exception):
    """The upload has no finished preview without errors: there is nothing to confirm."""


class AlreadyImported(NotPreviewed):
    """The upload's import has finished: it is not made a second time."""


def _stale(upload: WorkbookUpload) -> bool:
    """A task still unfinished after the hard time limit never will be: its worker died."""
    since = upload.started_at or upload.requested_at or upload.created_at
    return since < timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _queue(upload: WorkbookUpload, task: UploadTask) -> None:
    upload.task = task
    upload.state = ArtefactState.QUEUED
    upload.error = ""
    upload.requested_at = timezone.now()
    upload.started_at = upload.finished_at = None
    upload.save(
        update_fields=["task", "state", "error", "requested_at", "started_at", "finished_at"]
    )


def stored_result(upload: WorkbookUpload) -> tuple[ImportResult, int, int] | None:
    """The finished task's result, with its full counts of errors and warnings."""
    if upload.state != ArtefactState.DONE or upload.result is None:
        return None
    return result_from_json(upload.result)


def preview_passed(upload: WorkbookUpload) -> bool:
    """Whether the upload's preview is finished, without errors (the import may start)."""
    stored = stored_result(upload) if upload.task == UploadTask.PREVIEW else None
    return stored is not None and stored[1] == 0


@transaction.atomic
def request_preview(upload_id: int, *, again: bool = False) -> tuple[WorkbookUpload, bool]:
    """The upload, and whether the caller must start its preview (``dispatch``): the first
    time it is asked; ``again`` after a failure or an import refused; never while a task of
    the upload is under way (the caller joins it) unless that task's worker died."""
    upload = WorkbookUpload.objects.select_for_update().get(pk=upload_id)
    if upload.is_unfinished:
        if not _stale(upload):
            return upload, False
    elif upload.state and not again:
        return upload, False
    elif upload.state and preview_passed(upload):
        return upload, False  # nothing to do again
    _queue(upload, UploadTask.PREVIEW)
    return upload, True


@transaction.atomic
def request_apply(upload_id: int) -> tuple[WorkbookUpload, bool]:
    """The upload, and whether the caller must start its import: only after a finished
    preview without errors (else NotPreviewed), once (else AlreadyImported); an import
    under way is joined."""
    upload = WorkbookUpload.objects.select_for_update().get(pk=upload_id)
    if upload.task == UploadTask.APPLY and upload.is_unfinished and not _stale(upload):
        return upload, False
    if upload.task == UploadTask.APPLY and upload.state == ArtefactState.DONE:
        raise AlreadyImported
    if not preview_passed(upload):
        raise NotPreviewed
    _queue(upload, UploadTask.APPLY)
    return upload, True


def dispatch(upload_id: int) -> None:
    """Start the upload's queued task: here and now without a worker, else on a worker once
    the caller's transaction commits."""
    if settings.RELANCE_TASKS_IN_PROCESS:
        run_task(upload_id)
        return
    queue = settings.RELANCE_ARTEFACT_QUEUE
    transaction.on_commit(
        lambda: current_app.send_task(TASK, args=[upload_id], queue=queue), robust=True
    )


@transaction.atomic
def _claim(upload_id: int) -> WorkbookUpload | None:
    upload = (
        WorkbookUpload.objects.select_for_update().select_related("owner").filter(pk=upload_id)
    ).first()
    if upload is None or upload.state != ArtefactState.QUEUED:
        return None  # gone (uploaded again), or another worker took it
    upload.state = ArtefactState.RUNNING
    upload.started_at = timezone.now()
    upload.save(update_fields=["state", "started_at"])
    return upload


def _done(upload_id: int, result: ImportResult) -> None:
    WorkbookUpload.objects.filter(pk=upload_id, state=ArtefactState.RUNNING).update(
        state=ArtefactState.DONE, result=result_to_json(result), finished_at=timezone.now()
    )


def _run(upload: WorkbookUpload) -> None:
    user, filename = upload.owner, upload.filename
    if upload.task == UploadTask.PREVIEW:
        with upload.open() as source:
            result = import_workbook(source, user=user, dry_run=True, filename=filename)
        _done(upload.pk, result)
        return
    # The import and its outcome in one transaction: a worker that dies in between leaves
    # neither, and the import may be asked again.
    with transaction.atomic():
        with upload.open() as source:
            result = import_workbook(source, user=user, filename=filename)
        _done(upload.pk, result)
    if result.written:
        upload.file.storage.delete(upload.file.name)  # imported: the file is of no more use


def run_task(upload_id: int) -> None:
    """Run the upload's queued task and keep its result; a failure is kept with its
    reason. Does nothing when no task is queued (another worker has it)."""
    upload = _claim(upload_id)
    if upload is None:
        return
    try:
        _run(upload)
    except Exception as error:  # noqa: BLE001 - kept on the upload and logged, then shown
        logger.exception("The %s of workbook upload %s failed", upload.task, upload_id)
        WorkbookUpload.objects.filter(pk=upload_id).update(
            state=ArtefactState.FAILED,
            error=str(error) or type(error).__name__,
            finished_at=timezone.now(),
        )
