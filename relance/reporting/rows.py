"""What the dashboard shows, as plain values: the scope it is about (a round and part of
the plan) and its tiles, rows and heat-map cells, which dashboard.py builds and charts.py
draws."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString

from projects.models import ReportingRound
from relance.summary.values import SpeerpuntFigures


@dataclass(frozen=True)
class Scope:
    """The round and the part of the plan the figures are about."""

    round: ReportingRound
    speerpunt: int | None = None
    domain: str | None = None
    rrf_only: bool = False

    def filters(self) -> dict[str, Any]:
        """round_summary's keyword filters."""
        return {"speerpunt": self.speerpunt, "domain": self.domain, "rrf_only": self.rrf_only}

    def projects_url(self, reporting_round: ReportingRound | None = None, **extra: Any) -> str:
        """The project table showing these projects (``extra``: status, cluster, speerpunt)."""
        query = {
            "round": (reporting_round or self.round).code,
            "speerpunt": self.speerpunt,
            "domain": self.domain,
            "rrf": "yes" if self.rrf_only else None,
            **extra,
        }
        return _url("projects:list", query)

    def milestones_url(self, **extra: Any) -> str:
        """The milestone table showing these projects' milestones (``extra``: status …)."""
        query = {
            "round": self.round.code,
            "speerpunt": self.speerpunt,
            "domain": self.domain,
            "rrf": "yes" if self.rrf_only else None,
            **extra,
        }
        return _url("milestones:list", query)

    def dashboard_url(self, **extra: Any) -> str:
        """This dashboard, with ``extra`` in its query."""
        query = {"round": self.round.code, "speerpunt": self.speerpunt, "domain": self.domain}
        return _url(self.dashboard, {**query, "rrf": "1" if self.rrf_only else None, **extra})

    dashboard: ClassVar[str] = "home"  # the dashboard's URL name

    def query_string(self) -> str:
        query = {"speerpunt": self.speerpunt, "domain": self.domain}
        query["rrf"] = "1" if self.rrf_only else None
        return urlencode({key: value for key, value in query.items() if value is not None})


def _url(name: str, query: dict[str, Any]) -> str:
    kept = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(kept)}"


@dataclass(frozen=True)
class StatusTile:
    status: str
    label: str
    count: int
    pct: Decimal | None  # of the round's projects, one decimal
    change: int | None  # since the previous round
    url: str


@dataclass(frozen=True)
class SpeerpuntRow:
    speerpunt: SpeerpuntFigures
    label: str
    projects_url: str
    milestone_urls: dict[str, str]
    heat: SafeString = SafeString()  # the heat map's cells of its clusters (heatmap.py)


@dataclass(frozen=True)
class RoundRow:
    round: ReportingRound
    counts: dict[str, int]
    total: int
    url: str
    is_chosen: bool
