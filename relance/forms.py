"""Forms of the plan-wide workflows: rounds and the fiche with its milestones and money."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from milestones.models import Milestone, MilestoneState
from projects.models import (
    Indicator,
    IndicatorKind,
    ProjectStatus,
    ReportingRound,
)
from projects.models.indicators import QUANTITY_DECIMAL_PLACES, QUANTITY_MAX_DIGITS

from .services import FicheInput, IndicatorInput, MilestoneInput

# A hidden number names a row (an id: a BigAutoField) or a version (a PositiveIntegerField,
# an integer in PostgreSQL): anything past what its column holds is a form error, so it
# never reaches the database (where SQLite would raise OverflowError).
ID_MAX = 9_223_372_036_854_775_807
VERSION_MAX = 2_147_483_647
# Money as projects.models.fields.money_field stores it.
MONEY_MAX_DIGITS, MONEY_DECIMAL_PLACES = 15, 2


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def money_field(label: Any) -> forms.DecimalField:
    # Localised: "1234567,89" and "1234567.89" both read as euro and cents; "1.234.567,89"
    # is refused rather than misread (no thousands separators, as in the workbook).
    # max_digits and decimal_places bound it to the column: 0 to 9,999,999,999,999.99.
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        localize=True,
    )


def quantity_form_field(label: Any) -> forms.DecimalField:
    """A measured quantity as the column holds it: ±99,999,999,999.9999, four decimals."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=QUANTITY_MAX_DIGITS,
        decimal_places=QUANTITY_DECIMAL_PLACES,
        localize=True,
    )


class RoundForm(forms.ModelForm):
    envelope_eur = forms.DecimalField(
        label=_("Envelop (euro)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=15,
        decimal_places=2,
        localize=True,
        help_text=_(
            "De envelop van het plan waarvan de percentages van dit meetmoment genomen worden. "
            "Leeg: die van het vorige meetmoment. Vastgelegd bij het sluiten."
        ),
    )

    class Meta:
        model = ReportingRound
        fields = ["code", "name", "reference_date", "opens_on", "deadline", "envelope_eur"]
        widgets = {
            "reference_date": DateInput(),
            "opens_on": DateInput(),
            "deadline": DateInput(),
        }

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
            self.add_error("deadline", _("De deadline valt na de referentiedatum."))
        return cleaned


class CloseRoundForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden om toch te sluiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht zolang er fiches niet ingediend of niet beoordeeld zijn."),
    )


class FicheForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX)
    owner_status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.owner_choices())
    narrative = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    committed_eur = money_field(_("Vastgelegd, VAK (euro, cumulatief)"))
    paid_eur = money_field(_("Vereffend, VEK (euro, cumulatief)"))


class MilestoneStatusForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *MilestoneState.choices], required=False
    )
    realised_on = forms.DateField(label=_("Gerealiseerd op"), required=False, widget=DateInput())
    forecast_date = forms.DateField(label=_("Nieuwe datum"), required=False, widget=DateInput())
    delay_reason = forms.CharField(label=_("Reden van de vertraging"), required=False)
    note = forms.CharField(label=_("Toelichting"), required=False)

    def __init__(self, *args: Any, milestones: dict[int, Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones

    @property
    def milestone_object(self) -> Milestone | None:
        value = self["milestone"].value()
        try:
            return self.milestones.get(int(value))
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        milestone = self.milestones.get(cleaned.get("milestone", -1))
        if milestone is None:
            raise forms.ValidationError(_("Deze mijlpaal hoort niet bij het project."))
        status = cleaned.get("status")
        if status == MilestoneState.REALISED:
            realised_on: dt.date | None = cleaned.get("realised_on")
            if not realised_on:
                self.add_error(
                    "realised_on", _("Geef de datum waarop de mijlpaal gerealiseerd werd.")
                )
            elif realised_on > timezone.localdate():
                self.add_error("realised_on", _("Die datum ligt in de toekomst."))
        if status == MilestoneState.DELAYED:
            forecast: dt.date | None = cleaned.get("forecast_date")
            if not forecast:
                self.add_error("forecast_date", _("Geef de nieuwe verwachte datum."))
            elif forecast <= milestone.deadline:
                self.add_error(
                    "forecast_date",
                    _("Een vertraagde mijlpaal valt na de deadline van %(deadline)s.")
                    % {"deadline": date_format(milestone.deadline, "SHORT_DATE_FORMAT")},
                )
            if not cleaned.get("delay_reason", "").strip():
                self.add_error("delay_reason", _("Geef de reden van de vertraging."))
        return cleaned


MilestoneStatusFormSet = formset_factory(MilestoneStatusForm, extra=0)


class IndicatorValueForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    value = quantity_form_field(_("Waarde"))
    note = forms.CharField(label=_("Toelichting"), required=False)


IndicatorValueFormSet = formset_factory(IndicatorValueForm, extra=0)


class IndicatorForm(forms.Form):
    """One indicator of the fiche as the open round defines it; the extra row adds one.

    The code is the indicator's in every round, so it can only be changed while no other
    round knows the indicator; the rest is the open round's definition (see
    ``services.save_indicator_definitions``)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    name = forms.CharField(label=_("Naam"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", "—"), *IndicatorKind.choices], required=False
    )
    unit = forms.CharField(label=_("Eenheid"), max_length=50, required=False)
    baseline = quantity_form_field(_("Basiswaarde"))
    target = quantity_form_field(_("Streefwaarde"))
    target_date = forms.DateField(label=_("Streefdatum"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        indicators: Mapping[int, Indicator],
        fixed_codes: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        pk = self.initial.get("id")
        if pk in fixed_codes:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("De code geldt in elk meetmoment.")

    def clean_id(self) -> Indicator | None:
        pk = self.cleaned_data.get("id")
        if pk is None:
            return None
        if pk not in self.indicators:
            raise forms.ValidationError(_("Deze indicator hoort niet bij het project."))
        return self.indicators[pk]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_changed() and not cleaned.get("id"):
            return cleaned
        for name in ("code", "name", "kind"):
            if not (cleaned.get(name) or "").strip():
                self.add_error(name, _("Verplicht voor een indicator."))
        return cleaned

    def entry(self) -> IndicatorInput | None:
        """What the row says, or None for an untouched extra row."""
        data = self.cleaned_data
        if data.get("id") is None and not self.has_changed():
            return None
        return IndicatorInput(
            indicator=data.get("id"),
            code=data["code"].strip(),
            name=data["name"].strip(),
            kind=data["kind"],
            unit=data["unit"].strip(),
            baseline=data["baseline"],
            target=data["target"],
            target_date=data["target_date"],
        )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        codes = [entry.code for entry in self.entries()]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Elke indicator van een project heeft een eigen code."))

    def entries(self) -> list[IndicatorInput]:
        return [entry for form in self.forms if (entry := form.entry()) is not None]


IndicatorFormSet = formset_factory(IndicatorForm, formset=BaseIndicatorFormSet, extra=1)


def fiche_input(
    fiche_form: FicheForm,
    milestone_forms: Any,
    value_forms: Any,
) -> FicheInput:
    """What the three valid forms say, as the service takes it."""
    data = fiche_form.cleaned_data
    return FicheInput(
        version=data["version"],
        owner_status=data["owner_status"],
        narrative=data["narrative"],
        committed_eur=data["committed_eur"],
        paid_eur=data["paid_eur"],
        milestones=[
            MilestoneInput(
                milestone=form.milestones[form.cleaned_data["milestone"]],
                status=form.cleaned_data["status"],
                realised_on=form.cleaned_data["realised_on"],
                forecast_date=form.cleaned_data["forecast_date"],
                delay_reason=form.cleaned_data["delay_reason"].strip(),
                note=form.cleaned_data["note"].strip(),
            )
            for form in milestone_forms
        ],
        indicator_values={
            form.cleaned_data["indicator"]: (form.cleaned_data["value"], form.cleaned_data["note"])
            for form in value_forms
        },
    )


class LeavePlanForm(forms.Form):
    """A project leaves the plan's monitoring from a round on (relance.services.leave_plan)."""

    from_round = forms.ModelChoiceField(
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
