"""Fields, and the constraints on them, that several models share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from .users import User


def money_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    """An amount in euro: exact to the cent, up to a thousand billion."""
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **options)


def actor_field(verbose_name: Any) -> models.ForeignKey[User | Combinable | None, User | None]:
    """The user who did something (submitted, reviewed, closed …): empty where no user did
    (a workbook import, a task), kept when the user leaves, with no relation back from them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def in_choices(field: str, choices: type[models.Choices], *, name: str) -> models.CheckConstraint:
    """The database refuses a value of ``field`` that is not one of ``choices``."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


# The EU's Recovery and Resilience Facility runs its payment requests from 2021 to 2026; a
# year-quarter or an instalment past these bounds is a typing error, never a plan.
RRF_QUARTER_PATTERN = r"^20[2-3][0-9]-Q[1-4]$"
RRF_INSTALMENT_MAX = 20


def rrf_quarter_field() -> models.CharField:
    """The indicative year-quarter of an RRF milestone or target, as the Commission writes
    it: ``2024-Q2``."""
    return models.CharField(
        _("RRF-kwartaal"),
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(
                RRF_QUARTER_PATTERN,
                _("Een kwartaal als 2024-Q2 (jaar 2020 tot 2039, kwartaal Q1 tot Q4)."),
            )
        ],
        help_text=_("Indicatief kwartaal van de RRF, bv. 2024-Q2."),
    )


def rrf_instalment_field() -> models.PositiveSmallIntegerField:
    """The payment request (instalment) of the RRF an RRF milestone or target counts for."""
    return models.PositiveSmallIntegerField(
        _("RRF-betalingsschijf"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(RRF_INSTALMENT_MAX)],
        help_text=_("Nummer van het betalingsverzoek (schijf) van de RRF, vanaf 1."),
    )


def rrf_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The database refuses a year-quarter or an instalment out of its form or bounds."""
    return [
        models.CheckConstraint(
            condition=Q(rrf_quarter="") | Q(rrf_quarter__regex=RRF_QUARTER_PATTERN),
            name=f"{prefix}_rrf_quarter_format",
        ),
        models.CheckConstraint(
            condition=Q(rrf_instalment__isnull=True)
            | Q(rrf_instalment__gte=1, rrf_instalment__lte=RRF_INSTALMENT_MAX),
            name=f"{prefix}_rrf_instalment_range",
        ),
    ]
