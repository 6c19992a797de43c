"""Cursor pagination: pages stay stable while rows are added, and cost the same at any depth."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination


class OpenDataCursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                # Capped, never an error (tests/relance/test_bounds.py): any text is taken,
                # so the schema says text, and how it is read.
                parameter["schema"] = {"type": "string"}
                parameter["description"] = (
                    f"Rows per page: a whole number from 1, read as {self.max_page_size} past "
                    f"{self.max_page_size}; anything else gives the default, {self.page_size}."
                )
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
