from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .reader import Limits, WorkbookRefused, check_file


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Werkboek (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        """Refuse at once, before it is stored, what is no safe .xlsx of a sensible size."""
        upload = self.cleaned_data["file"]
        try:
            check_file(upload, Limits.from_settings())
        except WorkbookRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None
        return upload
