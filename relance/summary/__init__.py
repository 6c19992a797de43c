"""The round summary: the one computation of a round's figures.

Everything that shows a round's figures (``manage.py round_summary``, the dashboard, the
progress report, open data) takes them from ``round_summary()``::

    summary = round_summary("2023-12")
    summary.totals.projects.counts["realised"]        # 33
    summary.totals.milestones.on_schedule_or_realised  # 1483
    summary.totals.finance.paid_pct                    # Decimal("50.28")
    summary.as_json()                                  # the JSON of interfaces.md
    summary_text(summary)                              # the Dutch text of the reports
    summary_text(summary, "en")                        # the same in English
    summary.observations, summary.transitions, summary.forecast, summary.changes

The rules (interfaces.md): a round's projects are those with a fiche in it, its milestones
those with a status in it. Percentages are of the summed budgets of the round's projects
(each fiche's budget frozen at closing, the project's current budget while the round is
open), computed exactly and rounded half-up to two decimals once, at the end. Changes
compare with the previous round by reference date, and are None for the first round.

Beyond the counts (issue 14): the change since the previous round and the year before
(extras.py), the amounts tagged per transition, the forecast (outlook.py) and the
observations per speerpunt by stated rules (observations.py), told by prose.py.

A closed round's summary is kept in Django's cache (cache.py): it never changes.
``compute_round_summary`` is the computation itself, never cached.

The figures are aggregated in SQL, in six queries whatever the plan's size (the forecast's
included). Amounts are
summed as whole cents, so that SQLite (which sums decimals as floats) is exact too.
"""

from .cache import round_summary
from .figures import round_summary as compute_round_summary
from .text import dutch_euro, dutch_number, dutch_pct, summary_text
from .values import (
    Figures,
    MilestoneFigures,
    MoneyFigures,
    ProjectFigures,
    RoundSummary,
    SpeerpuntFigures,
)

__all__ = [
    "Figures",
    "MilestoneFigures",
    "MoneyFigures",
    "ProjectFigures",
    "RoundSummary",
    "SpeerpuntFigures",
    "compute_round_summary",
    "dutch_euro",
    "dutch_number",
    "dutch_pct",
    "round_summary",
    "summary_text",
]
