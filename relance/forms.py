"""Forms of the plan-wide workflows: rounds, and a project leaving the plan. The fiche's
forms are in ``relance.fiches.forms``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.filters import ReadOnceChoices
from projects.inputs import DateField, NumberField
from projects.models import ReportingRound


class RoundForm(forms.ModelForm):
    envelope_eur = NumberField(
        label=_("Envelop (euro)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=15,
        decimal_places=2,
        shown_decimals=2,
        help_text=_(
            "De envelop van het plan waarvan de percentages van dit meetmoment genomen worden. "
            "Leeg: die van het vorige meetmoment. Vastgelegd bij het sluiten."
        ),
    )

    class Meta:
        model = ReportingRound
        fields = ["code", "name", "reference_date", "opens_on", "deadline", "envelope_eur"]
        field_classes = {"reference_date": DateField, "opens_on": DateField, "deadline": DateField}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        reference, deadline = cleaned.get("reference_date"), cleaned.get("deadline")
        code = cleaned.get("code")
        if reference and code and code != reference.strftime("%Y-%m"):
            self.add_error(
                "code",
                _("De code is het jaar en de maand van de referentiedatum: %(code)s.")
                % {"code": reference.strftime("%Y-%m")},
            )
        if reference and deadline and deadline < reference:
            self.add_error("deadline", _("De deadline kan niet vóór de referentiedatum vallen."))
        return cleaned


class CloseRoundForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden om toch te sluiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht zolang er fiches niet ingediend of niet beoordeeld zijn."),
    )


class RoundsReadOnce(forms.ModelChoiceField):
    """Its rounds read in one query, for the options and the ``required`` check alike
    (Django's own iterator asks for the first choice apart)."""

    iterator = ReadOnceChoices


class LeavePlanForm(forms.Form):
    """A project leaves the plan's monitoring from a round on (relance.services.leave_plan)."""

    from_round = RoundsReadOnce(
        label=_("Buiten het plan vanaf meetmoment"),
        queryset=ReportingRound.objects.none(),
        empty_label=None,
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: verder gefinancierd met reguliere middelen."),
    )

    def __init__(self, *args: Any, rounds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_round"]
        field.queryset = (  # type: ignore[attr-defined]
            rounds if rounds is not None else ReportingRound.objects.all()
        ).order_by("reference_date")
