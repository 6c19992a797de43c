"""Forms of the coordinators' review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from .models import FlagLevel
from .services import FollowUp


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Waarom gaat de fiche terug?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Markering"), choices=FlagLevel.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Opvolgingsactie"), required=False)
    owner = forms.CharField(label=_("Verantwoordelijke"), required=False, max_length=200)
    due_date = forms.DateField(
        label=_("Uiterlijk op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

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


FollowUpFormSet = formset_factory(FollowUpForm, formset=BaseFollowUpFormSet, extra=3)


class LiftFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom wordt de markering opgeheven?"), widget=forms.Textarea(attrs={"rows": 2})
    )
