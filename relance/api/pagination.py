"""Cursor pagination: pages stay stable while rows are added, and cost the same at any depth."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class OpenDataCursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


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
