"""The coordinators' notes on findings: explaining a quality finding, dismissing an
early-warning suggestion (``projects.models.FindingNote``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from projects.models import FindingNote, NoteKind, Project, ReportingRound, User


@transaction.atomic
def note_finding(
    *,
    reporting_round: ReportingRound,
    project: Project,
    rule: str,
    milestone: int | None,
    kind: NoteKind,
    facts: Iterable[str],
    comment: str,
    by: User | None,
) -> FindingNote:
    """Explain or dismiss a finding in a round; a second note on the same finding in the
    same round replaces the first."""
    note, _created = FindingNote.objects.update_or_create(
        round=reporting_round,
        project=project,
        rule=rule,
        milestone=milestone,
        defaults={
            "kind": kind,
            "facts": sorted(set(facts)),
            "comment": comment.strip(),
            "noted_by": by,
            "noted_at": timezone.now(),
        },
    )
    return note


def standing_notes(
    reporting_round: ReportingRound,
) -> dict[tuple[int, str, int | None], FindingNote]:
    """The latest note per (project id, rule, milestone number) standing at the round (made
    in it or a round before), with its round and who made it: one query. Whether it still
    holds is ``note.covers(facts)``."""
    return (
        FindingNote.objects.standing_at(reporting_round)
        .select_related("round", "noted_by")
        .latest_by_key()
    )
