"""What a round gets when it closes, once: its documents built (relance/artefacts), its
quality findings computed (relance/quality/stored.py) and its cached pages warmed (its
public dashboard in each language, its summary and its comparison with the round before),
so that its first reader is served from disk and from the cache. A closed round never
changes: each is built once.

``close_round`` asks for them (``after_close``): on the workers once the close is
committed; without a worker (``RELANCE_TASKS_IN_PROCESS``) the documents and findings wait
for their first reader and the pages are warmed here, once committed. A round imported
closed from a workbook was never closed by the application: ``manage.py
build_round_documents`` does for it what a close does (``here``: all of it in this process,
without a worker).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import translation

from projects.models import ReportingRound
from relance.artefacts.services import build_closed_round, build_here
from relance.models import Artefact, QualityScan
from relance.public.views import dashboard_body
from relance.quality.stored import queue_refresh, refresh, scan_key
from relance.reporting.comparison import compare_rounds
from relance.summary.cache import round_summary_json

logger = logging.getLogger(__name__)

WARM_TASK = "relance.tasks.warm_round"


def warm(reporting_round: ReportingRound) -> None:
    """Put a closed round's pages in the cache: its public dashboard in each language (as
    ``/public/?round=CODE`` shows it), its summary (the API's, the dashboards') and its
    comparison with the round before (``/rounds/CODE/compare/``). Nothing for a round that
    is not closed: nothing of it is kept."""
    if not reporting_round.is_closed:
        return
    query = QueryDict(mutable=True)
    query["round"] = reporting_round.code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            dashboard_body(query)
    chain = reporting_round.envelope_chain()
    compare_rounds(reporting_round, chain=chain)
    round_summary_json(reporting_round, chain=chain)  # the last: when it is kept, all are


def warm_by_id(round_id: int) -> None:
    """The worker's half (``relance.tasks.warm_round``)."""
    reporting_round = ReportingRound.objects.filter(pk=round_id).first()
    if reporting_round is not None:
        warm(reporting_round)


def _warm_later(reporting_round: ReportingRound) -> None:
    """Warm the round's pages once the caller's transaction commits (its closing time is in
    every key): on a worker, or here without one."""
    if settings.RELANCE_TASKS_IN_PROCESS:
        round_id = reporting_round.pk
        transaction.on_commit(lambda: warm_by_id(round_id), robust=True)
        return
    queue = settings.RELANCE_ARTEFACT_QUEUE
    args = [reporting_round.pk]
    transaction.on_commit(
        lambda: current_app.send_task(WARM_TASK, args=args, queue=queue), robust=True
    )


def after_close(reporting_round: ReportingRound) -> list[Artefact]:
    """Ask for what a round gets when it closes (see the module); the artefacts queued.
    Its findings and pages first: they take seconds, its documents minutes."""
    queue_refresh(reporting_round)
    _warm_later(reporting_round)
    return build_closed_round(reporting_round=reporting_round)


def here(
    reporting_round: ReportingRound, *, progress: Callable[[str], None] | None = None
) -> list[Artefact]:
    """Build here and now, in this process, what a round gets when it closes: its
    documents, its findings in each language and its warm pages; the artefacts."""
    say = progress or (lambda _text: None)
    built = build_here(
        reporting_round=reporting_round,
        progress=lambda a: say(f"{a.filename}: {a.state}{f' ({a.error})' if a.error else ''}"),
    )
    current = scan_key(reporting_round)
    for language, _name in settings.LANGUAGES:
        scan = QualityScan.objects.filter(round=reporting_round, language=language).first()
        if scan is None or current is None or scan.key != current:
            refresh(reporting_round, language)
        say(f"quality findings ({language})")
    warm(reporting_round)
    say("cache")
    return built
