"""The fiche: the report of one project in one reporting round, and its review state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.grants import can_manage_rounds, can_read_all_open_fiches, can_read_open_round

from .fields import actor_field, in_choices
from .rounds import ReportingRound, RoundState, round_field
from .statuses import ProjectStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .users import User


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("concept")
    SUBMITTED = "submitted", _("ingediend")
    APPROVED = "approved", _("goedgekeurd")
    RETURNED = "returned", _("teruggestuurd")


# A round's fiches by review stage: the round's page counts them in total and per domain.
REVIEW_COUNTS = {
    "total": Count("pk"),
    **{state.value: Count("pk", filter=Q(review_state=state)) for state in ReviewState},
    # Finished projects' fiches carried forward: approved, and needing no work.
    "carried": Count("pk", filter=Q(carried_forward=True)),
}


class FicheQuerySet(models.QuerySet["Fiche"]):
    def in_round(self, reporting_round: ReportingRound) -> FicheQuerySet:
        return self.filter(round=reporting_round)

    def of_rrf_projects(self, rrf_only: bool = True) -> FicheQuerySet:
        """The RRF projects' fiches (all of them when not ``rrf_only``)."""
        return self.filter(project__is_rrf=True) if rrf_only else self

    def carried(self) -> FicheQuerySet:
        """Finished projects' fiches carried forward unchanged when their round opened."""
        return self.filter(carried_forward=True)

    def for_review_queue(self) -> FicheQuerySet:
        """The submitted fiches, first submitted first, with what the review queue shows."""
        return (
            self.filter(review_state=ReviewState.SUBMITTED)
            .select_related("project__domain", "submitted_by")
            .order_by("submitted_at")
        )

    def review_counts(self) -> dict[str, int]:
        """The fiches per review stage (``REVIEW_COUNTS``), in one query."""
        return self.aggregate(**REVIEW_COUNTS)

    def review_counts_by_domain(self) -> models.QuerySet[Fiche, dict[str, Any]]:
        """``review_counts`` per policy domain, in the domains' order: one row each, with
        ``project__domain__code`` and ``project__domain__name``."""
        return (
            self.values("project__domain__code", "project__domain__name")
            .annotate(**REVIEW_COUNTS)
            .order_by("project__domain__code")
        )

    def for_editor_desk(self, domain_ids: frozenset[int]) -> FicheQuerySet:
        """The fiches of these domains as an editor's "Mijn fiches" lists them, in one query:
        returned first, then drafts, then those not started (never saved), then the ones
        submitted or approved; by project code within each (``desk_group`` 0 to 3)."""
        group = Case(
            When(review_state=ReviewState.RETURNED, then=Value(0)),
            When(review_state=ReviewState.DRAFT, version__gt=1, then=Value(1)),
            When(review_state=ReviewState.DRAFT, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return (
            self.filter(project__domain_id__in=domain_ids)
            .select_related("project__domain")
            .annotate(desk_group=group)
            .order_by("desk_group", "project__code")
        )

    def for_history(self) -> FicheQuerySet:
        """Latest round first, with the round, the money, and the flags with their follow-up
        actions: a project's fiches on its page (``StatusFlag.is_raised`` picks the flag)."""
        return (
            self.select_related("round", "finance")
            .prefetch_related("flags__actions")
            .order_by("-round__reference_date")
        )

    def repeating_a_finished_status(self) -> FicheQuerySet:
        """Fiches of a finished project (realised, stopped) that repeat the status of the
        project's fiche in the round before: what opening a round carries forward, and so
        what an imported plan's rows of such a project are."""
        before = (
            Fiche.objects.filter(
                project=OuterRef("project"),
                round__reference_date__lt=OuterRef("round__reference_date"),
            )
            .order_by("-round__reference_date")
            .values("status")[:1]
        )
        return self.filter(status__in=ProjectStatus.finished()).filter(status=Subquery(before))

    def visible_to(self, user: User | AnonymousUser) -> FicheQuerySet:
        """Closed rounds for every signed-in user; the open round for its coordinators and the
        editors of the project's domain; draft rounds for the coordinators."""
        closed = Q(round__state=RoundState.CLOSED)
        if can_manage_rounds(user):
            return self.all()
        if can_read_all_open_fiches(user):
            return self.filter(closed | Q(round__state=RoundState.OPEN))
        if not can_read_open_round(user):
            # Domains alone give nothing: only an editor reads the own domains' drafts.
            return self.filter(closed)
        domains: frozenset[int] = getattr(user, "editable_domain_ids", frozenset())
        own_open = Q(round__state=RoundState.OPEN, project__domain_id__in=domains)
        return self.filter(closed | own_open)


class Fiche(models.Model):
    """The report of one project in one round: its status, narrative and review."""

    round = round_field("fiches")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="fiches",
    )
    # The project's status for the round, as every report counts it: the owner's
    # proposal, or the coordinators' orange or red flag while one is raised.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.NOT_STARTED,
    )
    owner_status = models.CharField(
        _("status volgens de projecteigenaar"),
        max_length=20,
        choices=ProjectStatus.owner_choices(),
        default=ProjectStatus.NOT_STARTED,
    )
    narrative = models.TextField(_("toelichting"), blank=True)
    review_state = models.CharField(
        _("beoordeling"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = actor_field(_("ingediend door"))
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = actor_field(_("beoordeeld door"))
    review_comment = models.TextField(_("opmerking bij de beoordeling"), blank=True)
    # A finished (realised or stopped) project's fiche, carried unchanged from the round
    # before when this round opened: it keeps counting, and needs no work.
    carried_forward = models.BooleanField(_("overgenomen"), default=False)
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = FicheQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "project"]
        verbose_name = _("fiche")
        verbose_name_plural = _("fiches")
        permissions = [
            ("edit_own_domain_fiche", _("Kan de fiches van de eigen beleidsdomeinen invullen")),
            ("edit_any_fiche", _("Kan elke fiche van het open meetmoment invullen")),
            ("review_fiche", _("Kan fiches beoordelen en projecten oranje of rood markeren")),
            ("export_workbook", _("Kan het plan als werkboek exporteren")),
            ("import_workbook", _("Kan een werkboek van het plan importeren")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project"], name="fiche_one_per_project_round"
            ),
            in_choices("status", ProjectStatus, name="fiche_status_valid"),
            in_choices("review_state", ReviewState, name="fiche_review_state_valid"),
            models.CheckConstraint(
                condition=Q(
                    owner_status__in=[value for value, _label in ProjectStatus.owner_choices()]
                ),
                name="fiche_owner_status_not_a_flag",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="fiche_version_positive"),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="fiche_round_status_idx"),
            # The review desk's queue (a round's submitted fiches, first submitted first), and
            # the project list's review filter and the round page's review counts (its prefix).
            models.Index(
                fields=["round", "review_state", "submitted_at", "id"],
                name="fiche_review_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} @ {self.round.code}"

    def get_absolute_url(self) -> str:
        return reverse("project", args=[self.project.code])
