"""A coordinator's note on a finding holds in its round and the rounds after, while the
finding's facts are among those noted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from projects.models import FindingNote, NoteKind
from projects.models.rounds import RoundState
from relance.fiches.notes import note_finding, standing_notes
from tests.factories import ProjectFactory, ReportingRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rounds():
    first = ReportingRoundFactory(
        code="2023-12", reference_date=dt.date(2023, 12, 31), state=RoundState.DRAFT
    )
    second = ReportingRoundFactory(
        code="2024-12", reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN
    )
    return first, second


def test_a_note_carries_into_later_rounds_and_holds_while_its_facts_do():
    first, second = _rounds()
    project = ProjectFactory()
    coordinator = UserFactory()
    note_finding(
        reporting_round=first,
        project=project,
        rule="paid_exceeds_committed",
        milestone=None,
        kind=NoteKind.EXPLAINED,
        facts=["VEK=70000000.00", "VAK=65200000.00"],
        comment="  Voorschot van de EU.  ",
        by=coordinator,
    )

    notes = standing_notes(second)
    note = notes[(project.pk, "paid_exceeds_committed", None)]
    assert note.comment == "Voorschot van de EU."
    assert note.covers(["VAK=65200000.00", "VEK=70000000.00"])
    assert not note.covers(["VEK=71000000.00", "VAK=65200000.00"])
    # A note of a later round does not stand at an earlier one.
    assert standing_notes(ReportingRoundFactory(reference_date=dt.date(2022, 12, 31))) == {}


def test_the_latest_note_stands_and_a_second_note_in_a_round_replaces_the_first():
    first, second = _rounds()
    project = ProjectFactory()
    for reporting_round, reasons in ((first, ["rrf_delayed"]), (second, ["end_passed"])):
        note_finding(
            reporting_round=reporting_round,
            project=project,
            rule="suggest_attention",
            milestone=None,
            kind=NoteKind.DISMISSED,
            facts=reasons,
            comment="Gekend.",
            by=None,
        )
    note_finding(
        reporting_round=second,
        project=project,
        rule="suggest_attention",
        milestone=None,
        kind=NoteKind.DISMISSED,
        facts=["end_passed", "rrf_delayed"],
        comment="Beide gekend.",
        by=None,
    )

    assert FindingNote.objects.count() == 2
    note = standing_notes(second)[(project.pk, "suggest_attention", None)]
    assert note.comment == "Beide gekend."
    # Fewer reasons than were dismissed: still dismissed; one more: no longer.
    assert note.covers(["rrf_delayed"])
    assert not note.covers(["rrf_delayed", "overdue_follow_up"])


def test_the_database_refuses_a_note_without_comment_or_twice_on_one_milestone():
    first, _second = _rounds()
    project = ProjectFactory()
    fields = {"round": first, "project": project, "rule": "overdue_future_milestone"}
    FindingNote.objects.create(**fields, milestone=3, kind=NoteKind.EXPLAINED, comment="Ok.")
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingNote.objects.create(**fields, milestone=3, kind=NoteKind.EXPLAINED, comment="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingNote.objects.create(**fields, milestone=4, kind=NoteKind.EXPLAINED, comment="")
    assert FindingNote.objects.count() == 1
