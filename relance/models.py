"""Plan-wide records: the workbook uploads kept between their preview and confirmation."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An upload nobody confirmed is forgotten after this long.
UPLOAD_LIFETIME = dt.timedelta(days=1)


class WorkbookUploadQuerySet(models.QuerySet["WorkbookUpload"]):
    def stale(self) -> WorkbookUploadQuerySet:
        return self.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME)


class WorkbookUpload(models.Model):
    """A workbook an admin uploaded, waiting for the confirmation after its preview.

    It lives in the database, not in a process's memory or disk, so that the preview and
    the confirmation may be served by different web processes or machines.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geüpload door"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content = models.BinaryField(_("inhoud"))
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)

    objects = WorkbookUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("geüpload werkboek")
        verbose_name_plural = _("geüploade werkboeken")

    def __str__(self) -> str:
        return self.filename

    def open(self) -> io.BytesIO:
        return io.BytesIO(bytes(self.content))
