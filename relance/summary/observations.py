"""The observations per speerpunt: statements chosen from a round's figures by stated rules,
never written by hand. Each rule reads the speerpunten's figures alone (no query).

The rules (their codes are the ``rule`` of each entry of ``observations`` in
``round_summary --json``):

- ``most_delayed`` / ``least_delayed``: the speerpunt(en) with the largest and the smallest
  share of their milestones delayed in the round;
- ``most_realised`` / ``least_realised``: the largest and smallest share of projects realised;
- ``most_committed`` / ``least_committed``: the largest and smallest share of the budget
  committed (VAK);
- ``committed_at_or_above_threshold`` / ``committed_below_threshold``: the speerpunten that
  committed at least, or less than, the threshold: the share of its budget that the plan as a
  whole committed, rounded down to a whole percent.

A rule needs two speerpunten or more with figures to compare; ties are all named; a
"largest" that is nought, a "smallest" equal to the largest, or a "smallest" that more than
half of the speerpunten share (no news) is not observed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_FLOOR, Decimal

from milestones.models import MilestoneState
from projects.models import ProjectStatus

from .extras import Observation
from .values import SpeerpuntFigures, round_half_up, share

# (part, whole) of a speerpunt for a rule.
Measure = Callable[[SpeerpuntFigures], tuple[Decimal, Decimal]]


def _delayed(part: SpeerpuntFigures) -> tuple[Decimal, Decimal]:
    milestones = part.figures.milestones
    return Decimal(milestones.counts[MilestoneState.DELAYED]), Decimal(milestones.total)


def _realised(part: SpeerpuntFigures) -> tuple[Decimal, Decimal]:
    projects = part.figures.projects
    return Decimal(projects.counts[ProjectStatus.REALISED]), Decimal(projects.total)


def _committed(part: SpeerpuntFigures) -> tuple[Decimal, Decimal]:
    finance = part.figures.finance
    return finance.committed_eur, finance.budget_eur


MEASURES: tuple[tuple[str, str, Measure], ...] = (
    ("delayed", "milestones", _delayed),
    ("realised", "projects", _realised),
    ("committed", "eur", _committed),
)


def _values(
    parts: Sequence[SpeerpuntFigures], measure: Measure
) -> list[tuple[int, Decimal, Decimal, Decimal | None]]:
    rows = []
    for part in parts:
        numerator, whole = measure(part)
        if whole:
            rows.append((part.number, numerator, whole, round_half_up(share(numerator, whole))))
    return rows


def observations(parts: Sequence[SpeerpuntFigures]) -> tuple[Observation, ...]:
    """The observations on ``parts`` (a summary's ``by_speerpunt``), in the rules' order."""
    found: list[Observation] = []
    for name, unit, measure in MEASURES:
        rows = _values(parts, measure)
        if len(rows) < 2:
            continue
        shares = [row[3] or Decimal(0) for row in rows]
        top, bottom = max(shares), min(shares)
        if top == bottom:
            continue
        for rule, chosen in ((f"most_{name}", top), (f"least_{name}", bottom)):
            if rule.startswith("most") and not chosen:
                continue
            named = tuple(row for row in rows if (row[3] or Decimal(0)) == chosen)
            if rule.startswith("least") and len(named) * 2 > len(rows):
                continue
            found.append(Observation(rule, unit, tuple(row[0] for row in named), named))
    found.extend(_threshold(parts))
    return tuple(found)


def committed_threshold(parts: Sequence[SpeerpuntFigures]) -> Decimal | None:
    """The plan's committed share of its budget (the speerpunten together), rounded down to
    a whole percent; None without a budget."""
    budget = sum((part.figures.finance.budget_eur for part in parts), Decimal(0))
    committed = sum((part.figures.finance.committed_eur for part in parts), Decimal(0))
    pct = share(committed, budget)
    return None if pct is None else pct.to_integral_value(rounding=ROUND_FLOOR)


def _threshold(parts: Sequence[SpeerpuntFigures]) -> list[Observation]:
    rows = _values(parts, _committed)
    threshold = committed_threshold(parts)
    if len(rows) < 2 or threshold is None:
        return []
    above = tuple(row for row in rows if (share(row[1], row[2]) or 0) >= threshold)
    below = tuple(row for row in rows if (share(row[1], row[2]) or 0) < threshold)
    if not above or not below:
        return []
    return [
        Observation(rule, "eur", tuple(row[0] for row in named), named, threshold)
        for rule, named in (
            ("committed_at_or_above_threshold", above),
            ("committed_below_threshold", below),
        )
    ]
