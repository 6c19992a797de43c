"""Early warnings: when a fiche's data suggest an orange or a red flag, with the reasons.

Two rules of the registry (``checks``), ``suggest_attention`` and ``suggest_action_required``:
at most one of them finds something on a fiche, the stronger. The reasons, each with its
threshold in ``settings.RELANCE_EARLY_WARNING``:

- ``delayed_share``: more than a share of the milestones due by the reference date is late
  (delayed, or still open past its deadline; stopped ones and ones without a status aside);
- ``rrf_milestone_delayed``: a milestone with an EU milestone or target reference
  (``Milestone.rrf_reference``) is late; one fact per milestone;
- ``postponed``: a milestone not realised nor stopped was postponed that many times or more;
  one fact per milestone;
- ``end_date_passed``: the project's end date is before the reference date, and it is not
  realised;
- ``paid_behind``: late in the project's life (a share of its duration elapsed by the
  reference date), VEK is still below a share of VAK;
- ``follow_up_overdue``: an open follow-up action of the raised flag is past its due date.

The suggestion is red with ``red_reasons`` reasons or more, or with a ``severe`` one;
orange otherwise. There is none for a realised or stopped project, nor at a level the
project is flagged at already, or below it. The finding's ``facts`` are the reasons (with
the milestone's number where one is about a milestone): a coordinator's dismissal
(``dismiss_suggestion``) holds, in its round and later ones, while no reason is added
(``Suggested.dismissed``). A suggestion is advice: accepting it opens the flag form
pre-filled (``motivation``), and only submitting that form raises a flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from milestones.models import MilestoneState
from projects.models import (
    Fiche,
    FindingNote,
    FlagLevel,
    NoteKind,
    ProjectStatus,
    User,
)

from .checks import Finding, rule, warning
from .notes import note_finding
from .review import ReviewError
from .snapshots import FicheView, MilestoneView, snapshot

ATTENTION_RULE = "suggest_attention"
ACTION_REQUIRED_RULE = "suggest_action_required"
# The suggestion rules by the flag they suggest, weakest first.
SUGGESTION_RULES = {
    ATTENTION_RULE: FlagLevel.ATTENTION,
    ACTION_REQUIRED_RULE: FlagLevel.ACTION_REQUIRED,
}


@dataclass(frozen=True)
class Reason:
    """One reason for a suggestion: its code, what it says (with its figures) and its facts
    (the code, or one ``code:number`` per milestone it is about)."""

    code: str
    message: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    level: FlagLevel
    reasons: tuple[Reason, ...]

    @property
    def rule(self) -> str:
        return ACTION_REQUIRED_RULE if self.level == FlagLevel.ACTION_REQUIRED else ATTENTION_RULE

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(fact for reason in self.reasons for fact in reason.facts)

    @property
    def message(self) -> str:
        reasons = "; ".join(reason.message for reason in self.reasons)
        if self.level == FlagLevel.ACTION_REQUIRED:
            return _("Suggestie rood (bijkomende actie noodzakelijk): %(reasons)s.") % {
                "reasons": reasons
            }
        return _("Suggestie oranje (bijzondere aandacht nodig): %(reasons)s.") % {
            "reasons": reasons
        }

    @property
    def motivation(self) -> str:
        """The flag form's motivation when a coordinator accepts it."""
        return _("Op voorstel van de vroege waarschuwing: %(reasons)s.") % {
            "reasons": "; ".join(reason.message for reason in self.reasons)
        }


def _thresholds() -> Mapping[str, Any]:
    return settings.RELANCE_EARLY_WARNING


def _number(value: Decimal | int) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def _percent(part: Decimal | int, whole: Decimal | int) -> str:
    return _number(round(Decimal(part) * 100 / Decimal(whole)))


def _late(milestone: MilestoneView, reference: dt.date) -> bool:
    """Delayed, or still open past its deadline at the reference date."""
    return milestone.status == MilestoneState.DELAYED or (
        milestone.status in MilestoneState.open() and milestone.deadline < reference
    )


def _delayed_share(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    due = [
        m
        for m in fiche.milestones
        if m.deadline <= fiche.reference_date and m.status and m.status != MilestoneState.STOPPED
    ]
    late = [m for m in due if _late(m, fiche.reference_date)]
    if len(due) < limits["delayed_min_due"] or len(late) * 100 <= limits["delayed_share_pct"] * len(
        due
    ):
        return None
    message = _(
        "%(late)s van de %(due)s mijlpalen die tegen de referentiedatum vervielen, zijn "
        "vertraagd (%(share)s%%, drempel %(threshold)s%%)"
    ) % {
        "late": len(late),
        "due": len(due),
        "share": _percent(len(late), len(due)),
        "threshold": limits["delayed_share_pct"],
    }
    return Reason("delayed_share", message, ("delayed_share",))


def _rrf_delayed(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    late = [m for m in fiche.milestones if m.rrf_reference and _late(m, fiche.reference_date)]
    if not late:
        return None
    message = _("RRF-mijlpaal vertraagd: %(milestones)s") % {
        "milestones": ", ".join(f"{m.number} ({m.rrf_reference})" for m in late)
    }
    return Reason(
        "rrf_milestone_delayed", message, tuple(f"rrf_milestone_delayed:{m.number}" for m in late)
    )


def _postponed(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    times = limits["postponements"]
    postponed = [
        m
        for m in fiche.milestones
        if m.status in MilestoneState.open() and m.postponements >= times
    ]
    if not postponed:
        return None
    message = _(
        "herhaaldelijk uitgestelde mijlpaal (drempel %(threshold)s keer): %(milestones)s"
    ) % {
        "threshold": times,
        "milestones": ", ".join(
            _("%(number)s (%(count)s keer)") % {"number": m.number, "count": m.postponements}
            for m in postponed
        ),
    }
    return Reason("postponed", message, tuple(f"postponed:{m.number}" for m in postponed))


def _end_date_passed(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    if fiche.end_date is None or fiche.end_date >= fiche.reference_date:
        return None
    message = _("de einddatum %(date)s is voorbij en het project is niet gerealiseerd") % {
        "date": date_format(fiche.end_date, "SHORT_DATE_FORMAT")
    }
    return Reason("end_date_passed", message, ("end_date_passed",))


def _paid_behind(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    start, end = fiche.start_date, fiche.end_date
    committed, paid = fiche.committed_eur, fiche.paid_eur
    if start is None or end is None or end <= start or not committed or paid is None:
        return None
    elapsed = min((fiche.reference_date - start).days, (end - start).days)
    if elapsed * 100 < limits["paid_elapsed_pct"] * (end - start).days:
        return None
    if paid * 100 >= limits["paid_share_pct"] * committed:
        return None
    message = _(
        "VEK %(paid)s is %(share)s%% van VAK %(committed)s na %(elapsed)s%% van de looptijd "
        "(drempel %(threshold)s%%)"
    ) % {
        "paid": _number(paid),
        "committed": _number(committed),
        "share": _percent(paid, committed),
        "elapsed": _percent(elapsed, (end - start).days),
        "threshold": limits["paid_share_pct"],
    }
    return Reason("paid_behind", message, ("paid_behind",))


def _follow_up_overdue(fiche: FicheView, limits: Mapping[str, Any]) -> Reason | None:
    due = fiche.follow_up_due
    if due is None or due >= (fiche.checked_on or fiche.reference_date):
        return None
    message = _("een opvolgingsactie van de markering is over tijd (uiterlijk %(date)s)") % {
        "date": date_format(due, "SHORT_DATE_FORMAT")
    }
    return Reason("follow_up_overdue", message, ("follow_up_overdue",))


REASONS = (
    _delayed_share,
    _rrf_delayed,
    _postponed,
    _end_date_passed,
    _paid_behind,
    _follow_up_overdue,
)


def reasons(fiche: FicheView) -> list[Reason]:
    """Every reason the fiche's data give, in the order of ``REASONS``."""
    limits = _thresholds()
    return [reason for find in REASONS if (reason := find(fiche, limits)) is not None]


def suggestion(fiche: FicheView) -> Suggestion | None:
    """The flag the fiche's data suggest, with its reasons; None when they suggest none, the
    project is realised or stopped, or it is flagged at that level or higher already."""
    if fiche.owner_status in ProjectStatus.finished():
        return None
    found = reasons(fiche)
    if not found:
        return None
    limits = _thresholds()
    red = len(found) >= limits["red_reasons"] or any(r.code in limits["severe"] for r in found)
    level = FlagLevel.ACTION_REQUIRED if red else FlagLevel.ATTENTION
    flagged = list(SUGGESTION_RULES.values()).index(FlagLevel(fiche.flag)) if fiche.flag else -1
    if list(SUGGESTION_RULES.values()).index(level) <= flagged:
        return None
    return Suggestion(level, tuple(found))


@rule(ATTENTION_RULE)
def _suggest_attention(fiche: FicheView) -> Iterator[Finding]:
    found = suggestion(fiche)
    if found is not None and found.level == FlagLevel.ATTENTION:
        yield warning(None, found.message, facts=found.facts)


@rule(ACTION_REQUIRED_RULE)
def _suggest_action_required(fiche: FicheView) -> Iterator[Finding]:
    found = suggestion(fiche)
    if found is not None and found.level == FlagLevel.ACTION_REQUIRED:
        yield warning(None, found.message, facts=found.facts)


# -- the coordinators' answer ----------------------------------------------------------------


@dataclass(frozen=True)
class Suggested:
    """A suggestion found on a fiche, as the coordinators see it: its finding, the level it
    suggests, and the dismissal that still holds for it (None: it stands)."""

    finding: Finding
    level: FlagLevel
    dismissed: FindingNote | None = None

    @property
    def facts_field(self) -> str:
        """The facts as the dismiss form posts them back."""
        return ",".join(self.finding.facts)


def dismissal(
    finding: Finding, project_id: int, notes: Mapping[tuple[int, str, int | None], FindingNote]
) -> FindingNote | None:
    """The dismissal standing for a suggestion (``notes.standing_notes``): the latest note on
    this suggestion, or on a stronger one, that dismissed all its facts."""
    levels = list(SUGGESTION_RULES)
    for code in levels[levels.index(finding.rule) :]:
        note = notes.get((project_id, code, None))
        if note is not None and note.kind == NoteKind.DISMISSED and note.covers(finding.facts):
            return note
    return None


def split_suggestion(
    findings: Iterable[Finding],
    project_id: int,
    notes: Mapping[tuple[int, str, int | None], FindingNote],
) -> tuple[list[Finding], Suggested | None]:
    """The findings other than the suggestion, and the suggestion (with its dismissal)."""
    others: list[Finding] = []
    found: Suggested | None = None
    for finding in findings:
        if finding.rule in SUGGESTION_RULES:
            note = dismissal(finding, project_id, notes)
            found = Suggested(finding, SUGGESTION_RULES[finding.rule], note)
        else:
            others.append(finding)
    return others, found


def is_suggestion(finding: Finding) -> bool:
    return finding.rule in SUGGESTION_RULES


@transaction.atomic
def dismiss_suggestion(
    *, fiche: Fiche, by: User, reason: str, seen_rule: str, seen_facts: Iterable[str]
) -> FindingNote:
    """Dismiss the fiche's suggestion, as the coordinator saw it (``seen_rule`` and
    ``seen_facts``): it stays dismissed, in this round and later ones, while its reasons do
    not grow. Refused without a reason, outside the open round, and when the suggestion has
    changed or gone since it was seen."""
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Zeg waarom de suggestie afgewezen wordt."))
    current = Fiche.objects.select_for_update().select_related("round", "project").get(pk=fiche.pk)
    if not current.round.is_open:
        raise ReviewError(
            _("Meetmoment %(round)s is niet open: de suggestie kan niet meer afgewezen worden.")
            % {"round": current.round}
        )
    found = suggestion(snapshot(current))
    if found is None:
        raise ReviewError(_("Er is geen suggestie meer voor dit project."), code="stale")
    if found.rule != seen_rule or set(found.facts) != set(seen_facts):
        raise ReviewError(
            _("De suggestie is gewijzigd sinds u ze zag; bekijk ze opnieuw voor u beslist."),
            code="stale",
        )
    return note_finding(
        reporting_round=current.round,
        project=current.project,
        rule=found.rule,
        milestone=None,
        kind=NoteKind.DISMISSED,
        facts=found.facts,
        comment=reason,
        by=by,
    )
