"""The coordinators' status review: orange and red flags, their follow-up, and the log of
what happened to a fiche."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fiches import Fiche
from .fields import actor_field, in_choices
from .statuses import ProjectStatus

if TYPE_CHECKING:
    from .rounds import ReportingRound


class FlagLevel(models.TextChoices):
    ATTENTION = ProjectStatus.ATTENTION.value, _("oranje: bijzondere aandacht nodig")
    ACTION_REQUIRED = ProjectStatus.ACTION_REQUIRED.value, _("rood: bijkomende actie noodzakelijk")


class StatusFlagQuerySet(models.QuerySet["StatusFlag"]):
    def raised(self) -> StatusFlagQuerySet:
        """Flags not lifted: in a closed round, those still raised when it closed."""
        return self.filter(lifted_at__isnull=True)

    def in_round(self, reporting_round: ReportingRound) -> StatusFlagQuerySet:
        return self.filter(fiche__round=reporting_round)

    def of_rrf_projects(self, rrf_only: bool = True) -> StatusFlagQuerySet:
        """The RRF projects' flags (all of them when not ``rrf_only``)."""
        return self.filter(fiche__project__is_rrf=True) if rrf_only else self

    def awaiting_confirmation(self, reporting_round: ReportingRound) -> StatusFlagQuerySet:
        """The round's flags carried from the round before, still raised and not yet
        confirmed: the coordinators' to confirm or lift."""
        return (
            self.in_round(reporting_round)
            .raised()
            .filter(carried_from__isnull=False, confirmed_at__isnull=True)
        )

    def for_queue(self) -> StatusFlagQuerySet:
        """With what the review queue shows: the project and the round it came from."""
        return self.select_related("fiche__project__domain", "carried_from__fiche__round").order_by(
            "fiche__project__code"
        )


class StatusFlag(models.Model):
    """An orange or red flag on a project for a round; while it is raised, it is the
    project's status for that round."""

    fiche = models.ForeignKey(
        Fiche, verbose_name=_("fiche"), on_delete=models.PROTECT, related_name="flags"
    )
    level = models.CharField(_("niveau"), max_length=20, choices=FlagLevel.choices)
    motivation = models.TextField(_("motivering"))
    # Empty for a flag that a workbook import without a user raised.
    raised_by = actor_field(_("gemarkeerd door"))
    raised_at = models.DateTimeField(_("gemarkeerd op"), default=timezone.now)
    # A flag still raised when a round closes is carried into the next round, where the
    # coordinators confirm or lift it; until confirmed it waits in their review queue.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("overgenomen van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    confirmed_by = actor_field(_("bevestigd door"))
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    lifted_by = actor_field(_("opgeheven door"))
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    lift_reason = models.TextField(_("reden van opheffing"), blank=True)

    objects = StatusFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("statusmarkering")
        verbose_name_plural = _("statusmarkeringen")
        constraints = [
            models.UniqueConstraint(
                fields=["fiche"],
                condition=Q(lifted_at__isnull=True),
                name="statusflag_one_raised_per_fiche",
            ),
            in_choices("level", FlagLevel, name="statusflag_level_valid"),
            models.CheckConstraint(
                condition=~Q(motivation=""), name="statusflag_motivation_required"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="statusflag_lift_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiche}: {self.get_level_display()}"

    @property
    def is_raised(self) -> bool:
        return self.lifted_at is None

    @property
    def awaits_confirmation(self) -> bool:
        """Carried from the round before, still raised, and not yet confirmed."""
        return self.carried_from_id is not None and self.is_raised and self.confirmed_at is None


class FollowUpActionQuerySet(models.QuerySet["FollowUpAction"]):
    def open(self) -> FollowUpActionQuerySet:
        """Not done yet."""
        return self.filter(done_at__isnull=True)

    def due_by(self, day: dt.date) -> FollowUpActionQuerySet:
        """Due on ``day`` or before: overdue ones included."""
        return self.filter(due_date__lte=day)

    def of_raised_flags(self) -> FollowUpActionQuerySet:
        """Actions of flags still raised: a lifted flag's actions are no longer followed."""
        return self.filter(flag__lifted_at__isnull=True)

    def in_round(self, reporting_round: ReportingRound) -> FollowUpActionQuerySet:
        return self.filter(flag__fiche__round=reporting_round)

    def earliest_due(self) -> Subquery:
        """The earliest due date of these actions on the fiche of the outer query, as a
        subquery to annotate fiches with (None where there is none)."""
        return Subquery(
            self.filter(flag__fiche=OuterRef("pk")).order_by("due_date").values("due_date")[:1]
        )

    def of_rrf_projects(self, rrf_only: bool = True) -> FollowUpActionQuerySet:
        """The actions of RRF projects' flags (all of them when not ``rrf_only``)."""
        return self.filter(flag__fiche__project__is_rrf=True) if rrf_only else self

    def for_queue(self) -> FollowUpActionQuerySet:
        """With what the review queue and the reminders show: the flag and its project."""
        return self.select_related("flag__fiche__project__domain").order_by(
            "due_date", "flag__fiche__project__code", "pk"
        )


class FollowUpAction(models.Model):
    """What must happen about a flag, by whom and when."""

    flag = models.ForeignKey(
        StatusFlag, verbose_name=_("markering"), on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField(_("actie"))
    owner = models.CharField(_("verantwoordelijke"), max_length=200)
    due_date = models.DateField(_("uiterlijk op"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = actor_field(_("afgerond door"))

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("opvolgingsactie")
        verbose_name_plural = _("opvolgingsacties")
        constraints = [
            models.CheckConstraint(
                condition=~Q(description="") & ~Q(owner=""),
                name="followupaction_description_and_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_overdue(self) -> bool:
        """Still open after its due date (today in the local time zone)."""
        return self.is_open and self.due_date < timezone.localdate()


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("ingediend")
    APPROVED = "approved", _("goedgekeurd")
    RETURNED = "returned", _("teruggestuurd")
    FLAGGED = "flagged", _("gemarkeerd")
    FLAG_LIFTED = "flag_lifted", _("markering opgeheven")
    FLAG_CARRIED = "flag_carried", _("markering overgenomen")
    FLAG_CONFIRMED = "flag_confirmed", _("markering bevestigd")
    IMPORTED = "imported", _("geïmporteerd")
    # A coordinator changed a submitted or approved fiche (an approved one goes back to
    # the queue, submitted); the comment says which.
    EDITED = "edited", _("bewerkt door coördinator")


class ReviewEventQuerySet(models.QuerySet["ReviewEvent"]):
    def of_fiches(self, fiches: Iterable[Fiche]) -> ReviewEventQuerySet:
        return self.filter(fiche__in=[fiche.pk for fiche in fiches])

    def for_history(self) -> ReviewEventQuerySet:
        """Latest first, with the fiche's round and who acted: a review history."""
        return self.select_related("fiche__round", "by").order_by("-at", "-pk")


class ReviewEvent(models.Model):
    """One step in a fiche's review, for the project's review history."""

    fiche = models.ForeignKey(
        Fiche, verbose_name=_("fiche"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("actie"), max_length=20, choices=ReviewAction.choices)
    by = actor_field(_("door"))
    at = models.DateTimeField(_("op"), default=timezone.now)
    comment = models.TextField(_("opmerking"), blank=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("beoordelingsstap")
        verbose_name_plural = _("beoordelingsstappen")
        constraints = [
            in_choices("action", ReviewAction, name="reviewevent_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.fiche}: {self.get_action_display()}"
