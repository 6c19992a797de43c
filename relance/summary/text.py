"""The round summary in Dutch, as the published progress reports put it.

The text is Dutch by contract (interfaces.md), like the reports it reads like, whatever the
user's language; numbers follow Dutch usage: 84,6%; 4,168 miljard euro.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from projects.models import ProjectStatus

from .values import PROJECT_STATUSES, share

if TYPE_CHECKING:
    from .values import ProjectFigures, RoundSummary

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_number(value: Decimal | int, places: int = 0) -> str:
    """1234567.891 → ``1.234.567,89`` (places=2); trailing decimal zeros dropped."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}".translate(str.maketrans(",.", ".,"))
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return "0" if text in ("-0", "") else text


def dutch_pct(value: Decimal | None, places: int = 2) -> str:
    return "–" if value is None else f"{dutch_number(value, places)}%"


def dutch_euro(amount: Decimal, *, signed: bool = False) -> str:
    """4168000000 → ``4,168 miljard euro``; 853000000 → ``853 miljoen euro``."""
    size = abs(amount)
    if size >= 10**9:
        text = f"{dutch_number(amount / 10**9, 3)} miljard euro"
    elif size >= 10**6:
        text = f"{dutch_number(amount / 10**6, 1)} miljoen euro"
    else:
        text = f"{dutch_number(amount)} euro"
    return f"+{text}" if signed and amount >= 0 else text


def dutch_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} en {parts[-1]}"


def _projects_sentence(projects: ProjectFigures) -> str:
    realised = projects.counts[ProjectStatus.REALISED]
    pct = lambda n: dutch_pct(share(n, projects.total), 0)  # noqa: E731
    text = (
        f"{realised} van de {projects.total} relanceprojecten ({pct(realised)}) "
        f"{ProjectStatus.REALISED.phrase(realised)}"
    )
    others = [
        f"{n} ({pct(n)}) {ProjectStatus(status).phrase(n)}"
        for status in (s for s in PROJECT_STATUSES if s != ProjectStatus.REALISED)
        if (n := projects.counts[status])
    ]
    return f"{text}; {_and(others)}." if others else f"{text}."


def _money_sentence(label: str, amount: Decimal, pct: Decimal | None, budget: Decimal | None,
                    change: Decimal | None, points: Decimal | None, since: str) -> str:  # fmt: skip
    text = f"{label}: {dutch_euro(amount)}, of {dutch_pct(pct)} van het budget"
    if budget is not None:
        text += f" van {dutch_euro(budget)}"
    if change is not None:
        sign = "+" if points is None or points >= 0 else ""
        text += f"; {dutch_euro(change, signed=True)}"
        if points is not None:
            text += f" ({sign}{dutch_number(points, 2)} procentpunt)"
        text += f" sinds {since}"
    return text + "."


def summary_text(summary: RoundSummary) -> str:
    """The round's figures in Dutch, as the published progress reports put them."""
    totals, previous = summary.totals, summary.previous
    since = (previous.name or previous.code) if previous else ""
    milestones, money = totals.milestones, totals.finance
    lines = [
        f"Vlaamse Veerkracht, meetmoment {summary.round.name or summary.code} "
        f"(referentiedatum {dutch_date(summary.reference_date)})",
        "",
        _projects_sentence(totals.projects),
        f"{milestones.on_schedule_or_realised} van de {milestones.total} mijlpalen "
        f"({dutch_pct(milestones.on_schedule_or_realised_pct)}) zijn gerealiseerd of op schema.",
        _money_sentence(
            "Vastgelegd (VAK)", money.committed_eur, money.committed_pct, money.base_eur,
            money.committed_change_eur, money.committed_change_pct_points, since,
        ),
        _money_sentence(
            "Vereffend (VEK)", money.paid_eur, money.paid_pct, None,
            money.paid_change_eur, money.paid_change_pct_points, since,
        ),
    ]  # fmt: skip
    if summary.by_speerpunt:
        lines += ["", "Per speerpunt:"]
    for speerpunt in summary.by_speerpunt:
        figures = speerpunt.figures
        counts = ", ".join(
            f"{n} {ProjectStatus(status).word}"
            for status in PROJECT_STATUSES
            if (n := figures.projects.counts[status])
        )
        lines.append(
            f"{speerpunt.number}. {speerpunt.name}: {figures.projects.total} projecten"
            f"{f' ({counts})' if counts else ''}; "
            f"{figures.milestones.on_schedule_or_realised} van de {figures.milestones.total} "
            f"mijlpalen ({dutch_pct(figures.milestones.on_schedule_or_realised_pct)}) "
            f"gerealiseerd of op schema; "
            f"VAK {dutch_euro(figures.finance.committed_eur)} "
            f"({dutch_pct(figures.finance.committed_pct)}), "
            f"VEK {dutch_euro(figures.finance.paid_eur)} ({dutch_pct(figures.finance.paid_pct)})."
        )
    return "\n".join(lines)
