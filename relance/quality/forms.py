"""The quality page's filters and the form that explains a finding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .report import QUALITY_RULES, RULE_LABELS

SEVERITIES = [("error", gettext_lazy("fout")), ("warning", gettext_lazy("waarschuwing"))]
EXPLAINED = [("no", gettext_lazy("niet verklaard")), ("yes", gettext_lazy("verklaard"))]


class FindingFilter(forms.Form):
    """Narrows the round's findings; an unknown value is a form error and filters nothing."""

    rule = forms.ChoiceField(label=gettext_lazy("Regel"), required=False)
    domain = forms.ChoiceField(label=gettext_lazy("Beleidsdomein"), required=False)
    severity = forms.ChoiceField(
        label=gettext_lazy("Ernst"), required=False, choices=[("", "—"), *SEVERITIES]
    )
    explained = forms.ChoiceField(
        label=gettext_lazy("Verklaard"), required=False, choices=[("", "—"), *EXPLAINED]
    )
    project = forms.CharField(label=gettext_lazy("Project"), required=False, max_length=20)

    def __init__(self, domains: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        """``domains``: (code, name) of the domains the round's findings are in."""
        super().__init__(*args, **kwargs)
        rule_field = self.fields["rule"]
        assert isinstance(rule_field, forms.ChoiceField)
        rule_field.choices = [
            ("", "—"),
            *((code, f"{RULE_LABELS[code]} ({code})") for code in QUALITY_RULES),
        ]
        domain_field = self.fields["domain"]
        assert isinstance(domain_field, forms.ChoiceField)
        domain_field.choices = [
            ("", "—"),
            *((code, f"{code} {name}") for code, name in sorted(domains)),
        ]

    def values(self) -> dict[str, str]:
        """The filters given and valid (a wrong one is shown as such and filters nothing)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def described(self) -> str:
        """The filters applied, as a line of the export ("none" when none)."""
        chosen = self.values()
        if not chosen:
            return _("geen")
        return "; ".join(
            f"{self.fields[name].label}: {self._shown(name, value)}"
            for name, value in chosen.items()
        )

    def _shown(self, name: str, value: str) -> str:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
        return value


class ExplainForm(forms.Form):
    project = forms.CharField(widget=forms.HiddenInput, max_length=20)
    rule = forms.ChoiceField(widget=forms.HiddenInput, choices=[(c, c) for c in QUALITY_RULES])
    milestone = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2_147_483_647
    )
    comment = forms.CharField(
        label=gettext_lazy("Verklaring"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Geef een verklaring."))
        return comment
