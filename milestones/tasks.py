"""Celery tasks of the milestones app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import reminders


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    max_retries=3,
    default_retry_delay=10 * 60,
)
def send_reminders(self: Any, today: str | None = None) -> dict[str, Any]:
    """Run the reminder scan for ``today`` (ISO date; the beat gives none: today in Brussels).

    Safe to run twice and to retry: the log sends each reminder once. Digests that could not
    be sent were given back to the log; a retry, on the same day, sends them.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    result = reminders.send_reminders(today=day)
    if result.failed:
        raise self.retry(args=[day.isoformat()])
    return result.as_dict()
