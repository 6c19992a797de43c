"""The tables of the import, in the order of writing: each sheet after those it refers to
(the declaration's order, ``SHEETS``)."""

from __future__ import annotations

from ..sheets import SHEETS
from .base import Context, Lookup, Table
from .fiches import Fiches
from .plan import Clusters, Domains, Milestones, Projects, Speerpunten
from .rounds import INDICATOR, Indicators, IndicatorValues, MilestoneStatuses, Rounds

TABLES: tuple[Table, ...] = (
    Domains(),
    Speerpunten(),
    Clusters(),
    Projects(),
    Milestones(),
    Rounds(),
    Fiches(),
    MilestoneStatuses(),
    Indicators(),
    IndicatorValues(),
)
BY_NAME = {table.name: table for table in TABLES}
LOOKUPS = {INDICATOR.name: INDICATOR}
assert tuple(table.sheet for table in TABLES) == SHEETS

__all__ = ["BY_NAME", "LOOKUPS", "TABLES", "Context", "Lookup", "Table"]
