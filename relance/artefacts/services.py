"""Asking for an artefact, building it once whoever asks, and keeping its file."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projects.models import ReportingRound, Speerpunt
from relance.models import Artefact, ArtefactKind, ArtefactState
from relance.opendata.archive import archive_filename
from relance.reporting.indicators import NOTES
from relance.reporting.package import LANGUAGES
from relance.rrf.files import FORMATS
from relance.rrf.files import filename as scoreboard_filename
from relance.summary.version import data_version

from .builders import build, note_name, report_filename

logger = logging.getLogger(__name__)

FOLDER = "artefacts"
# What a closed round keeps once built: the whole plan's workbook is not among them (its
# plan sheets change after the round closes), it is served again only while the data
# version it was built from holds, as an open round's documents. The open data zip is the
# round's publication: kept as it was built (at the close, on a worker).
KEPT = (
    ArtefactKind.REPORT,
    ArtefactKind.PACKAGE,
    ArtefactKind.SCOREBOARD,
    ArtefactKind.NOTE,
    ArtefactKind.OPEN_DATA,
)
TASK = "relance.tasks.build_artefact"
PROGRESS_LENGTH = 200


def parameters_key(parameters: dict[str, Any]) -> str:
    """One spelling of ``parameters``, whatever their order: the artefact's identity."""
    return json.dumps(parameters, sort_keys=True, separators=(",", ":"))


def _stale_after() -> dt.timedelta:
    """A build that has not finished after the task's hard time limit never will: its
    worker died. A new request starts it again."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def path_of(artefact: Artefact) -> Path:
    return Path(settings.MEDIA_ROOT) / artefact.file


def _still_current(artefact: Artefact, version: str | None) -> bool:
    """Whether an open round's artefact (or the plan workbook) still says what a build now
    would: nothing it reads has changed since its build began (the data version), and it
    was built today (what is overdue, the Scoreboard's load date, follow the day)."""
    if not artefact.data_version or artefact.finished_at is None:
        return False
    if timezone.localdate(artefact.finished_at) != timezone.localdate():
        return False
    return artefact.data_version == version


def _needs_build(
    artefact: Artefact, reporting_round: ReportingRound | None, version: str | None
) -> bool:
    if artefact.is_unfinished:
        since = artefact.started_at or artefact.created_at
        return since < timezone.now() - _stale_after()
    if not artefact.is_done or not artefact.file or not path_of(artefact).exists():
        return True  # failed, or its file is gone
    if reporting_round is not None and reporting_round.is_closed and artefact.kind in KEPT:
        # A closed round's never changes, once built from the round as it closed: one
        # begun while it was open (its drafts, before its last approvals) is built again.
        closed_at = reporting_round.closed_at
        begun = artefact.started_at
        return closed_at is None or begun is None or begun < closed_at
    return not _still_current(artefact, version)


def request_artefact(
    *,
    kind: ArtefactKind,
    reporting_round: ReportingRound | None,
    parameters: dict[str, Any],
    filename: str,
) -> tuple[Artefact, bool]:
    """The artefact of ``kind`` for ``reporting_round`` and ``parameters``, and whether the
    caller must start its build (``dispatch``): False when it is under way (the caller joins
    it) or when it is ready and still current. The caller decides who may ask."""
    # Read before the row lock below: a transaction that has written (or locked) has none.
    # A closed round's kept documents never change: no version to compare.
    kept = reporting_round is not None and reporting_round.is_closed and kind in KEPT
    version = None if kept else data_version()
    return _request(
        kind=kind,
        reporting_round=reporting_round,
        parameters=parameters,
        filename=filename,
        version=version,
    )


@transaction.atomic
def _request(
    *,
    kind: ArtefactKind,
    reporting_round: ReportingRound | None,
    parameters: dict[str, Any],
    filename: str,
    version: str | None,
) -> tuple[Artefact, bool]:
    artefact, created = Artefact.objects.select_for_update().get_or_create(
        kind=kind,
        round=reporting_round,
        parameters_key=parameters_key(parameters),
        defaults={"parameters": parameters, "filename": filename},
    )
    if created:
        return artefact, True
    if not _needs_build(artefact, reporting_round, version):
        return artefact, False
    artefact.state = ArtefactState.QUEUED
    artefact.progress = artefact.error = ""
    artefact.created_at = timezone.now()
    artefact.started_at = artefact.finished_at = None
    artefact.filename = filename
    artefact.save(
        update_fields=[
            "state", "progress", "error", "created_at", "started_at", "finished_at", "filename"
        ]
    )  # fmt: skip
    return artefact, True


def dispatch(artefact_id: int) -> None:
    """Start the build of a queued artefact: here and now without a worker, else on a worker
    once the caller's transaction commits."""
    if settings.RELANCE_TASKS_IN_PROCESS:
        run_artefact(artefact_id)
        return
    queue = settings.RELANCE_ARTEFACT_QUEUE
    transaction.on_commit(
        lambda: current_app.send_task(TASK, args=[artefact_id], queue=queue),
        robust=True,
    )


@transaction.atomic
def _claim(artefact_id: int) -> Artefact | None:
    artefact = (
        Artefact.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(pk=artefact_id)
        .first()
    )
    if artefact is None or artefact.state != ArtefactState.QUEUED:
        return None  # gone, or another worker took it
    artefact.state = ArtefactState.RUNNING
    artefact.started_at = timezone.now()
    artefact.save(update_fields=["state", "started_at"])
    return artefact


def _write(artefact: Artefact, progress: Callable[[str], None]) -> str:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(artefact.filename).suffix
    code = artefact.round.code if artefact.round else "plan"
    name = f"{FOLDER}/{artefact.kind}-{code}-{uuid.uuid4().hex}{suffix}"
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
        try:
            build(artefact, handle, progress=progress)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    os.replace(handle.name, Path(settings.MEDIA_ROOT) / name)  # whole or not at all
    return name


@transaction.atomic
def _finish(artefact_id: int, *, name: str, version: str | None) -> None:
    artefact = Artefact.objects.select_for_update().get(pk=artefact_id)
    older = artefact.file
    artefact.state = ArtefactState.DONE
    artefact.file = name
    artefact.progress = ""
    artefact.finished_at = timezone.now()
    artefact.data_version = version or ""
    artefact.save(update_fields=["state", "file", "progress", "finished_at", "data_version"])
    if older and older != name:
        transaction.on_commit(lambda: (Path(settings.MEDIA_ROOT) / older).unlink(missing_ok=True))


def run_artefact(artefact_id: int) -> None:
    """Build a queued artefact and keep its file; a failure is kept on it, with its reason.
    Does nothing when the artefact is not queued (another worker has it)."""
    artefact = _claim(artefact_id)
    if artefact is None:
        return

    def progress(text: str) -> None:
        Artefact.objects.filter(pk=artefact_id).update(progress=text[:PROGRESS_LENGTH])

    # Read before the build reads anything: a change committed meanwhile makes the next
    # request build again rather than serve what may have missed it.
    version = data_version()
    try:
        name = _write(artefact, progress)
    except Exception as error:  # noqa: BLE001 - kept on the artefact and logged, then shown
        logger.exception("Artefact %s could not be built", artefact_id)
        Artefact.objects.filter(pk=artefact_id).update(
            state=ArtefactState.FAILED, error=str(error) or type(error).__name__,
            finished_at=timezone.now(),
        )  # fmt: skip
        return
    _finish(artefact_id, name=name, version=version)


def closed_round_artefacts(
    reporting_round: ReportingRound,
) -> list[tuple[ArtefactKind, dict[str, Any], str]]:
    """What a closed round keeps, as (kind, parameters, file name): its report in each
    language, whole and per speerpunt (the dashboard of a speerpunt links to its own), its
    indicator notes in each language, its package, its Scoreboard export and its open data
    zip."""
    code = reporting_round.code
    numbers = [None, *Speerpunt.objects.order_by("number").values_list("number", flat=True)]
    wanted: list[tuple[ArtefactKind, dict[str, Any], str]] = []
    for language in LANGUAGES:
        for number in numbers:
            wanted.append((
                ArtefactKind.REPORT,
                {"speerpunt": number, "rrf": False, "language": language},
                report_filename(code, speerpunt=number, rrf=False),
            ))  # fmt: skip
        for note in NOTES:
            wanted.append((
                ArtefactKind.NOTE,
                {"note": note, "language": language},
                note_name(code, note=note, language=language) + ".pdf",
            ))  # fmt: skip
    wanted.append((ArtefactKind.PACKAGE, {}, f"rapportpakket-{code}.zip"))
    wanted.append((ArtefactKind.OPEN_DATA, {}, archive_filename(reporting_round)))
    for file_format in FORMATS:
        wanted.append(
            (
                ArtefactKind.SCOREBOARD,
                {"format": file_format},
                scoreboard_filename(reporting_round, file_format),
            )
        )
    return wanted


def _ask_closed_round(reporting_round: ReportingRound) -> Iterator[tuple[Artefact, bool]]:
    """Each artefact a closed round keeps, asked for (``request_artefact``), and whether
    its build must start."""
    for kind, parameters, filename in closed_round_artefacts(reporting_round):
        yield request_artefact(
            kind=kind, reporting_round=reporting_round, parameters=parameters, filename=filename
        )


@transaction.atomic
def build_closed_round(*, reporting_round: ReportingRound) -> list[Artefact]:
    """Queue the artefacts a closed round keeps (``closed_round_artefacts``) on the workers,
    once the caller's transaction commits; those already built and kept are left as they
    are. Without a worker nothing is built ahead: the first request builds each, and keeps
    it (``manage.py build_round_documents`` builds them at once: ``build_here``)."""
    if settings.RELANCE_TASKS_IN_PROCESS:
        return []
    queued = []
    for artefact, start in _ask_closed_round(reporting_round):
        if start:
            dispatch(artefact.pk)
        queued.append(artefact)
    return queued


def build_here(
    *, reporting_round: ReportingRound, progress: Callable[[Artefact], None] | None = None
) -> list[Artefact]:
    """Build the artefacts a closed round keeps here and now, one after the other, whatever
    the settings (a command without a worker); those already built and kept are left as
    they are, one under way elsewhere is not started again. ``progress`` hears of each
    artefact once it is done (or failed)."""
    done = []
    for artefact, start in _ask_closed_round(reporting_round):
        if start:
            run_artefact(artefact.pk)
        artefact.refresh_from_db()
        if progress is not None:
            progress(artefact)
        done.append(artefact)
    return done


def forget_round(reporting_round: ReportingRound) -> int:
    """Remove the round's built documents (their records, and their files once that is
    committed), so that the next request or build makes them again: after an upgrade that
    writes them differently. Those under way are left. The number removed."""
    built = Artefact.objects.filter(round=reporting_round).exclude(
        state__in=[ArtefactState.QUEUED, ArtefactState.RUNNING]
    )
    names = [name for name in built.values_list("file", flat=True) if name]

    def remove_files() -> None:
        for name in names:
            (Path(settings.MEDIA_ROOT) / name).unlink(missing_ok=True)

    with transaction.atomic():
        count, _kinds = built.delete()
        transaction.on_commit(remove_files)
    return count
