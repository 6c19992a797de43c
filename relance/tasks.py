"""Plan-wide Celery tasks."""

from celery import shared_task
from django.utils import timezone

from .artefacts.services import run_artefact
from .health import HEARTBEAT_KEY, redis_client
from .workbook.jobs import run_task


@shared_task
def heartbeat() -> str:
    """Record that a worker and its beat are alive; /health/ shows the last beat."""
    now = timezone.now().isoformat()
    redis_client().set(HEARTBEAT_KEY, now)
    return now


@shared_task
def build_artefact(artefact_id: int) -> None:
    """Build a queued artefact (relance/artefacts); a second delivery finds it taken."""
    run_artefact(artefact_id)


@shared_task
def run_workbook_task(upload_id: int) -> None:
    """Check or import an uploaded workbook (relance/workbook/jobs.py); a second delivery
    finds the task taken."""
    run_task(upload_id)


@shared_task
def refresh_quality(round_id: int, language: str) -> None:
    """Compute a round's quality findings anew for its page (relance/quality/stored.py)."""
    from .quality.stored import refresh_by_id

    refresh_by_id(round_id, language)


@shared_task
def warm_round(round_id: int) -> None:
    """Put a closed round's pages in the cache (relance/closed_rounds.py)."""
    from .closed_rounds import warm_by_id

    warm_by_id(round_id)
