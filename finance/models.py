"""Money per project per round: commitments (VAK) and payments (VEK), cumulative."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Fiche
from projects.models.fields import money_field


class FinanceReport(models.Model):
    """The money part of a fiche.

    ``budget_eur`` stays empty while the round is open (the project's current budget
    counts) and is filled when the round closes, so that a closed round's percentages
    never move when a budget is shifted later (as VV181's 6 million came out of VV028,
    VV033 and VV101).
    """

    fiche = models.OneToOneField(
        Fiche, verbose_name=_("fiche"), on_delete=models.PROTECT, related_name="finance"
    )
    budget_eur = money_field(_("budget bij het meetmoment (euro)"), null=True, blank=True)
    committed_eur = money_field(
        _("vastgelegd, VAK (euro)"),
        null=True,
        blank=True,
        help_text=_("Vastleggingskredieten, cumulatief tot de referentiedatum."),
    )
    paid_eur = money_field(
        _("vereffend, VEK (euro)"),
        null=True,
        blank=True,
        help_text=_("Vereffeningskredieten, cumulatief tot de referentiedatum."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financieel rapport")
        verbose_name_plural = _("financiële rapporten")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="finance_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(committed_eur__isnull=True) | Q(committed_eur__gte=0),
                name="finance_committed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(paid_eur__isnull=True) | Q(paid_eur__gte=0),
                name="finance_paid_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.fiche)
