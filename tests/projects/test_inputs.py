"""Amounts and dates are typed as the page's language writes them, and never misread."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from projects.inputs import DateField, NumberField, parse_number


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("nl", "1.650.000,50", "1650000.50"),
        ("nl", "250.000", "250000"),
        ("nl", "1650000,50", "1650000.50"),
        ("nl", "1650000.50", "1650000.50"),
        ("nl", "12.3456", "12.3456"),
        ("nl", "€ 1 650 000,50", "1650000.50"),
        ("nl", "-2,5", "-2.5"),
        ("en", "1,650,000.50", "1650000.50"),
        ("en", "250,000", "250000"),
        ("en", "1650000.50", "1650000.50"),
        ("en", "1234,56", "1234.56"),
    ],
)
def test_numbers_are_read_as_their_language_writes_them(language, typed, number):
    assert parse_number(typed, language=language) == Decimal(number)


@pytest.mark.parametrize(
    ("language", "typed"),
    [("nl", "1.2345,6"), ("nl", "1.23.456"), ("nl", "veel"), ("nl", "1,2,3"), ("en", "1,23,456")],
)
def test_a_number_that_could_be_misread_is_refused(language, typed):
    with pytest.raises(ValueError, match=re.escape(typed)):
        parse_number(typed, language=language)


class AmountForm(forms.Form):
    amount = NumberField(max_digits=15, decimal_places=2, shown_decimals=2, required=False)
    day = DateField(required=False)


@pytest.mark.parametrize(
    ("language", "shown", "day"),
    [("nl", "1.650.000,50", "31-12-2024"), ("en", "1,650,000.50", "31/12/2024")],
)
def test_the_form_shows_amounts_and_dates_in_the_language(language, shown, day):
    with translation.override(language):
        html = str(
            AmountForm(initial={"amount": Decimal("1650000.5"), "day": dt.date(2024, 12, 31)})
        )
    assert f'value="{shown}"' in html
    assert 'inputmode="decimal"' in html
    assert f'value="{day}"' in html
    # Text, not the browser's date picker, whose format follows the browser's locale.
    assert 'type="date"' not in html


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("typed", ["15-06-2025", "15/06/2025", "15062025", "2025-06-15"])
def test_a_date_is_day_first_in_both_languages(language, typed):
    with translation.override(language):
        form = AmountForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Geen datum: schrijf dag, maand en jaar, bijvoorbeeld 31-12-2024."),
        ("en", "Not a date: write day, month and year, for example 31/12/2024."),
    ],
)
def test_a_wrong_date_says_how_to_write_one(language, message):
    with translation.override(language):
        form = AmountForm({"day": "06-15-2025"})
        assert not form.is_valid()
        assert form.errors["day"] == [message]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "nl",
            "Geen getal: schrijf bijvoorbeeld 1.650.000,50 (punten tussen de duizendtallen "
            "mogen, een komma voor de decimalen).",
        ),
        (
            "en",
            "Not a number: write for example 1,650,000.50 (commas between the thousands are "
            "allowed, a point before the decimals).",
        ),
    ],
)
def test_a_wrong_amount_says_how_to_write_one(language, message):
    with translation.override(language):
        form = AmountForm({"amount": "veel"})
        assert not form.is_valid()
        assert form.errors["amount"] == [message]


def test_the_same_keys_are_cents_too_many_in_dutch_and_thousands_in_english():
    with translation.override("nl"):
        assert AmountForm({"amount": "250,125"}).errors["amount"] == [
            "Zorg dat er niet meer dan 2 cijfers achter de komma staan."
        ]
    with translation.override("en"):
        form = AmountForm({"amount": "250,125"})
        assert form.is_valid()
    assert form.cleaned_data["amount"] == Decimal(250125)
