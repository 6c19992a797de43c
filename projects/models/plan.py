"""The plan's structure: policy domains, speerpunten, clusters and projects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .fiches import Fiche
from .fields import money_field

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .rounds import ReportingRound
    from .users import User


class BilingualName:
    """A name in Dutch and, where given, in English: shown in the reader's language."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and get_language() == "en" else self.name


class PolicyDomain(BilingualName, models.Model):
    """A beleidsdomein: the part of the administration whose entity carries out a project."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    active_until = models.DateField(_("actief tot"), null=True, blank=True)
    # A merged domain keeps its projects and their history; the domain it merged
    # into takes over its editors' work.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_domains",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("beleidsdomein")
        verbose_name_plural = _("beleidsdomeinen")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2,10}$"), name="policydomain_code_format"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="policydomain_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.display_name}"


class SpeerpuntQuerySet(models.QuerySet["Speerpunt"]):
    def with_totals(self) -> SpeerpuntQuerySet:
        """Annotate ``cluster_count``, ``project_count`` and ``budget_eur`` (None of no
        project): each speerpunt's part of the plan."""
        return self.annotate(
            cluster_count=Count("clusters", distinct=True),
            project_count=Count("clusters__projects", distinct=True),
            budget_eur=Sum("clusters__projects__budget_eur"),
        )


class Speerpunt(BilingualName, models.Model):
    """A spearhead of the plan; numbered 1 to 7 in Vlaamse Veerkracht."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)

    objects = SpeerpuntQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("speerpunt")
        verbose_name_plural = _("speerpunten")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=99), name="speerpunt_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"


class Cluster(models.Model):
    """A thematic group of projects inside one speerpunt, numbered plan-wide."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    speerpunt = models.ForeignKey(
        Speerpunt, verbose_name=_("speerpunt"), on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="cluster_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TransitionCoefficient(models.IntegerChoices):
    """The share of a budget that serves a transition, as the EU's RRF tags its measures."""

    NONE = 0, "0%"
    PARTLY = 40, "40%"
    FULLY = 100, "100%"


class ProjectQuerySet(models.QuerySet["Project"]):
    def totals(self) -> dict[str, Any]:
        """``cluster_count``, ``project_count`` and ``budget_eur`` (None of no project) of
        these projects, in one query."""
        return self.aggregate(
            cluster_count=Count("cluster", distinct=True),
            project_count=Count("pk"),
            budget_eur=Sum("budget_eur"),
        )

    def in_plan_at(self, reporting_round: ReportingRound) -> ProjectQuerySet:
        """Projects still monitored in the plan at ``reporting_round``: those that did not
        leave it in that round or before."""
        return self.filter(
            Q(left_plan_from__isnull=True)
            | Q(left_plan_from__reference_date__gt=reporting_round.reference_date)
        )

    def with_structure(self) -> ProjectQuerySet:
        """Join what every list shows beside a project: its cluster, speerpunt and domain."""
        return self.select_related("cluster__speerpunt", "domain")

    def with_fiche_in(
        self, reporting_round: ReportingRound | None, user: User | AnonymousUser
    ) -> ProjectQuerySet:
        """Annotate ``round_status`` and ``round_review`` from each project's fiche in
        ``reporting_round``, or None where it has no fiche there or ``user`` may not read it.

        The fiche is read through ``Fiche.objects.visible_to(user)``, the one visibility
        rule, so that no page, export or count built on this queryset (filters on these
        annotations included) can reveal another domain's draft of the open round. It is
        joined (``round_fiche``: one per project and round), not read by a subquery per
        row; ``in_round_status`` and ``in_round_review`` filter on it with its indexes.
        """
        if reporting_round is None:
            return self.annotate(
                round_status=Value(None, output_field=CharField()),
                round_review=Value(None, output_field=CharField()),
            ).alias(
                joined_status=Value(None, output_field=CharField()),
                joined_review=Value(None, output_field=CharField()),
                fiche_readable=Value(False),
            )
        readable = Fiche.objects.visible_to(user).filter(round=reporting_round)
        joined = self.alias(
            round_fiche=FilteredRelation("fiches", condition=Q(fiches__round=reporting_round))
        ).alias(
            joined_status=F("round_fiche__status"),
            joined_review=F("round_fiche__review_state"),
            # EXISTS: PostgreSQL looks it up per row for a page, hashes it for a count.
            fiche_readable=Exists(readable.filter(project=OuterRef("pk"))),
        )
        return joined.annotate(
            round_status=Case(
                When(fiche_readable=True, then=F("joined_status")), output_field=CharField()
            ),
            round_review=Case(
                When(fiche_readable=True, then=F("joined_review")), output_field=CharField()
            ),
        )

    def in_round_status(self, states: Iterable[str]) -> ProjectQuerySet:
        """Those whose ``round_status`` (``with_fiche_in``) is one of ``states``: a status
        among them on a fiche the user may read (filtered apart, for the indexes)."""
        # Aliases of with_fiche_in, which the type checker cannot see.
        return self.filter(**{"joined_status__in": list(states), "fiche_readable": True})

    def in_round_review(self, states: Iterable[str]) -> ProjectQuerySet:
        """Those whose ``round_review`` (``with_fiche_in``) is one of ``states``."""
        return self.filter(**{"joined_review__in": list(states), "fiche_readable": True})

    def of_rrf(self, rrf: bool = True) -> ProjectQuerySet:
        """The RRF projects (``rrf``), or the other projects."""
        return self.filter(is_rrf=rrf)

    def search(self, text: str) -> ProjectQuerySet:
        """Projects whose code, title or executing entity contains ``text``."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(code__icontains=text) | Q(title__icontains=text) | Q(entity__icontains=text)
        )


class Project(models.Model):
    """A relanceproject, coded VV001 … VV181."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=500)
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="projects"
    )
    domain = models.ForeignKey(
        PolicyDomain,
        verbose_name=_("beleidsdomein"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    entity = models.CharField(_("uitvoerende entiteit"), max_length=200, blank=True)
    budget_eur = money_field(_("budget (euro)"))
    is_rrf = models.BooleanField(
        _("RRF-project"),
        default=False,
        help_text=_("Ook opgenomen in het Belgische plan voor de Europese RRF."),
    )
    rrf_measure = models.CharField(
        _("RRF-maatregel"), max_length=50, blank=True, help_text=_("Bijvoorbeeld I-2.09 of R-1.01.")
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    climate_coefficient = models.PositiveSmallIntegerField(
        _("klimaatcoëfficiënt (%)"),
        choices=TransitionCoefficient.choices,
        default=TransitionCoefficient.NONE,
        help_text=_("Het deel van het budget dat telt voor de klimaattransitie, zoals de RRF."),
    )
    digital_coefficient = models.PositiveSmallIntegerField(
        _("digitale coëfficiënt (%)"),
        choices=TransitionCoefficient.choices,
        default=TransitionCoefficient.NONE,
        help_text=_("Het deel van het budget dat telt voor de digitale transitie, zoals de RRF."),
    )
    # From this round on the project is no longer monitored in the plan (e.g. moved to
    # regular funding); the rounds before keep it as it was.
    left_plan_from = models.ForeignKey(
        "projects.ReportingRound",
        verbose_name=_("buiten het plan vanaf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_leaving",
    )
    left_plan_reason = models.TextField(_("reden buiten het plan"), blank=True)
    is_demo = models.BooleanField(
        _("demogegeven"),
        default=False,
        help_text=_("Gegenereerd voor het demoplan; geen gepubliceerd gegeven."),
    )
    rrf_is_demo = models.BooleanField(
        _("RRF-gegevens gegenereerd"),
        default=False,
        help_text=_(
            "De RRF-maatregel en de referenties, kwartalen en schijven van de mijlpalen en "
            "indicatoren zijn gegenereerd voor het demoplan; geen gepubliceerd gegeven."
        ),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        # The project list's sorts by title and by budget, in the order it shows them.
        indexes = [
            models.Index(fields=["title", "code"], name="project_title_idx"),
            models.Index(fields=["budget_eur", "code"], name="project_budget_idx"),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]+[0-9]+$"), name="project_code_format"
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(is_rrf=False) | ~Q(rrf_measure=""), name="project_rrf_needs_measure"
            ),
            models.CheckConstraint(
                condition=Q(climate_coefficient__in=TransitionCoefficient.values)
                & Q(digital_coefficient__in=TransitionCoefficient.values),
                name="project_transition_coefficients_valid",
            ),
            models.CheckConstraint(
                condition=Q(left_plan_from__isnull=True) | ~Q(left_plan_reason=""),
                name="project_leaving_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("project", args=[self.code])
