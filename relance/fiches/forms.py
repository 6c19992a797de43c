"""The fiche's forms: the owners' fiche with its milestones, indicator values and
indicators, and the coordinators' review of it (return, flag with follow-up actions, lift).

Input format is checked here (numbers, dates, the choices); what the content says about the
fiche is judged by the rules in ``checks``, which a milestone row runs on what it was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.forms.renderers import Jinja2
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.models import Milestone, MilestoneState
from projects.inputs import DateField, NumberField
from projects.models import FlagLevel, Indicator, IndicatorKind, ProjectStatus
from projects.models.indicators import QUANTITY_DECIMAL_PLACES, QUANTITY_MAX_DIGITS

from .checks import storage_errors
from .indicators import IndicatorInput
from .review import FollowUp
from .services import FicheInput, MilestoneInput
from .snapshots import FicheView, MilestoneView

# A hidden number names a row (an id: a BigAutoField) or a version (a PositiveIntegerField,
# an integer in PostgreSQL): anything past what its column holds is a form error, so it
# never reaches the database (where SQLite would raise OverflowError).
ID_MAX = 9_223_372_036_854_775_807
VERSION_MAX = 2_147_483_647
# Money as projects.models.fields.money_field stores it.
MONEY_MAX_DIGITS, MONEY_DECIMAL_PLACES = 15, 2


# The fiche's widgets (about a hundred inputs on a big project's fiche) are drawn from
# Django's own Jinja2 widget templates, the same markup as its Django-template ones at a
# fraction of the cost; the fields around them stay django-bootstrap5's.
RENDERER = Jinja2()


class FicheFormBase(forms.Form):
    default_renderer = RENDERER


def fiche_formset(form: type[FicheFormBase], **options: Any) -> type[BaseFormSet]:
    """``formset_factory`` with the fiche's renderer (its stubs lack Django 4's
    ``renderer`` argument)."""
    return formset_factory(form, renderer=RENDERER, **options)  # type: ignore[call-arg]


def money_field(label: Any) -> forms.DecimalField:
    # As the page's language writes it: "1.650.000,50", "1650000,50" and "1650000.50" read
    # as euro and cents in Dutch (projects/inputs.py); shown as "1.650.000,50".
    # max_digits and decimal_places bound it to the column: 0 to 9,999,999,999,999.99.
    return NumberField(
        label=label,
        required=False,
        min_value=0,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        shown_decimals=MONEY_DECIMAL_PLACES,
    )


def quantity_form_field(label: Any) -> forms.DecimalField:
    """A measured quantity as the column holds it: ±99,999,999,999.9999, four decimals."""
    return NumberField(
        label=label,
        required=False,
        max_digits=QUANTITY_MAX_DIGITS,
        decimal_places=QUANTITY_DECIMAL_PLACES,
    )


class FicheForm(FicheFormBase):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX)
    owner_status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.owner_choices())
    narrative = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    committed_eur = money_field(_("Vastgelegd, VAK (euro, cumulatief)"))
    paid_eur = money_field(_("Vereffend, VEK (euro, cumulatief)"))


class MilestoneStatusForm(FicheFormBase):
    milestone = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *MilestoneState.choices], required=False
    )
    realised_on = DateField(label=_("Gerealiseerd op"), required=False)
    forecast_date = DateField(label=_("Nieuwe datum"), required=False)
    delay_reason = forms.CharField(label=_("Reden van de vertraging"), required=False)
    note = forms.CharField(label=_("Toelichting"), required=False)

    def __init__(
        self,
        *args: Any,
        milestones: dict[int, Milestone],
        fiche: FicheView,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        self.fiche = fiche

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
        status = cleaned.get("status", "")
        realised_on: dt.date | None = cleaned.get("realised_on")
        if status == MilestoneState.REALISED and realised_on and realised_on > timezone.localdate():
            self.add_error("realised_on", _("Die datum ligt in de toekomst."))
        # What the entry says is judged by the milestone rules, as everywhere else; an
        # error there is an entry that cannot be stored, draft or not. What a draft may
        # still lack (a delay's new date or reason) blocks only the submission.
        entry = MilestoneView(
            id=milestone.pk,
            number=milestone.number,
            description=milestone.description,
            deadline=milestone.deadline,
            status=status,
            realised_on=realised_on,
            forecast_date=cleaned.get("forecast_date"),
            delay_reason=cleaned.get("delay_reason", ""),
        )
        for finding in storage_errors(self.fiche, entry):
            self.add_error(finding.field, finding.message)
        return cleaned


MilestoneStatusFormSet = fiche_formset(MilestoneStatusForm, extra=0)


class IndicatorValueForm(FicheFormBase):
    indicator = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    value = quantity_form_field(_("Waarde"))
    note = forms.CharField(label=_("Toelichting"), required=False)


IndicatorValueFormSet = fiche_formset(IndicatorValueForm, extra=0)


class IndicatorForm(FicheFormBase):
    """One indicator of the fiche as the open round defines it; the extra row adds one.

    The code is the indicator's in every round, so it can only be changed while no other
    round knows the indicator; the rest is the open round's definition (see
    ``indicators.save_indicator_definitions``)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    name = forms.CharField(label=_("Naam"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", "—"), *IndicatorKind.choices], required=False
    )
    unit = forms.CharField(label=_("Eenheid"), max_length=50, required=False)
    baseline = quantity_form_field(_("Basiswaarde"))
    target = quantity_form_field(_("Streefwaarde"))
    target_date = DateField(label=_("Streefdatum"), required=False)

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


IndicatorFormSet = fiche_formset(IndicatorForm, formset=BaseIndicatorFormSet, extra=1)


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


class ReturnForm(FicheFormBase):
    comment = forms.CharField(
        label=_("Waarom gaat de fiche terug?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagForm(forms.Form):  # its radio buttons are django-bootstrap5's own templates
    level = forms.ChoiceField(
        label=_("Markering"), choices=FlagLevel.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(FicheFormBase):
    description = forms.CharField(label=_("Opvolgingsactie"), required=False)
    owner = forms.CharField(label=_("Verantwoordelijke"), required=False, max_length=200)
    due_date = DateField(label=_("Uiterlijk op"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(cleaned.get(name) for name in ("description", "owner", "due_date")):
            for name in ("description", "owner", "due_date"):
                if not cleaned.get(name):
                    self.add_error(name, _("Vul de actie volledig in: wat, wie en tegen wanneer."))
        return cleaned


class BaseFollowUpFormSet(BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(errors for errors in self.errors) and not self.follow_ups():
            raise forms.ValidationError(_("Geef minstens één opvolgingsactie."))

    def follow_ups(self) -> list[FollowUp]:
        return [
            FollowUp(
                description=form.cleaned_data["description"].strip(),
                owner=form.cleaned_data["owner"].strip(),
                due_date=form.cleaned_data["due_date"],
            )
            for form in self.forms
            if form.cleaned_data.get("description")
        ]


FollowUpFormSet = fiche_formset(FollowUpForm, formset=BaseFollowUpFormSet, extra=3)


class LiftFlagForm(FicheFormBase):
    reason = forms.CharField(
        label=_("Waarom wordt de markering opgeheven?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DismissSuggestionForm(FicheFormBase):
    """Dismiss an early-warning suggestion: the reason, and the suggestion as it was seen
    (its rule and facts, posted back so a suggestion changed since is not dismissed)."""

    reason = forms.CharField(
        label=_("Waarom wijst u de suggestie af?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = forms.CharField(max_length=64, widget=forms.HiddenInput)
    facts = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_facts(self) -> list[str]:
        return [fact for fact in self.cleaned_data["facts"].split(",") if fact]
