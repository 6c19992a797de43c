"""The round summary as the published progress reports put it: Dutch by contract
(interfaces.md: ``round_summary CODE`` prints Dutch), English on request
(``summary_text(summary, language="en")``), numbers as each language writes them
(numbers.py). The prose (prose.py) tells the change since earlier rounds, the transitions,
the forecast and the observations per speerpunt.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from projects.models import ProjectStatus

from .numbers import local_and, local_date, local_euro, local_number, local_pct
from .prose import change_sentences, forecast_sentences, observation_text, transition_sentence
from .values import PROJECT_STATUSES, share

if TYPE_CHECKING:
    from .values import ProjectFigures, RoundSummary


def dutch_number(value: Decimal | int, places: int = 0) -> str:
    """1234567.891 → ``1.234.567,89`` (places=2); trailing decimal zeros dropped."""
    return local_number(value, places, dutch=True)


def dutch_pct(value: Decimal | None, places: int = 2) -> str:
    with translation.override("nl"):
        return local_pct(value, places)


def dutch_euro(amount: Decimal, *, signed: bool = False) -> str:
    """4168000000 → ``4,168 miljard euro``; 853000000 → ``853 miljoen euro``."""
    with translation.override("nl"):
        return local_euro(amount, signed=signed)


def dutch_date(day: dt.date) -> str:
    with translation.override("nl"):
        return local_date(day)


def _projects_sentence(projects: ProjectFigures) -> str:
    realised = projects.counts[ProjectStatus.REALISED]
    pct = lambda n: local_pct(share(n, projects.total), 0)  # noqa: E731
    if translation.get_language() == "nl":  # the reports' phrases, "is …" or "zijn …"
        text = (
            f"{realised} van de {projects.total} relanceprojecten ({pct(realised)}) "
            f"{ProjectStatus.REALISED.phrase(realised)}"
        )
        phrase = lambda status, n: ProjectStatus(status).phrase(n)  # noqa: E731
    else:
        text = _("%(count)s van de %(total)s relanceprojecten (%(pct)s) gerealiseerd") % {
            "count": realised, "total": projects.total, "pct": pct(realised),
        }  # fmt: skip
        phrase = lambda status, n: str(ProjectStatus(status).label)  # noqa: E731
    others = [
        f"{n} ({pct(n)}) {phrase(status, n)}"
        for status in (s for s in PROJECT_STATUSES if s != ProjectStatus.REALISED)
        if (n := projects.counts[status])
    ]
    return f"{text}; {local_and(others)}." if others else f"{text}."


def _money_sentence(label: str, amount: Decimal, pct: Decimal | None, budget: Decimal | None,
                    change: Decimal | None, points: Decimal | None, since: str) -> str:  # fmt: skip
    text = _("%(label)s: %(amount)s, of %(pct)s van het budget") % {
        "label": label, "amount": local_euro(amount), "pct": local_pct(pct),
    }  # fmt: skip
    if budget is not None:
        text += _(" van %(budget)s") % {"budget": local_euro(budget)}
    if change is not None:
        sign = "+" if points is None or points >= 0 else ""
        text += f"; {local_euro(change, signed=True)}"
        if points is not None:
            text += _(" (%(points)s procentpunt)") % {"points": f"{sign}{local_number(points, 2)}"}
        text += _(" sinds %(round)s") % {"round": since}
    return text + "."


def summary_text(summary: RoundSummary, language: str = "nl") -> str:
    """The round's figures as the published progress reports put them, in ``language``
    (``nl`` or ``en``)."""
    with translation.override(language):
        return "\n".join(_lines(summary))


def _lines(summary: RoundSummary) -> list[str]:
    totals, previous = summary.totals, summary.previous
    since = (previous.name or previous.code) if previous else ""
    milestones, money = totals.milestones, totals.finance
    milestone_line = _(
        "%(good)s van de %(total)s mijlpalen (%(pct)s) zijn gerealiseerd of op schema."
    ) % {
        "good": milestones.on_schedule_or_realised,
        "total": milestones.total,
        "pct": local_pct(milestones.on_schedule_or_realised_pct),
    }
    if summary.milestone_years is not None:
        first, last = summary.milestone_years
        milestone_line += " " + _(
            "Die %(total)s mijlpalen situeren zich tussen %(first)s en %(last)s."
        ) % {"total": milestones.total, "first": first, "last": last}
    lines = [
        _("Vlaamse Veerkracht, meetmoment %(round)s (referentiedatum %(date)s)") % {
            "round": summary.round.name or summary.code,
            "date": local_date(summary.reference_date),
        },
        "",
        " ".join([_projects_sentence(totals.projects), *change_sentences(summary, "projects")]),
        " ".join([milestone_line, *change_sentences(summary, "milestones")]),
        _money_sentence(
            _("Vastgelegd (VAK)"), money.committed_eur, money.committed_pct, money.base_eur,
            money.committed_change_eur, money.committed_change_pct_points, since,
        ),
        _money_sentence(
            _("Vereffend (VEK)"), money.paid_eur, money.paid_pct, None,
            money.paid_change_eur, money.paid_change_pct_points, since,
        ),
    ]  # fmt: skip
    if summary.transitions is not None:
        lines.append(transition_sentence(summary.transitions.plan))
    if summary.forecast is not None:
        lines += forecast_sentences(summary.forecast)
    if summary.observations:
        lines += ["", _("Vaststellingen per speerpunt:")]
        lines += [observation_text(observation) for observation in summary.observations]
    if summary.by_speerpunt:
        lines += ["", _("Per speerpunt:")]
    for speerpunt in summary.by_speerpunt:
        figures = speerpunt.figures
        dutch = translation.get_language() == "nl"
        counts = ", ".join(
            f"{n} {ProjectStatus(status).word if dutch else ProjectStatus(status).label}"
            for status in PROJECT_STATUSES
            if (n := figures.projects.counts[status])
        )
        name = speerpunt.name if dutch else (speerpunt.name_en or speerpunt.name)
        lines.append(
            _(
                "%(number)s. %(name)s: %(total)s projecten%(counts)s; %(good)s van de "
                "%(milestones)s mijlpalen (%(good_pct)s) gerealiseerd of op schema; "
                "VAK %(committed)s (%(committed_pct)s), VEK %(paid)s (%(paid_pct)s)."
            )
            % {
                "number": speerpunt.number,
                "name": name,
                "total": figures.projects.total,
                "counts": f" ({counts})" if counts else "",
                "good": figures.milestones.on_schedule_or_realised,
                "milestones": figures.milestones.total,
                "good_pct": local_pct(figures.milestones.on_schedule_or_realised_pct),
                "committed": local_euro(figures.finance.committed_eur),
                "committed_pct": local_pct(figures.finance.committed_pct),
                "paid": local_euro(figures.finance.paid_eur),
                "paid_pct": local_pct(figures.finance.paid_pct),
            }
        )
    return lines
