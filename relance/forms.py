"""Forms of the plan-wide workflows: rounds and the fiche with its milestones and money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseModelFormSet, formset_factory, modelformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from milestones.models import Milestone, MilestoneState
from projects.models import (
    Indicator,
    IndicatorDefinition,
    Project,
    ProjectStatus,
    ReportingRound,
)

from .services import FicheInput, MilestoneInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def money_field(label: Any) -> forms.DecimalField:
    # Localised: "1234567,89" and "1234567.89" both read as euro and cents; "1.234.567,89"
    # is refused rather than misread (no thousands separators, as in the workbook).
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=15, decimal_places=2, localize=True
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
    version = forms.IntegerField(widget=forms.HiddenInput)
    owner_status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.owner_choices())
    narrative = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    committed_eur = money_field(_("Vastgelegd, VAK (euro, cumulatief)"))
    paid_eur = money_field(_("Vereffend, VEK (euro, cumulatief)"))


class MilestoneStatusForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
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
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(
        label=_("Waarde"), required=False, max_digits=24, decimal_places=8, localize=True
    )
    note = forms.CharField(label=_("Toelichting"), required=False)


IndicatorValueFormSet = formset_factory(IndicatorValueForm, extra=0)


class IndicatorForm(forms.ModelForm):
    # TODO(indicators per round): the code lives on Indicator, the rest on its definition.
    code = forms.CharField(max_length=20, required=False)

    class Meta:
        model = IndicatorDefinition
        fields = ["name", "kind", "unit", "baseline", "target", "target_date"]
        widgets = {"target_date": DateInput()}
        localized_fields = ["baseline", "target"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["code"].required = self.fields["name"].required = False
        self.fields["kind"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_changed():
            return cleaned
        for name in ("code", "name", "kind"):
            if not cleaned.get(name):
                self.add_error(name, _("Verplicht voor een indicator."))
        code = cleaned.get("code")
        taken = Indicator.objects.filter(project=self.instance.project, code=code)
        if code and taken.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "code", _("Dit project heeft al een indicator %(code)s.") % {"code": code}
            )
        return cleaned


class BaseIndicatorFormSet(BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        codes = [form.cleaned_data.get("code") for form in self.forms if form.has_changed()]
        codes = [code for code in codes if code]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Elke indicator van een project heeft een eigen code."))


IndicatorFormSet = modelformset_factory(
    IndicatorDefinition, form=IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=False
)


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
