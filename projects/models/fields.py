"""Fields, and the constraints on them, that several models share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from .users import User


def money_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    """An amount in euro: exact to the cent, up to a thousand billion."""
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **options)


def actor_field(verbose_name: Any) -> models.ForeignKey[User | Combinable | None, User | None]:
    """The user who did something (submitted, reviewed, closed …): empty where no user did
    (a workbook import, a task), kept when the user leaves, with no relation back from them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def in_choices(field: str, choices: type[models.Choices], *, name: str) -> models.CheckConstraint:
    """The database refuses a value of ``field`` that is not one of ``choices``."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)
