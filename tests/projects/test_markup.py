"""projects/markup.py: the same text as Django's format_html and conditional_escape, for
every kind of value a cell or an option gives it."""

from decimal import Decimal

from django.forms.models import ModelChoiceIteratorValue
from django.utils import html as django_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from projects import markup

VALUES = [
    "plain",
    "<b>\"quoted\" & 'apostrophe'</b>",
    mark_safe("<i>safe</i>"),
    gettext_lazy("Alle <statussen>"),
    3,
    Decimal("1234.50"),
    None,
    ModelChoiceIteratorValue("a&b", None),
]


def test_escaped_is_djangos_conditional_escape():
    for value in VALUES:
        assert markup.escaped(value) == django_html.conditional_escape(value), value


def test_format_html_is_djangos():
    for value in VALUES:
        ours = markup.format_html('<span title="{}">{}</span>', value, value)
        theirs = django_html.format_html('<span title="{}">{}</span>', value, value)
        assert ours == theirs
        assert hasattr(ours, "__html__")
