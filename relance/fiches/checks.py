"""The rules that judge a fiche, alone or against the previous round: one registry.

A rule is a small function registered under its code (the codes of
``shared/docs/interfaces.md``, "Quality rules", where one is listed there). It takes a
``FicheView`` (``snapshots.py``), a snapshot of what the fiche says (its status, narrative,
money, budget, milestones and indicator values, with the same project's fiche of the
previous round as ``previous``), and yields ``Finding``s::

    @rule("paid_exceeds_committed")
    def _paid_exceeds_committed(fiche: FicheView) -> Iterator[Finding]:
        if fiche.paid_eur is not None and fiche.committed_eur is not None and ...:
            yield warning("paid_eur", _("..."))

A rule about one milestone's own entry is a ``@milestone_rule``: it takes the fiche and one
of its milestones, and runs for each of them. An ``error`` blocks submitting the fiche; a
``warning`` is shown and blocks nothing. A milestone rule's error is an entry that cannot
be stored (a realised milestone without its date), so the fiche form refuses that row, draft
or not; unless the rule is registered with ``completeness=True``: it says what is still
missing (a delayed milestone's new date or reason), which a draft may lack, so its error
blocks only the submission (``storage_errors`` leaves it out).

Rules never query: they read the snapshot; thresholds come from ``settings.RELANCE_QUALITY``.
The quality rules of the interfaces that judge data rather than completeness are in
``relance/quality/rules.py``, registered here when the application starts (``apps.py``):
warnings on the fiche, never blocking. Who runs the registry:

- the fiche form: the page shows the stored fiche's findings (``snapshot``); saving checks
  the input (``services.input_view`` then ``run_checks``): errors keep a submitted fiche a
  draft, and each milestone row runs ``check_milestone`` on what it was given;
- the review queue: ``check_fiches(fiches)`` for a round's submitted fiches, a constant
  number of queries (``snapshots``) however many there are;
- ``quality_check`` and the page ``/quality/<code>/`` (``relance/quality/report.py``): the
  ``snapshots`` of a round's fiches; the workbook preview
  (``relance/workbook/importer/findings.py``): ``FicheView``s built from the file's rows,
  with ``previous`` from the file or as stored; then ``run_checks(view)`` for each. A rule about a
  project without any fiche (``missing_fiche``) is a round's, not a fiche's: it belongs to
  ``quality_check`` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from milestones.models import MilestoneState
from projects.models import Fiche
from relance.reporting.numbers import number

from .snapshots import FicheView, MilestoneView, snapshots

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """What a rule finds: ``field`` names the fiche's field it is about (a milestone's
    field when ``milestone``, its number, is given). ``subject`` says what the message is
    about where it is read apart from its field ("Mijlpaal 2" for a milestone rule's), and is
    empty when the message says so itself."""

    level: Level
    field: str | None
    message: str
    rule: str = ""
    milestone: int | None = None
    subject: str = ""
    # The facts that triggered it, as strings that compare across rounds and languages
    # (the figures: ``("VEK=70000000.00", "VAK=65200000.00")``; a suggestion's reason
    # codes). A coordinator's note on the finding holds while they do (``FindingNote``).
    facts: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    @property
    def sentence(self) -> str:
        """The message as read apart from its field: "Mijlpaal 2: Geef de nieuwe verwachte
        datum." in a list of what is still missing."""
        return f"{self.subject}: {self.message}" if self.subject else self.message


def error(field: str | None, message: str, *, facts: tuple[str, ...] = ()) -> Finding:
    """An error; the registry fills in the rule's code (and the milestone's number)."""
    return Finding("error", field, message, facts=facts)


def warning(field: str | None, message: str, *, facts: tuple[str, ...] = ()) -> Finding:
    return Finding("warning", field, message, facts=facts)


def fact(name: str, value: object) -> str:
    """A fact as a finding states it: ``VEK=70000000.00``, ``deadline=2024-03-31``, the
    same in every language and round."""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"))
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return f"{name}={value}"


def amount(value: Decimal) -> str:
    """An amount in a message, in the active language: 70.000.000 (cents where there are)."""
    return number(value, 0 if value == value.to_integral_value() else 2, strip=False)


def day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def threshold(name: str) -> Any:
    """A rule's threshold, from ``settings.RELANCE_QUALITY``."""
    return settings.RELANCE_QUALITY[name]


# -- the registry ----------------------------------------------------------------------------

FicheRule = Callable[[FicheView], Iterable[Finding]]
MilestoneRule = Callable[[FicheView, MilestoneView], Iterable[Finding]]

RULES: dict[str, FicheRule] = {}
MILESTONE_RULES: dict[str, MilestoneRule] = {}
# The milestone rules that judge completeness only: a draft may be stored without it.
COMPLETENESS_RULES: set[str] = set()


def rule(code: str) -> Callable[[FicheRule], FicheRule]:
    """Register a rule on the whole fiche under ``code``."""

    def register(function: FicheRule) -> FicheRule:
        if code in RULES or code in MILESTONE_RULES:
            raise ValueError(f"Two rules are called {code!r}.")
        RULES[code] = function
        return function

    return register


def milestone_rule(
    code: str, *, completeness: bool = False
) -> Callable[[MilestoneRule], MilestoneRule]:
    """Register a rule on one milestone's entry under ``code``; it runs for each milestone.
    A ``completeness`` rule's errors block submitting, never storing a draft."""

    def register(function: MilestoneRule) -> MilestoneRule:
        if code in RULES or code in MILESTONE_RULES:
            raise ValueError(f"Two rules are called {code!r}.")
        MILESTONE_RULES[code] = function
        if completeness:
            COMPLETENESS_RULES.add(code)
        return function

    return register


def check_milestone(
    fiche: FicheView, milestone: MilestoneView, *, only: Collection[str] | None = None
) -> list[Finding]:
    """What the milestone rules find in one milestone's entry (only the rules ``only``
    names, when given)."""
    found = [
        (code, finding)
        for code, function in MILESTONE_RULES.items()
        if only is None or code in only
        for finding in function(fiche, milestone)
    ]
    if not found:  # most milestones: no message to translate
        return []
    subject = _("Mijlpaal %(number)s") % {"number": milestone.number}
    return [
        replace(finding, rule=code, milestone=milestone.number, subject=subject)
        for code, finding in found
    ]


def storage_errors(fiche: FicheView, milestone: MilestoneView) -> list[Finding]:
    """The errors that keep a milestone's entry out of the database, draft or not: every
    milestone rule's error but the completeness rules'."""
    return [
        finding
        for finding in check_milestone(fiche, milestone)
        if finding.is_error and finding.rule not in COMPLETENESS_RULES
    ]


def run_checks(fiche: FicheView, *, only: Collection[str] | None = None) -> list[Finding]:
    """Every finding on the fiche: the fiche's rules in the order they were registered, then
    each milestone's, by milestone (only the rules ``only`` names, when given)."""
    findings = [
        replace(finding, rule=code)
        for code, function in RULES.items()
        if only is None or code in only
        for finding in function(fiche)
    ]
    for milestone in fiche.milestones:
        findings += check_milestone(fiche, milestone, only=only)
    return findings


def check_fiches(fiches: Iterable[Fiche]) -> dict[int, list[Finding]]:
    """The findings of each fiche, by its id, in a constant number of queries."""
    return {pk: run_checks(view) for pk, view in snapshots(fiches).items()}


# -- the rules -------------------------------------------------------------------------------


@rule("narrative_empty")
def _narrative_empty(fiche: FicheView) -> Iterator[Finding]:
    if not fiche.narrative.strip():
        yield error("narrative", _("De toelichting is leeg."))


@rule("committed_missing")
def _committed_missing(fiche: FicheView) -> Iterator[Finding]:
    if fiche.committed_eur is None:
        yield error("committed_eur", _("Het vastgelegde bedrag (VAK) ontbreekt."))


@rule("paid_missing")
def _paid_missing(fiche: FicheView) -> Iterator[Finding]:
    if fiche.paid_eur is None:
        yield error("paid_eur", _("Het vereffende bedrag (VEK) ontbreekt."))


@rule("missing_milestone_status")
def _missing_milestone_status(fiche: FicheView) -> Iterator[Finding]:
    for milestone in fiche.milestones:
        if not milestone.status:
            finding = error(
                "status",
                _("Mijlpaal %(number)s (%(description)s) heeft geen status.")
                % {"number": milestone.number, "description": milestone.description},
                facts=(fact("status", ""),),
            )
            yield replace(finding, milestone=milestone.number)


@rule("money_decreased")
def _money_decreased(fiche: FicheView) -> Iterator[Finding]:
    """VAK and VEK are cumulative: lower than in the previous round is a correction or a
    mistake, for the coordinators to ask about. Compared only where both rounds give it."""
    before = fiche.previous
    if before is None:
        return
    tolerance = Decimal(threshold("decrease_tolerance_eur"))
    for field, name, now, then, message in (
        (
            "committed_eur",
            "VAK",
            fiche.committed_eur,
            before.committed_eur,
            _(
                "Het vastgelegde bedrag (VAK) is lager dan in het vorige meetmoment: "
                "%(now)s tegenover %(then)s."
            ),
        ),
        (
            "paid_eur",
            "VEK",
            fiche.paid_eur,
            before.paid_eur,
            _(
                "Het vereffende bedrag (VEK) is lager dan in het vorige meetmoment: "
                "%(now)s tegenover %(then)s."
            ),
        ),
    ):
        if now is not None and then is not None and now < then - tolerance:
            yield warning(
                field,
                message % {"now": amount(now), "then": amount(then)},
                facts=(fact(name, now), fact(f"{name}_vorig", then)),
            )


@milestone_rule("realised_without_date")
def _realised_without_date(fiche: FicheView, milestone: MilestoneView) -> Iterator[Finding]:
    if milestone.status == MilestoneState.REALISED and milestone.realised_on is None:
        yield error("realised_on", _("Geef de datum waarop de mijlpaal gerealiseerd werd."))


@milestone_rule("delayed_without_forecast", completeness=True)
def _delayed_without_forecast(fiche: FicheView, milestone: MilestoneView) -> Iterator[Finding]:
    if milestone.status != MilestoneState.DELAYED:
        return
    if milestone.forecast_date is None:
        yield error(
            "forecast_date", _("Geef de nieuwe verwachte datum."), facts=("forecast_date=",)
        )
    if not milestone.delay_reason.strip():
        yield error("delay_reason", _("Geef de reden van de vertraging."), facts=("reason=",))


@milestone_rule("delayed_forecast_not_later")
def _delayed_forecast_not_later(fiche: FicheView, milestone: MilestoneView) -> Iterator[Finding]:
    forecast = milestone.forecast_date
    if milestone.status == MilestoneState.DELAYED and forecast and forecast <= milestone.deadline:
        yield error(
            "forecast_date",
            _("Een vertraagde mijlpaal valt na de deadline van %(deadline)s.")
            % {"deadline": date_format(milestone.deadline, "SHORT_DATE_FORMAT")},
        )
