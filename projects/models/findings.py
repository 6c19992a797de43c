"""The coordinators' word on what the quality check and the early warnings find: a finding
explained, or a suggestion dismissed, with a comment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import actor_field, in_choices
from .plan import Project

if TYPE_CHECKING:
    from .rounds import ReportingRound


class NoteKind(models.TextChoices):
    EXPLAINED = "explained", _("verklaard")
    DISMISSED = "dismissed", _("afgewezen")


class FindingNoteQuerySet(models.QuerySet["FindingNote"]):
    def standing_at(self, reporting_round: ReportingRound) -> FindingNoteQuerySet:
        """The notes made in this round or a round before it, the latest first: a note
        carries into the rounds after its own (``FindingNote.covers`` says while it holds)."""
        return self.filter(round__reference_date__lte=reporting_round.reference_date).order_by(
            "-round__reference_date", "-noted_at"
        )

    def latest_by_key(self) -> dict[tuple[int, str, int | None], FindingNote]:
        """The latest note per (project, rule, milestone), of the notes in this queryset
        (order it latest first, as ``standing_at`` does)."""
        latest: dict[tuple[int, str, int | None], FindingNote] = {}
        for note in self:
            latest.setdefault(note.key, note)
        return latest


class FindingNote(models.Model):
    """A coordinator explained a finding of a quality rule, or dismissed an early-warning
    suggestion, on a project in a round (on one of its milestones, by number, where the
    finding is about one).

    ``facts`` are the finding's facts as its rule states them (the figures that triggered
    it; a suggestion's reason codes). The note holds, in its round and the rounds after,
    while the finding's facts are among those noted: an explained finding stays explained
    while the same facts hold, a dismissed suggestion stays dismissed while its reasons do
    not grow. The finding then stays visible but no longer counts.
    """

    round = models.ForeignKey(
        "projects.ReportingRound",
        verbose_name=_("meetmoment"),
        on_delete=models.CASCADE,
        related_name="finding_notes",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="finding_notes",
    )
    rule = models.CharField(_("regel"), max_length=64)
    milestone = models.PositiveIntegerField(_("mijlpaal"), null=True, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=NoteKind.choices)
    facts = models.JSONField(_("feiten"), default=list, blank=True)
    comment = models.TextField(_("toelichting"))
    noted_by = actor_field(_("door"))
    noted_at = models.DateTimeField(_("op"), default=timezone.now)

    objects = FindingNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("verklaring bij een bevinding")
        verbose_name_plural = _("verklaringen bij bevindingen")
        constraints = [
            in_choices("kind", NoteKind, name="findingnote_kind_valid"),
            models.CheckConstraint(condition=~Q(comment=""), name="findingnote_has_comment"),
            models.UniqueConstraint(
                fields=["round", "project", "rule"],
                condition=Q(milestone__isnull=True),
                name="findingnote_one_per_finding",
            ),
            models.UniqueConstraint(
                fields=["round", "project", "rule", "milestone"],
                condition=Q(milestone__isnull=False),
                name="findingnote_one_per_milestone_finding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.project_id} · {self.get_kind_display()}"

    @property
    def key(self) -> tuple[int, str, int | None]:
        return (self.project_id, self.rule, self.milestone)

    def covers(self, facts: Iterable[str]) -> bool:
        """Whether the note still holds for a finding with these facts: all of them were
        noted (the same facts, or fewer reasons than were dismissed)."""
        return set(facts) <= set(self.facts)
