"""Which rounds the dashboard, the comparison and the report show to whom."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from projects.models import ReportingRound
from projects.permissions import can_read_all_open_fiches


def reportable_rounds(user: Any) -> QuerySet[ReportingRound]:
    """Closed rounds for every signed-in user; the open round as well for those who may read
    all of its fiches. Never a round in preparation, and never part of the open round: its
    figures would count drafts of domains the user may not read."""
    rounds = ReportingRound.objects.closed()
    if can_read_all_open_fiches(user):
        rounds = rounds | ReportingRound.objects.open()
    return rounds.order_by("-reference_date")


def reportable_round(user: Any, code: str) -> ReportingRound:
    """The round ``code`` if ``user`` may see its figures; 404 otherwise."""
    try:
        return reportable_rounds(user).get(code=code)
    except ReportingRound.DoesNotExist:
        raise Http404("No such round.") from None


def default_round(rounds: list[ReportingRound]) -> ReportingRound | None:
    """The latest closed round among ``rounds`` (newest first); the open round only when
    nothing is closed yet."""
    return next((r for r in rounds if r.is_closed), rounds[0] if rounds else None)


def may_see_figures(user: Any, reporting_round: ReportingRound) -> bool:
    """Whether ``user`` may see the figures of ``reporting_round`` (as reportable_rounds)."""
    return reporting_round.is_closed or (reporting_round.is_open and can_read_all_open_fiches(user))


RRF_ON = ("1", "yes", "on", "true", "ja")


def rrf_only(query: Any) -> bool:
    """Whether the request's ``query`` (its GET) asks for the RRF projects only: ``?rrf=1``,
    as the dashboard's checkbox and the project list's ``yes`` say it."""
    return str(query.get("rrf", "")).lower() in RRF_ON
