"""What the dashboard's charts draw (static/js/dashboard.js), in the colours of the
published reports; the progress report's bars take the same colours."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from relance.summary.values import MILESTONE_STATUSES, PROJECT_STATUSES

if TYPE_CHECKING:
    from .rows import RoundRow, Scope, SpeerpuntRow

# The statuses take their colours from their vocabulary (projects/models/statuses.py).
MONEY_COLOURS = {"budget": "#d9dad6", "committed": "#0a3a78", "paid": "#5b9bd5"}
INK = "#1d1d1b"
MILLION = Decimal(10**6)


def _lines(label: str, width: int = 28) -> list[str]:
    """A long axis label on several lines (Chart.js draws a list as lines)."""
    return textwrap.wrap(label, width) or [label]


def _millions(amount: Decimal) -> float:
    return float((amount / MILLION).quantize(Decimal("0.1")))


def charts_data(
    scope: Scope, history: list[RoundRow], speerpunten: list[SpeerpuntRow]
) -> dict[str, Any]:
    """What static/js/dashboard.js draws: labels, datasets and the link behind every bar."""
    status_labels = {status: str(ProjectStatus(status).label) for status in PROJECT_STATUSES}
    milestone_labels = {status: str(MilestoneState(status).label) for status in MILESTONE_STATUSES}
    # On a phone the speerpunten's names leave no room for the bars.
    short_labels = [
        _("Speerpunt %(number)s") % {"number": row.speerpunt.number} for row in speerpunten
    ]
    return {
        "statusHistory": {
            "title": _("Projecten per status, per meetmoment"),
            "axis": _("projecten"),
            "labels": [str(row.round) for row in history],
            "datasets": [
                {
                    "label": status_labels[status],
                    "data": [row.counts[status] for row in history],
                    "color": ProjectStatus(status).hex,
                    "border": INK if ProjectStatus(status).colour.outlined else "#ffffff",
                }
                for status in PROJECT_STATUSES
            ],
            "links": [
                [scope.projects_url(reporting_round=row.round, status=status) for row in history]
                for status in PROJECT_STATUSES
            ],
        },
        "milestones": {
            "title": _("Mijlpalen per status, per speerpunt"),
            "axis": _("mijlpalen"),
            "labels": [_lines(row.label) for row in speerpunten],
            "shortLabels": short_labels,
            "datasets": [
                {
                    "label": milestone_labels[status],
                    "data": [
                        row.speerpunt.figures.milestones.counts[status] for row in speerpunten
                    ],
                    "color": MilestoneState(status).hex,
                    "border": INK if MilestoneState(status).colour.outlined else "#ffffff",
                }
                for status in MILESTONE_STATUSES
            ],
            "links": [
                [row.milestone_urls[status] for row in speerpunten] for status in MILESTONE_STATUSES
            ],
        },
        "money": {
            "title": _("Budget, VAK en VEK per speerpunt"),
            "axis": _("miljoen euro"),
            "unit": _("miljoen euro"),
            "labels": [_lines(row.label) for row in speerpunten],
            "shortLabels": short_labels,
            "datasets": [
                {
                    "label": label,
                    "data": [
                        _millions(getattr(row.speerpunt.figures.finance, name))
                        for row in speerpunten
                    ],
                    "color": MONEY_COLOURS[key],
                    "border": MONEY_COLOURS[key],
                }
                for key, name, label in (
                    ("budget", "budget_eur", _("Budget")),
                    ("committed", "committed_eur", _("Vastgelegd (VAK)")),
                    ("paid", "paid_eur", _("Vereffend (VEK)")),
                )
            ],
            "links": [[row.projects_url for row in speerpunten]] * 3,
        },
    }
