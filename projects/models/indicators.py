"""Indicators of a project (output, outcome, impact) and their value at each round."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import in_choices, rrf_constraints, rrf_instalment_field, rrf_quarter_field
from .plan import Project
from .rounds import ReportingRound, RoundState, round_field

# Fifteen significant digits: what PostgreSQL and SQLite (which keeps a decimal as a binary
# float) both store and give back exactly.
QUANTITY_MAX_DIGITS = 15
QUANTITY_DECIMAL_PLACES = 4


def quantity_field(verbose_name: object, **options: object) -> models.DecimalField:
    """A measured quantity: signed, up to 99,999,999,999.9999, with four decimals."""
    return models.DecimalField(
        verbose_name,  # type: ignore[arg-type]
        max_digits=QUANTITY_MAX_DIGITS,
        decimal_places=QUANTITY_DECIMAL_PLACES,
        **options,  # type: ignore[arg-type]
    )


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("output")
    OUTCOME = "outcome", _("outcome")
    IMPACT = "impact", _("impact")


class Indicator(models.Model):
    """What a project measures, known by its code. What it is (name, kind, unit, baseline,
    target) belongs to a round, like the figures: see ``IndicatorDefinition``."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Bijvoorbeeld OUT1."))

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_code_per_project"),
            models.CheckConstraint(condition=~Q(code=""), name="indicator_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}/{self.code}"


class IndicatorDefinitionQuerySet(models.QuerySet["IndicatorDefinition"]):
    def as_of(self, reporting_round: ReportingRound) -> IndicatorDefinitionQuerySet:
        """Each indicator's definition as it stands in ``reporting_round``, one per indicator.

        That is the round's own definition; failing that, for the open round (or one in
        preparation) the pending one a workbook gave, and then the latest of a closed round
        before it. A closed round falls back only on the closed rounds before it: what a
        draft changes never reaches it, and an indicator added later is not in it.
        """
        closed_before = Q(round__state=RoundState.CLOSED) & (
            Q(round__reference_date__lte=reporting_round.reference_date)
            if reporting_round.is_closed
            else Q(round__reference_date__lt=reporting_round.reference_date)
        )
        if reporting_round.is_closed:
            candidates = closed_before
        else:
            candidates = Q(round=reporting_round) | Q(round__isnull=True) | closed_before
        preference = Case(
            When(round=reporting_round, then=Value(0)),
            When(round__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return self._one_per_indicator(candidates, preference)

    def of_project(self, project: Project) -> IndicatorDefinitionQuerySet:
        return self.filter(indicator__project=project)

    def with_value_in(self, reporting_round: ReportingRound) -> IndicatorDefinitionQuerySet:
        """Annotate ``round_value``: the indicator's value in ``reporting_round``, or None."""
        value = IndicatorValue.objects.filter(
            round=reporting_round, indicator=OuterRef("indicator")
        )
        return self.annotate(round_value=Subquery(value.values("value")[:1]))

    def published(self) -> IndicatorDefinitionQuerySet:
        """Each indicator's definition as of the latest closed round that defines it: what
        the public sees. An indicator only a draft or a pending definition knows is absent."""
        return self._one_per_indicator(Q(round__state=RoundState.CLOSED), Value(0))

    def _one_per_indicator(self, candidates: Q, preference: Any) -> IndicatorDefinitionQuerySet:
        # One correlated subquery picks the definition per indicator, so that the result is
        # a plain queryset: it chains, prefetches and streams like any other.
        chosen = (
            IndicatorDefinition.objects.filter(candidates, indicator=OuterRef("indicator"))
            .alias(preference=preference)
            .order_by("preference", "-round__reference_date")
            .values("pk")[:1]
        )
        return self.filter(candidates, pk=Subquery(chosen))


class IndicatorDefinition(models.Model):
    """An indicator as it stood in a round: a draft's change stays the open round's, and a
    closed round's definition never changes (the closed-round guard refuses it).

    ``round`` is empty for a definition that a workbook gave while no round was open: it
    applies from the next round that opens, which takes it over.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="definitions",
    )
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("meetmoment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_definitions",
    )
    name = models.CharField(_("naam"), max_length=300)
    kind = models.CharField(_("soort"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("eenheid"), max_length=50, blank=True)
    baseline = quantity_field(_("basiswaarde"), null=True, blank=True)
    target = quantity_field(_("streefwaarde"), null=True, blank=True)
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    rrf_reference = models.CharField(_("RRF-referentie"), max_length=50, blank=True)
    rrf_quarter = rrf_quarter_field()
    rrf_instalment = rrf_instalment_field()

    history = HistoricalRecords()

    objects = IndicatorDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "indicator"]
        verbose_name = _("indicatordefinitie")
        verbose_name_plural = _("indicatordefinities")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "round"],
                condition=Q(round__isnull=False),
                name="indicatordefinition_one_per_round",
            ),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(round__isnull=True),
                name="indicatordefinition_one_pending",
            ),
            in_choices("kind", IndicatorKind, name="indicatordefinition_kind_valid"),
            models.CheckConstraint(
                condition=~Q(name=""), name="indicatordefinition_name_not_empty"
            ),
            *rrf_constraints("indicatordefinition"),
        ]

    def __str__(self) -> str:
        where = self.round.code if self.round_id else "—"  # type: ignore[union-attr]
        return f"{self.indicator} @ {where}: {self.name}"


class IndicatorValue(models.Model):
    """An indicator's value as reported at a round."""

    round = round_field("indicator_values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = quantity_field(_("waarde"))
    note = models.TextField(_("toelichting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "indicator"]
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "indicator"], name="indicatorvalue_one_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} @ {self.round.code}: {self.value}"
