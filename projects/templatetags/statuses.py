"""A status as the reports show it, in its colour: ``{{ fiche.status|status_badge }}``,
``class="{{ status|status_class }}"``. The class and the label come from the statuses'
vocabulary (projects/models/statuses.py); a milestone's are in relance_figures.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from projects.models.statuses import ProjectStatus, VocabularyChoices

register = template.Library()


def badge(status: VocabularyChoices, *classes: str) -> SafeString:
    """The one markup of a status: a badge in its colour, with its label."""
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
