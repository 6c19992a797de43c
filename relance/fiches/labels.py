"""The fiche form's accessible names and its error summary.

Every field of the form has a name of its own for a screen reader: a milestone's status is
"Status van mijlpaal 3: <description>", not one of nineteen "Status" (its visible column
header stays short). A failed save lists each error at the top of the page with a link to
its field, under the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MILESTONE_NAMES = {
    "status": gettext_lazy("Status van mijlpaal %(number)s: %(description)s"),
    "realised_on": gettext_lazy("Realisatiedatum van mijlpaal %(number)s: %(description)s"),
    "forecast_date": gettext_lazy("Nieuwe datum van mijlpaal %(number)s: %(description)s"),
    "delay_reason": gettext_lazy(
        "Reden van de vertraging van mijlpaal %(number)s: %(description)s"
    ),
    "note": gettext_lazy("Toelichting bij mijlpaal %(number)s: %(description)s"),
}
VALUE_NAMES = {
    "value": gettext_lazy("Waarde nu van indicator %(code)s"),
    "note": gettext_lazy("Toelichting bij indicator %(code)s"),
}


def _name(field: forms.Field, text: str) -> None:
    field.widget.attrs["aria-label"] = text


def name_fields(fiche_forms: Any) -> None:
    """Give each field of the milestone rows, the indicator values and the indicators a
    distinct accessible name, and each row the subject its errors are listed under."""
    for index, form in enumerate(fiche_forms.milestone_forms):
        milestone = form.milestone_object
        number = milestone.number if milestone else index + 1
        description = Truncator(milestone.description).chars(80) if milestone else ""
        form.subject = _("Mijlpaal %(number)s") % {"number": number}
        for name, text in MILESTONE_NAMES.items():
            _name(form.fields[name], str(text) % {"number": number, "description": description})
    for form, definition in fiche_forms.value_rows():
        code = definition.indicator.code
        form.subject = _("Indicator %(code)s") % {"code": code}
        for name, text in VALUE_NAMES.items():
            _name(form.fields[name], str(text) % {"code": code})
    for index, form in enumerate(fiche_forms.indicator_forms):
        code = form.initial.get("code")
        subject = (
            _("indicator %(code)s") % {"code": code}
            if code
            else _("nieuwe indicator (rij %(row)s)") % {"row": index + 1}
        )
        form.subject = subject[:1].upper() + subject[1:]
        for field in form.fields.values():
            if not field.widget.is_hidden:
                _name(
                    field,
                    _("%(field)s van %(subject)s") % {"field": field.label, "subject": subject},
                )


@dataclass(frozen=True)
class SummaryError:
    """One error of a failed save: what it is about, the message, and the field's id."""

    label: str
    message: str
    anchor: str


def _visible(form: forms.BaseForm) -> Iterator[forms.BoundField]:
    return (bound for bound in form if not bound.is_hidden)


def _form_errors(form: forms.BaseForm, fallback: str) -> Iterator[SummaryError]:
    first = next(_visible(form), None)
    for name, messages in form.errors.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            field = form.fields[name]
            label = field.widget.attrs.get("aria-label") or str(field.label)
            anchor = form[name].id_for_label
        else:
            label = getattr(form, "subject", "") or fallback
            anchor = first.id_for_label if first else "fiche-form"
        for message in messages:
            yield SummaryError(label=str(label), message=str(message), anchor=anchor)


def error_summary(fiche_forms: Any) -> list[SummaryError]:
    """Every error of the bound forms, in the page's order, each with its field's id."""
    errors = list(_form_errors(fiche_forms.main, _("Fiche")))
    sections: Iterable[tuple[Any, str, str]] = (
        (fiche_forms.milestone_forms, _("Mijlpalen"), "milestones-title"),
        (fiche_forms.value_forms, _("Indicatoren"), "indicators-title"),
        (fiche_forms.indicator_forms, _("Indicatoren van het project"), "indicators-title"),
    )
    for formset, title, anchor in sections:
        for message in formset.non_form_errors():
            errors.append(SummaryError(label=title, message=str(message), anchor=anchor))
        for form in formset.forms:
            errors.extend(_form_errors(form, title))
    return errors
