"""Milestones (mijlpalen) of a project and their status at each reporting round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Fiche, Project, ReportingRound
from projects.models.fields import (
    in_choices,
    rrf_constraints,
    rrf_instalment_field,
    rrf_quarter_field,
)
from projects.models.rounds import round_field
from projects.models.statuses import (
    DONKERGROEN,
    GRIJS,
    LICHTGROEN,
    ORANJE,
    WIT,
    VocabularyChoices,
    Wording,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from projects.models import User


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    """Reads of milestones for the lists and the project page.

    A milestone's status in a round is part of its project's fiche: a user reads it exactly
    when ``Fiche.objects.visible_to(user)`` lets them read that project's fiche in that
    round. Another domain's draft in the open round stays hidden from an editor: in the
    table, in its exports and in every count or filter built on ``with_status_in``.
    """

    def for_table(self) -> MilestoneQuerySet:
        """With what the table shows beside each milestone, in the plan's order."""
        return self.select_related("project__cluster__speerpunt", "project__domain").order_by(
            "project__code", "number"
        )

    def with_status_in(
        self, reporting_round: ReportingRound | None, user: User | AnonymousUser
    ) -> MilestoneQuerySet:
        """Annotate ``round_status`` and ``round_forecast`` from each milestone's status in
        ``reporting_round``; None where it has none there or ``user`` may not read it.

        The status is joined (``round_state``: one row per milestone and round, by the
        unique constraint), not read by two subqueries per row, and readable exactly when
        the project's fiche in the round is (``status_readable``, one list of the round's
        readable projects). ``in_round_status`` filters on the two apart, so that
        PostgreSQL plans the filter from the statuses' index and the readable projects.
        """
        if reporting_round is None:
            return self.annotate(
                round_status=Value(None, output_field=CharField()),
                round_forecast=Value(None, output_field=DateField()),
            ).alias(
                joined_status=Value(None, output_field=CharField()), status_readable=Value(False)
            )
        readable = Fiche.objects.visible_to(user).filter(round=reporting_round)
        joined = self.alias(
            round_state=FilteredRelation("statuses", condition=Q(statuses__round=reporting_round))
        ).alias(
            joined_status=F("round_state__status"),
            # EXISTS: PostgreSQL looks it up per row for a page, hashes it for a count.
            status_readable=Exists(readable.filter(project=OuterRef("project_id"))),
        )
        return joined.annotate(
            round_status=Case(
                When(status_readable=True, then=F("joined_status")), output_field=CharField()
            ),
            round_forecast=Case(
                When(status_readable=True, then=F("round_state__forecast_date")),
                output_field=DateField(),
            ),
        )

    def in_round_status(self, states: Iterable[str]) -> MilestoneQuerySet:
        """Those whose ``round_status`` (``with_status_in``) is one of ``states``: a status
        among them that the user may read."""
        # Aliases of with_status_in, which the type checker cannot see.
        return self.filter(**{"joined_status__in": list(states), "status_readable": True})

    def due_within(self, days: int, *, today: dt.date) -> MilestoneQuerySet:
        """Milestones whose deadline falls in the coming ``days`` days, today included."""
        return self.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))

    def overdue(
        self, reporting_round: ReportingRound | None, *, today: dt.date
    ) -> MilestoneQuerySet:
        """Milestones past their deadline and still open (on schedule, delayed or not begun)
        in ``reporting_round``, as annotated by ``with_status_in``.

        A closed round's statuses describe its reference date, so the deadline is compared
        with that date; the open round's (reference date still ahead) with today.
        """
        if reporting_round is None:
            return self.none()
        moment = min(today, reporting_round.reference_date)
        return self.in_round_status(MilestoneState.open()).filter(deadline__lt=moment)

    def search(self, text: str) -> MilestoneQuerySet:
        """Milestones whose description, or whose project's code or title, contains ``text``."""
        text = text.strip()
        if not text:
            return self
        # Two sets of ids, each found through its own table's trigram index on PostgreSQL
        # (migrations 0008 here and projects 0011), then united: an OR across the join made
        # PostgreSQL test every milestone's text (half a second at 100x).
        described = Milestone.objects.filter(description__icontains=text).order_by().values("pk")
        of_projects = Milestone.objects.filter(
            project__in=Project.objects.filter(
                Q(code__icontains=text) | Q(title__icontains=text)
            ).values("pk")
        )
        return self.filter(pk__in=described.union(of_projects.order_by().values("pk")))

    def of_rrf_projects(self, rrf: bool = True) -> MilestoneQuerySet:
        """The milestones of RRF projects (``rrf``), or of the other projects."""
        return self.filter(project__is_rrf=rrf)

    def prefetch_status_in(self, reporting_round: ReportingRound | None) -> MilestoneQuerySet:
        """Prefetch each milestone's status in ``reporting_round`` as ``latest``: a list of
        none or one (none at all without a round)."""
        statuses = MilestoneStatus.objects.filter(round=reporting_round)
        return self.prefetch_related(Prefetch("statuses", queryset=statuses, to_attr="latest"))


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
    rrf_quarter = rrf_quarter_field()
    rrf_instalment = rrf_instalment_field()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="milestone_number_per_project"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="milestone_number_positive"),
            *rrf_constraints("milestone"),
        ]
        indexes = [
            # The deadline filters (overdue, due within): their counts read the index alone.
            models.Index(
                fields=["deadline"], include=["id", "project"], name="milestone_deadline_idx"
            ),
            # A project's final milestone (the forecast of relance/summary/outlook.py): read
            # in order from the index, the first with a status in the round, no sort.
            models.Index(
                "project", F("deadline").desc(), F("number").desc(), name="milestone_final_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}/{self.number}"


class MilestoneState(VocabularyChoices):
    """A milestone's status at a round, with its workbook word and its colour in the charts."""

    REALISED = "realised", Wording(("gerealiseerd",), DONKERGROEN), _("gerealiseerd")
    ON_SCHEDULE = "on_schedule", Wording(("op schema",), LICHTGROEN), _("op schema")
    DELAYED = "delayed", Wording(("vertraagd",), ORANJE), _("in vertraging")
    FUTURE = "future", Wording(("toekomstig",), GRIJS), _("nog niet aangevat")
    STOPPED = "stopped", Wording(("geschrapt",), WIT), _("geschrapt")

    @classmethod
    def open(cls) -> tuple[MilestoneState, ...]:
        """A milestone in one of these still has a deadline to meet."""
        return (cls.ON_SCHEDULE, cls.DELAYED, cls.FUTURE)


def count_postponements(
    *, before: int, expected_before: dt.date | None, deadline: dt.date, forecast: dt.date | None
) -> int:
    """How many rounds the milestone's expected date moved later, up to this one.

    ``before`` is the count of the round before and ``expected_before`` the date expected
    then (None: the deadline stood). This round adds one when its expected date
    (``forecast``) is later than what was expected before; saving a round twice, or moving
    the date earlier, adds nothing.
    """
    if forecast is None:
        return before
    return before + (forecast > (expected_before or deadline))


class MilestoneStatusQuerySet(models.QuerySet["MilestoneStatus"]):
    def readable_in(
        self, reporting_round: ReportingRound, user: User | AnonymousUser
    ) -> MilestoneStatusQuerySet:
        """The statuses of ``reporting_round`` that ``user`` may read: those of the projects
        whose fiche in it ``Fiche.objects.visible_to(user)`` lets them read."""
        readable = Fiche.objects.visible_to(user).filter(round=reporting_round).values("project_id")
        return self.filter(round=reporting_round, milestone__project_id__in=readable)


class MilestoneStatus(models.Model):
    """Where a milestone stands at a round."""

    round = round_field("milestone_statuses")
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
    # In how many rounds, up to this one, the expected date moved later (see
    # count_postponements); the deadline itself never moves.
    postponements = models.PositiveSmallIntegerField(_("aantal keer uitgesteld"), default=0)
    note = models.TextField(_("toelichting"), blank=True)

    objects = MilestoneStatusQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "milestone"]
        verbose_name = _("mijlpaalstatus")
        verbose_name_plural = _("mijlpaalstatussen")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "milestone"], name="milestonestatus_one_per_round"
            ),
            in_choices("status", MilestoneState, name="milestonestatus_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=MilestoneState.REALISED) | Q(realised_on__isnull=False),
                name="milestonestatus_realised_has_date",
            ),
        ]
        indexes = [
            # A round's statuses by status (the lists' status and overdue filters, the
            # summaries): with the milestone, so that a count reads the index alone.
            models.Index(
                fields=["round", "status"], include=["milestone"], name="milestonestatus_round_idx"
            ),
            # One milestone's status in a round, with the status beside it: a deep page of
            # the milestone table walks the projects in their order and looks each of their
            # milestones up here (8,300 lookups for page 100 of the overdue ones at 100x),
            # from the index alone instead of reading every status row of the table.
            models.Index(
                fields=["milestone", "round"],
                include=["status"],
                name="milestonestatus_lookup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} @ {self.round.code}: {self.get_status_display()}"


class ReminderItem(models.TextChoices):
    """What a reminder is about; ``ReminderLog.item_id`` is the primary key of one of these."""

    FICHE = "fiche", _("fiche")
    MILESTONE = "milestone", _("mijlpaal")
    MISSING_FICHES = "missing_fiches", _("ontbrekende fiches")  # the item is the round
    REVIEW_EVENT = "review_event", _("beoordeling")
    FOLLOW_UP = "follow_up", _("opvolgingsactie")


class ReminderLog(models.Model):
    """One reminder sent to one person: the row claims it, so it is never sent twice.

    ``stage`` is ``d-7``, ``d+1`` … (days from ``due_on``, the deadline it counts from) or
    the review action (``returned``, ``submitted``) for a notice about a review step. A
    deadline that moves is a new ``due_on``, so its reminders are due again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    item_kind = models.CharField(_("soort item"), max_length=20, choices=ReminderItem.choices)
    item_id = models.PositiveBigIntegerField(_("id"))
    stage = models.CharField(_("fase"), max_length=20)
    due_on = models.DateField(_("deadline"))
    sent_on = models.DateField(_("verstuurd op"))
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_kind", "item_id", "stage", "due_on"],
                name="reminderlog_once_per_recipient_item_stage",
            ),
            in_choices("item_kind", ReminderItem, name="reminderlog_item_kind_valid"),
            models.CheckConstraint(
                condition=Q(stage__regex=r"^(d[+-][0-9]{1,3}|returned|submitted)$"),
                name="reminderlog_stage_format",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "sent_on"], name="reminderlog_recipient_day_idx"),
            models.Index(fields=["-created_at", "-id"], name="reminderlog_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.item_kind} {self.item_id} · {self.stage}"
