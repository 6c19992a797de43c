"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS in the settings)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ATTRIBUTES = ("username", "first_name", "last_name", "email")


class UserAttributeContainedValidator:
    """Refuses a password that holds the user's name, first or last name or e-mail address
    (the part before the @), or a word of at least ``min_part_length`` characters of one,
    whatever the case and the punctuation in between.

    Django's ``UserAttributeSimilarityValidator`` compares the whole password with each
    attribute as a ratio (difflib's quick_ratio, at most 0.7): ``lezerlezer`` for the user
    ``lezer`` scores 2 × 5 / 15 = 0.67 and passes, and so does any name padded or repeated
    to twice its length. Holding the name is what makes such a password guessable.
    """

    def __init__(self, min_part_length: int = 4) -> None:
        self.min_part_length = min_part_length

    def _parts(self, user: Any) -> list[tuple[str, str]]:
        parts = []
        for attribute in ATTRIBUTES:
            value = getattr(user, attribute, None)
            if not value or not isinstance(value, str):
                continue
            if attribute == "email":
                # The mailbox, not the organisation's domain that every colleague shares.
                value = value.partition("@")[0]
            words = {value, *re.split(r"\W+", value)}
            parts += [
                (attribute, word.casefold()) for word in words if len(word) >= self.min_part_length
            ]
        return parts

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = password.casefold()
        squeezed = re.sub(r"\W+", "", folded)
        for attribute, part in self._parts(user):
            if part in folded or part in squeezed:
                field = user._meta.get_field(attribute).verbose_name
                raise ValidationError(
                    _("Het wachtwoord mag uw %(field)s niet bevatten.") % {"field": field},
                    code="password_contains_user_attribute",
                )

    def get_help_text(self) -> str:
        return _("Uw wachtwoord mag uw gebruikersnaam, naam of e-mailadres niet bevatten.")
