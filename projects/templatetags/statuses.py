"""A status as the reports show it, in its colour: ``{{ fiche.status|status_badge }}``,
``class="{{ status|status_class }}"``. The class and the label come from the statuses'
vocabulary (projects/models/statuses.py); a milestone's are in relance_figures.
"""

from __future__ import annotations

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language

from projects.models.statuses import ProjectStatus, VocabularyChoices

register = template.Library()


def badge(status: VocabularyChoices, *classes: str) -> SafeString:
    """The one markup of a status: a badge in its colour, with its label. Written once per
    status, classes and language (the label is translated): a list writes the same few
    badges in every row, and each cost a translation, a capfirst and two escapes."""
    return _badge(status, classes, get_language())


# typed: a status equals its value as a string, and two vocabularies may share a value.
@functools.lru_cache(maxsize=1024, typed=True)
def _badge(status: VocabularyChoices, classes: tuple[str, ...], language: str | None) -> SafeString:
    # ``language`` is in the key only: the label is translated into the active language.
    return format_html(
        '<span class="{}">{}</span>',
        " ".join(("badge", *classes, status.css_class)),
        capfirst(status.label),
    )


@register.filter
def status_badge(value: str | None) -> str:
    """A project status code as its badge; nothing for none."""
    return badge(ProjectStatus(value)) if value else ""


@register.filter
def status_class(value: str | None) -> str:
    """The CSS class of a project status's colour (``status-oranje``); empty for none."""
    return ProjectStatus(value).css_class if value else ""
