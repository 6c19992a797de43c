"""The declaration of the plan workbook's format (workbook.md): each sheet and each of its
columns, once, by name (see ``schema.py`` for what a declaration says).

The import, the export, the preview, open data and the admin's export all read it: adding
a column is one line here (plus the model's field). The order of ``SHEETS`` is the export's
and the import's order of writing, each sheet after those it refers to.
"""

from __future__ import annotations

from ..schema import Sheet
from .plan import CLUSTERS, DOMAINS, MILESTONES, PROJECTS, SPEERPUNTEN
from .rounds import FICHES, INDICATOR_VALUES, INDICATORS, MILESTONE_STATUSES, ROUNDS, UNMOTIVATED

SHEETS: tuple[Sheet, ...] = (
    DOMAINS,
    SPEERPUNTEN,
    CLUSTERS,
    PROJECTS,
    MILESTONES,
    ROUNDS,
    FICHES,
    MILESTONE_STATUSES,
    INDICATORS,
    INDICATOR_VALUES,
)
BY_NAME = {sheet.name: sheet for sheet in SHEETS}
# The exported workbook's first sheet, for people: what the file holds. An import passes
# over it.
ABOUT_SHEET = "over_dit_bestand"

__all__ = [
    "ABOUT_SHEET",
    "BY_NAME",
    "CLUSTERS",
    "DOMAINS",
    "FICHES",
    "INDICATORS",
    "INDICATOR_VALUES",
    "MILESTONES",
    "MILESTONE_STATUSES",
    "PROJECTS",
    "ROUNDS",
    "SHEETS",
    "SPEERPUNTEN",
    "UNMOTIVATED",
]
