"""The writing half of the scan: claim each digest's reminders in the log, then send it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.core.mail import get_connection
from django.db import IntegrityError, transaction

from milestones.models import ReminderLog
from projects.models import User

from .due import Digest, Key, collect_digests
from .mail import digest_message

logger = logging.getLogger(__name__)


@dataclass
class ScanResult:
    """What one scan did: digests sent, the reminders in them, digests that failed."""

    today: dt.date
    digests: int = 0
    reminders: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "today": self.today.isoformat()}


def send_reminders(*, today: dt.date) -> ScanResult:
    """Send today's digests: each person at most one, each reminder at most once.

    Not one transaction: each recipient's reminders are claimed in their own (see
    ``_claim``) and mailed after it commits, so a failure costs one digest, which the next
    scan sends.
    """
    result = ScanResult(today)
    connection = get_connection()
    for digest in collect_digests(today=today).values():
        claimed = _claim(digest, today=today)
        if not claimed:
            continue
        keys = {Key(log.item_kind, log.item_id, log.stage, log.due_on) for log in claimed}
        try:
            message = digest_message(digest.only(keys), today=today)
            message.connection = connection
            message.send()
        except Exception:
            # Whatever went wrong (SMTP, a template), the claim goes so the next scan retries.
            logger.exception(
                "Reminder digest for user %s not sent; the next scan tries again.",
                digest.recipient.pk,
            )
            ReminderLog.objects.filter(pk__in=[log.pk for log in claimed]).delete()
            result.failed += 1
            continue
        result.digests += 1
        result.reminders += len(claimed)
    logger.info(
        "Reminders of %s: %s digests with %s reminders sent, %s failed.",
        today, result.digests, result.reminders, result.failed,
    )  # fmt: skip
    return result


def _claim(digest: Digest, *, today: dt.date) -> list[ReminderLog]:
    """Write the log rows of the digest's reminders not sent before, in one transaction;
    none when the recipient already had a digest today.

    The recipient's row is locked first, so scans running at once take turns per
    recipient: the second one finds the first one's rows and claims nothing. The unique key
    makes each reminder once-only even where no lock is taken (SQLite).
    """
    recipient = digest.recipient
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=recipient.pk).values_list("pk"))
        if ReminderLog.objects.filter(recipient=recipient, sent_on=today).exists():
            return []
        keys = list(dict.fromkeys(reminder.key for reminder in digest.reminders))
        sent = {
            Key(*row)
            for row in ReminderLog.objects.filter(
                recipient=recipient, item_id__in={key.item_id for key in keys}
            ).values_list("item_kind", "item_id", "stage", "due_on")
        }
        fresh = [
            ReminderLog(
                recipient=recipient,
                item_kind=key.kind,
                item_id=key.item_id,
                stage=key.stage,
                due_on=key.due_on,
                sent_on=today,
            )
            for key in keys
            if key not in sent
        ]
        try:
            # One statement; a row another scan wrote meanwhile (SQLite: no lock) makes it
            # fail whole, and each is then claimed alone.
            with transaction.atomic():
                return ReminderLog.objects.bulk_create(fresh)
        except IntegrityError:
            pass
        claimed = []
        for log in fresh:
            try:
                with transaction.atomic():
                    log.pk = None
                    log.save(force_insert=True)
                    claimed.append(log)
            except IntegrityError:
                continue  # sent before
        return claimed
