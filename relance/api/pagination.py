"""Cursor pagination: pages stay stable while rows are added, and cost the same at any depth."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class OpenDataCursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int:
        """The page size asked for: a whole number from 1 to ``max_page_size``. Anything
        else is a 400 that names the parameter (DRF would quietly use the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[1-9][0-9]{0,6}", raw) or int(raw) > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Een geheel getal van 1 tot %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Rows per page, 1-{self.max_page_size}."
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "The cursor of the page, from a `next` or `previous` link; an invalid "
                    "cursor is a 404."
                )
        return parameters


class ByCode(OpenDataCursor):
    ordering = "code"


class ByReferenceDate(OpenDataCursor):
    ordering = "-reference_date"


class ByProject(OpenDataCursor):
    """Rows annotated with ``project_code`` (a fiche: one per project in a round)."""

    ordering = "project_code"


class ByProjectAndMilestone(OpenDataCursor):
    """Rows annotated with ``project_code`` and ``milestone_number``."""

    ordering = ("project_code", "milestone_number")
