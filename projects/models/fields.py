"""Field types that several models share."""

from __future__ import annotations

from typing import Any

from django.db import models


def money_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    """An amount in euro: exact to the cent, up to a thousand billion."""
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **options)
