"""Forms of the milestones app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import User


class ReminderSettingsForm(forms.ModelForm):
    """What a user decides about the mail Relance sends them."""

    class Meta:
        model = User
        fields = ["reminders_enabled", "language"]
        labels = {
            "reminders_enabled": _("Stuur mij herinneringen per e-mail"),
            "language": _("Taal van de e-mails"),
        }
        help_texts = {
            "reminders_enabled": _(
                "Hoogstens één e-mail per dag, en alleen wanneer er iets voor u klaarstaat."
            ),
        }
