"""The figures' numbers (relance/reporting/numbers.py): written by Python's grouping for
speed, the same text as Django's ``number_format`` in every language, whatever the value."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from django.utils.formats import get_format, number_format

from relance.reporting.numbers import euro, number, pct


def django_number(value, places=0, *, strip=True):
    """What ``number`` wrote with Django's ``number_format`` before (issue 16)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = number_format(rounded, places, use_l10n=True, force_grouping=True)
    separator = str(get_format("DECIMAL_SEPARATOR"))
    if strip and places and separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def values(count):
    chooser = random.Random(16)
    for _ in range(count):
        yield (
            chooser.choice(
                [
                    Decimal(chooser.randint(-(10**13), 10**13))
                    / Decimal(10 ** chooser.randint(0, 6)),
                    chooser.uniform(-1e6, 1e6),
                    chooser.randint(-(10**9), 10**9),
                ]
            ),
            chooser.randint(0, 4),
            chooser.random() < 0.5,
        )


EDGES = [0, -0.0, Decimal("-0.004"), Decimal("0.005"), Decimal("-0.005"), 999, 1000, -1000,
         Decimal("999999.995"), Decimal("4168000000"), 10**20, Decimal("1E+5")]  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en"])
def test_number_writes_what_django_writes(language):
    with translation.override(language):
        cases = [*values(5000), *((v, p, s) for v in EDGES for p in range(4) for s in (1, 0))]
        for value, places, strip in cases:
            assert number(value, places, strip=strip) == django_number(
                value, places, strip=strip
            ), (value, places, strip)


def test_the_figures_in_each_language():
    with translation.override("nl"):
        assert (pct(Decimal("84.60")), euro(Decimal("4168000000"))) == (
            "84,6%",
            "€\u00a04.168.000.000",
        )
    with translation.override("en"):
        assert (pct(Decimal("84.60")), euro(Decimal("1234.5"))) == ("84.6%", "€\u00a01,234.50")


def test_a_grouping_other_than_threes_is_left_to_django(settings):
    settings.NUMBER_GROUPING = (3, 2, 0)  # Hindi's formats leave the grouping to settings
    with translation.override("hi"):
        assert number(12345678) == django_number(12345678) == "1,23,45,678"
