"""Plan-wide records: the workbook uploads kept between their preview and confirmation,
and the artefacts built outside the request."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An upload nobody confirmed is forgotten after this long.
UPLOAD_LIFETIME = dt.timedelta(days=1)


def workbook_path(instance: WorkbookUpload, filename: str) -> str:
    """A name nobody can guess or choose: the user's file name is kept in ``filename``."""
    return f"workbooks/{uuid.uuid4().hex}.xlsx"


def _remove_files(names: list[str]) -> None:
    # Once the rows are gone for good: a rolled-back delete keeps its files.
    storage = WorkbookUpload._meta.get_field("file").storage  # type: ignore[attr-defined]

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


class ArtefactState(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class UploadTask(models.TextChoices):
    PREVIEW = "preview", _("controle")
    APPLY = "apply", _("import")


class WorkbookUploadQuerySet(models.QuerySet["WorkbookUpload"]):
    def stale(self) -> WorkbookUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME)

    def discard(self) -> int:
        """Delete these uploads and, once that is committed, their files."""
        names = [name for name in self.values_list("file", flat=True) if name]
        deleted, _counts = self.delete()
        _remove_files(names)
        return deleted


class WorkbookUpload(models.Model):
    """A workbook an admin uploaded, waiting for the confirmation after its preview.

    Its file lives in ``MEDIA_ROOT`` (streamed there, never held in memory whole), its record
    in the database, so that the preview and the confirmation may be served by different web
    processes; in production ``MEDIA_ROOT`` is a volume they share.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geüpload door"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    file = models.FileField(_("bestand"), upload_to=workbook_path, max_length=255)
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    # The check (a dry run) or the import of the file, done by a task outside the request
    # (relance/workbook/jobs.py): one at a time, its outcome kept for the page to show.
    task = models.CharField(_("taak"), max_length=10, choices=UploadTask.choices, blank=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=ArtefactState.choices, blank=True
    )
    result = models.JSONField(_("resultaat"), null=True, blank=True)
    error = models.TextField(_("fout"), blank=True)
    requested_at = models.DateTimeField(_("aangevraagd op"), null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    objects = WorkbookUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("geüpload werkboek")
        verbose_name_plural = _("geüploade werkboeken")

    def __str__(self) -> str:
        return self.filename

    def open(self) -> File[Any]:
        """The stored workbook, to read (and close) once."""
        return self.file.storage.open(self.file.name, "rb")

    def discard(self) -> None:
        """Delete this upload and, once that is committed, its file."""
        WorkbookUpload.objects.filter(pk=self.pk).discard()

    @property
    def is_unfinished(self) -> bool:
        return self.state in (ArtefactState.QUEUED, ArtefactState.RUNNING)


class ArtefactKind(models.TextChoices):
    REPORT = "report", _("voortgangsrapport (PDF)")
    PACKAGE = "package", _("rapportpakket (zip)")
    SCOREBOARD = "scoreboard", _("Scoreboard-export (RRF)")
    NOTE = "note", _("indicatorennota (PDF)")
    WORKBOOK = "workbook", _("planwerkboek (Excel)")
    OPEN_DATA = "open_data", _("open data (zip)")


# What each file is, by its name's suffix.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}


class ArtefactQuerySet(models.QuerySet["Artefact"]):
    def unfinished(self) -> ArtefactQuerySet:
        return self.filter(state__in=[ArtefactState.QUEUED, ArtefactState.RUNNING])


class Artefact(models.Model):
    """A document built outside the request (relance/artefacts): one row per kind, round and
    parameters, whoever asks, so that a second request joins the build under way. Its file
    lives in ``MEDIA_ROOT/artefacts``; a closed round's is kept, an open round's (and the
    plan workbook) is served again while the data version it was built from holds, on the
    day it was built, and built afresh after."""

    kind = models.CharField(_("soort"), max_length=20, choices=ArtefactKind.choices)
    # None for what belongs to no round: the whole plan's workbook.
    round = models.ForeignKey(
        "projects.ReportingRound",
        verbose_name=_("meetmoment"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    parameters_key = models.CharField(_("parametersleutel"), max_length=200, blank=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=ArtefactState.choices, default=ArtefactState.QUEUED
    )
    progress = models.CharField(_("voortgang"), max_length=200, blank=True)
    file = models.CharField(_("bestand"), max_length=255, blank=True)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    error = models.TextField(_("fout"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    # The data version (relance/summary/version.py) read as the build began; empty when
    # there was none to read.
    data_version = models.CharField(_("gegevensversie"), max_length=100, blank=True)

    objects = ArtefactQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "round", "parameters_key"], name="artefact_one_per_key"
            ),
            models.UniqueConstraint(
                fields=["kind", "parameters_key"],
                condition=models.Q(round__isnull=True),
                name="artefact_one_per_key_without_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.parameters_key}"

    @property
    def is_done(self) -> bool:
        return self.state == ArtefactState.DONE

    @property
    def is_unfinished(self) -> bool:
        return self.state in (ArtefactState.QUEUED, ArtefactState.RUNNING)

    @property
    def content_type(self) -> str:
        suffix = "." + self.filename.rpartition(".")[2].lower()
        return CONTENT_TYPES.get(suffix, "application/octet-stream")


class DataVersion(models.Model):
    """One row whose ``number`` every committed change to the plan's or a round's figures
    raises, set by database triggers (relance/summary/version.py): what the open round's
    cached figures are keyed by. Nothing in Python writes it."""

    number = models.BigIntegerField(_("versie"), default=0)

    class Meta:
        verbose_name = _("gegevensversie")
        verbose_name_plural = _("gegevensversies")

    def __str__(self) -> str:
        return str(self.number)


class QualityScan(models.Model):
    """A round's quality findings as last computed, in one language (its messages are
    written in it): ``relance/quality/stored.py``. ``key`` names the data they were
    computed from (a closed round's chain, or the data version and the day for an open
    one); ``refreshing_since`` is set while a worker computes them anew."""

    round = models.ForeignKey(
        "projects.ReportingRound",
        verbose_name=_("meetmoment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(_("taal"), max_length=10)
    key = models.CharField(_("sleutel"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    refreshing_since = models.DateTimeField(_("herberekend sinds"), null=True, blank=True)
    # How many findings per [rule, domain id, severity]: the page's counts without a query.
    tally = models.JSONField(_("telling"), default=list)

    class Meta:
        verbose_name = _("kwaliteitscontrole")
        verbose_name_plural = _("kwaliteitscontroles")
        constraints = [
            models.UniqueConstraint(fields=["round", "language"], name="quality_scan_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.language} {self.key}"


class StoredFinding(models.Model):
    """One quality finding of a scan, before the coordinators' notes (they are applied
    when it is read): the quality page filters, counts and pages these in SQL.
    ``position`` is its place in ``round_findings``' order."""

    scan = models.ForeignKey(
        QualityScan,
        verbose_name=_("kwaliteitscontrole"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("volgorde"))
    rule = models.CharField(_("regel"), max_length=40)
    severity = models.CharField(_("ernst"), max_length=10)
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    domain = models.ForeignKey(
        "projects.PolicyDomain",
        verbose_name=_("beleidsdomein"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    milestone = models.PositiveIntegerField(_("mijlpaal"), null=True, blank=True)
    message = models.TextField(_("bevinding"))
    facts = models.JSONField(_("feiten"), default=list)

    class Meta:
        verbose_name = _("opgeslagen bevinding")
        verbose_name_plural = _("opgeslagen bevindingen")
        constraints = [
            models.UniqueConstraint(fields=["scan", "position"], name="stored_finding_position")
        ]
        indexes = [
            models.Index(
                fields=["scan", "rule", "domain", "severity"], name="stored_finding_counts"
            ),
            models.Index(fields=["scan", "project"], name="stored_finding_project"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.project_id}"
