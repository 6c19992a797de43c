"""Input fields that take exactly what the schema says: a JSON string where it says string,
a whole number where it says integer, a decimal string with its digits. DRF's own fields
are lenient (a number where a string is due, "3" or true where an integer is): a contract
tester rightly calls that a disagreement, and a client's mistake would pass unnoticed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MONEY_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"
QUANTITY_PATTERN = r"^-?\d{1,11}(\.\d{1,4})?$"


@extend_schema_field({"type": "string"})
class StrictCharField(serializers.CharField):
    """Text, and only text: a number or a boolean is refused, not turned into one."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DecimalStringField(serializers.Field):
    """An exact decimal, written as a string with a dot ("1250000.50"): never a float,
    never a thousands separator. Null clears the value."""

    default_error_messages = {
        "invalid": _("Geef een getal als tekst, bijvoorbeeld {example}."),
    }
    pattern = ""
    example = ""

    def __init__(self, **options: Any) -> None:
        options.setdefault("allow_null", True)
        super().__init__(**options)
        self._regex = re.compile(self.pattern)

    def to_internal_value(self, data: Any) -> str:
        # The text as given: the fiche form reads it as it reads a typed amount.
        if not isinstance(data, str) or not self._regex.fullmatch(data):
            self.fail("invalid", example=self.example)
        return data

    def to_representation(self, value: Decimal) -> str:
        return str(value)


@extend_schema_field(
    {
        "type": "string",
        "pattern": MONEY_PATTERN,
        "nullable": True,
        "example": "1250000.00",
        "description": "Euro, at most two decimals, not negative.",
    }
)
class MoneyField(DecimalStringField):
    pattern = MONEY_PATTERN
    example = '"1250000.00"'
    default_error_messages = {"negative": _("Een bedrag kan niet negatief zijn.")}

    def to_internal_value(self, data: Any) -> str:
        # A well-written amount with a minus is refused for what it is, not for its form.
        if isinstance(data, str) and data.startswith("-") and self._regex.fullmatch(data[1:]):
            self.fail("negative")
        return super().to_internal_value(data)

    def to_representation(self, value: Decimal) -> str:
        return f"{value:.2f}"


@extend_schema_field(
    {
        "type": "string",
        "pattern": QUANTITY_PATTERN,
        "nullable": True,
        "example": "120.5",
        "description": "A measured quantity, at most four decimals.",
    }
)
class QuantityField(DecimalStringField):
    pattern = QUANTITY_PATTERN
    example = '"120.5"'

    def to_representation(self, value: Decimal) -> str:
        return f"{value.normalize():f}"


@extend_schema_field({"type": "string", "format": "date", "nullable": True})
class StrictDateField(serializers.DateField):
    """A date as YYYY-MM-DD text only."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("allow_null", True)
        options.setdefault("input_formats", ["iso-8601"])
        super().__init__(**options)

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class ClosedSerializer(serializers.Serializer):
    """A request body with a fixed set of keys: an unknown key (a typo) is a 400 that names
    it, never silently ignored. The schema says so (``additionalProperties: false``, see
    ``schema.close_request_bodies``)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Onbekend veld.")] for name in unknown})
        return super().to_internal_value(data)
