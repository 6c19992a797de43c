"""``{% small_field form.status %}``: the fiche's milestone fields as django-bootstrap5's
``{% bootstrap_field field size="sm" %}`` draws them, in a few string operations.

A big project's fiche has five fields for each of its milestones, and drawing each through
django-bootstrap5's renderer and templates was the costliest part of the page. This covers
only what those fields are, a text input or a select with a label and its errors, and refuses
anything else; tests/relance/test_fiche_widgets.py compares it with ``bootstrap_field`` in
every state the form has.
"""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def small_field(field: BoundField) -> SafeString:
    widget = field.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        kind, placeholder = "form-select", False
    elif isinstance(widget, forms.TextInput):
        kind, placeholder = "form-control", True
    else:
        raise TypeError(f"small_field draws text inputs and selects, not {type(widget).__name__}")
    if widget.attrs.get("class"):
        raise TypeError("small_field does not merge a widget's own classes")
    state = "is-invalid" if field.errors else "is-valid" if field.form.is_bound else ""
    attrs = {**widget.attrs, "class": " ".join(filter(None, (kind, f"{kind}-sm", state)))}
    if placeholder:
        attrs.setdefault("placeholder", conditional_escape(strip_tags(str(field.label))))
    errors = (
        format_html(
            '<div id="{}_error" class="w-100">{}</div>',
            field.auto_id,
            format_html_join(
                "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors)
            ),
        )
        if field.errors
        else ""
    )
    return format_html(
        '<div class="mb-3"><label class="form-label" for="{}">{}</label>{}{}</div>',
        field.id_for_label,
        field.label,
        field.as_widget(attrs=attrs),
        errors,
    )
