"""Milestones (mijlpalen) of a project and their status at each reporting round."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project, ReportingRound


class Milestone(models.Model):
    """A dated step of a project; its deadline is the original one, never moved."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    description = models.TextField(_("omschrijving"))
    deadline = models.DateField(_("deadline"))
    rrf_reference = models.CharField(
        _("RRF-referentie"), max_length=50, blank=True, help_text=_("Bijvoorbeeld I-2.09.")
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="milestone_number_per_project"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="milestone_number_positive"),
        ]
        indexes = [models.Index(fields=["deadline"], name="milestone_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.project.code}/{self.number}"


class MilestoneState(models.TextChoices):
    REALISED = "realised", _("gerealiseerd")
    ON_SCHEDULE = "on_schedule", _("op schema")
    DELAYED = "delayed", _("in vertraging")
    FUTURE = "future", _("nog niet aangevat")
    STOPPED = "stopped", _("geschrapt")

    @classmethod
    def open(cls) -> tuple[MilestoneState, ...]:
        """A milestone in one of these still has a deadline to meet."""
        return (cls.ON_SCHEDULE, cls.DELAYED, cls.FUTURE)


class MilestoneStatus(models.Model):
    """Where a milestone stands at a round."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("meetmoment"),
        on_delete=models.PROTECT,
        related_name="milestone_statuses",
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("mijlpaal"), on_delete=models.PROTECT, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=20, choices=MilestoneState.choices)
    realised_on = models.DateField(_("realisatiedatum"), null=True, blank=True)
    forecast_date = models.DateField(
        _("verwachte datum"),
        null=True,
        blank=True,
        help_text=_("De nieuwe verwachte datum van een vertraagde mijlpaal."),
    )
    delay_reason = models.TextField(_("reden van de vertraging"), blank=True)
    # How often the forecast moved, over all rounds; the deadline itself never moves.
    postponements = models.PositiveSmallIntegerField(_("aantal keer uitgesteld"), default=0)
    note = models.TextField(_("toelichting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "milestone"]
        verbose_name = _("mijlpaalstatus")
        verbose_name_plural = _("mijlpaalstatussen")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "milestone"], name="milestonestatus_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneState.values), name="milestonestatus_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MilestoneState.REALISED) | Q(realised_on__isnull=False),
                name="milestonestatus_realised_has_date",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="milestonestatus_round_idx")]

    def __str__(self) -> str:
        return f"{self.milestone} @ {self.round.code}: {self.get_status_display()}"
