"""The quality rules of the interfaces (``shared/docs/interfaces.md``, "Quality rules") that
judge whether a fiche's data are plausible, in the one registry (``relance.fiches.checks``).

Each is a warning on the fiche: the owner sees it before submitting and may submit all the
same (the coordinators ask about it, and may explain it). ``quality_check`` reports some of
them as errors (``relance.quality.report.ERRORS``). Every message names the figures that
triggered it; a milestone rule's finding carries its milestone (the fiche shows it beside
the message), and the report puts the project and the milestone in front. ``facts`` are
those figures as ``checks.fact`` writes them: an explanation holds while they do.

Registered when the application starts (``RelanceConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from relance.fiches.checks import (
    Finding,
    amount,
    day,
    fact,
    milestone_rule,
    rule,
    threshold,
    warning,
)
from relance.fiches.snapshots import FicheView, MilestoneView

FINISHED = (ProjectStatus.REALISED, ProjectStatus.STOPPED)
CLOSED_MILESTONE = (MilestoneState.REALISED, MilestoneState.STOPPED)


@rule("realised_with_open_milestones")
def _realised_with_open_milestones(fiche: FicheView) -> Iterator[Finding]:
    if fiche.owner_status != ProjectStatus.REALISED:
        return
    open_ = [m.number for m in fiche.milestones if m.status not in CLOSED_MILESTONE]
    if open_:
        numbers = ", ".join(str(number) for number in open_)
        yield warning(
            "owner_status",
            ngettext(
                "Het project is gerealiseerd, maar %(count)s mijlpaal (%(numbers)s) is nog niet "
                "gerealiseerd of geschrapt.",
                "Het project is gerealiseerd, maar %(count)s mijlpalen (%(numbers)s) zijn nog "
                "niet gerealiseerd of geschrapt.",
                len(open_),
            )
            % {"count": len(open_), "numbers": numbers},
            facts=(fact("status", fiche.owner_status), fact("open", numbers)),
        )


@rule("paid_exceeds_committed")
def _paid_exceeds_committed(fiche: FicheView) -> Iterator[Finding]:
    paid, committed = fiche.paid_eur, fiche.committed_eur
    if paid is None or committed is None:
        return
    if paid > committed + Decimal(threshold("paid_over_committed_eur")):
        yield warning(
            "paid_eur",
            _("VEK %(paid)s ligt boven VAK %(committed)s.")
            % {"paid": amount(paid), "committed": amount(committed)},
            facts=(fact("VEK", paid), fact("VAK", committed)),
        )


@rule("committed_exceeds_budget")
def _committed_exceeds_budget(fiche: FicheView) -> Iterator[Finding]:
    committed, budget = fiche.committed_eur, fiche.budget_eur
    if committed is None or budget is None:
        return
    if committed > budget * (1 + Decimal(str(threshold("committed_over_budget_share")))):
        yield warning(
            "committed_eur",
            _("VAK %(committed)s ligt boven het budget van %(budget)s.")
            % {"committed": amount(committed), "budget": amount(budget)},
            facts=(fact("VAK", committed), fact("budget", budget)),
        )


@milestone_rule("overdue_future_milestone")
def _overdue_future_milestone(fiche: FicheView, milestone: MilestoneView) -> Iterator[Finding]:
    grace = dt.timedelta(days=threshold("future_grace_days"))
    if milestone.status == MilestoneState.FUTURE and milestone.deadline + grace < (
        fiche.reference_date
    ):
        yield warning(
            "status",
            _(
                "Nog niet aangevat, maar de deadline %(deadline)s ligt voor de referentiedatum "
                "%(reference)s."
            )
            % {
                "deadline": day(milestone.deadline),
                "reference": day(fiche.reference_date),
            },
            facts=(fact("status", milestone.status), fact("deadline", milestone.deadline)),
        )


@milestone_rule("realised_milestone_after_reference")
def _realised_milestone_after_reference(
    fiche: FicheView, milestone: MilestoneView
) -> Iterator[Finding]:
    realised = milestone.realised_on
    if (
        milestone.status == MilestoneState.REALISED
        and realised
        and realised > (fiche.reference_date)
    ):
        yield warning(
            "realised_on",
            _("Gerealiseerd op %(date)s, na de referentiedatum %(reference)s.")
            % {
                "date": day(realised),
                "reference": day(fiche.reference_date),
            },
            facts=(fact("realised_on", realised),),
        )


@rule("status_regressed")
def _status_regressed(fiche: FicheView) -> Iterator[Finding]:
    before = fiche.previous
    if before is None or before.owner_status not in FINISHED:
        return
    if fiche.owner_status and fiche.owner_status not in FINISHED:
        yield warning(
            "owner_status",
            _("Het project was %(before)s in het vorige meetmoment en is nu %(now)s.")
            % {
                "before": ProjectStatus(before.owner_status).label,
                "now": ProjectStatus(fiche.owner_status).label,
            },
            facts=(fact("status_vorig", before.owner_status), fact("status", fiche.owner_status)),
        )


@rule("unchanged_fiche")
def _unchanged_fiche(fiche: FicheView) -> Iterator[Finding]:
    """The same status, text, money and milestone entries as the previous round, although
    open milestones fell due in between: copied forward rather than updated? A finished
    project's fiche is carried forward unchanged on purpose."""
    before = fiche.previous
    if before is None or fiche.owner_status in FINISHED:
        return
    then = {m.id: m for m in before.milestones}
    same = (
        (fiche.owner_status, fiche.narrative.strip(), fiche.committed_eur, fiche.paid_eur)
        == (before.owner_status, before.narrative.strip(), before.committed_eur, before.paid_eur)
        and {m.id for m in fiche.milestones} == set(then)
        and all(_entry(m) == _entry(then[m.id]) for m in fiche.milestones)
    )
    if not same:
        return
    due = [
        m.number
        for m in fiche.milestones
        if before.reference_date < m.deadline <= fiche.reference_date
        and m.status not in CLOSED_MILESTONE
    ]
    if len(due) >= threshold("unchanged_min_due"):
        numbers = ", ".join(str(number) for number in due)
        yield warning(
            None,
            ngettext(
                "De fiche is ongewijzigd sinds het vorige meetmoment (%(before)s), hoewel "
                "mijlpaal %(numbers)s intussen verviel.",
                "De fiche is ongewijzigd sinds het vorige meetmoment (%(before)s), hoewel "
                "mijlpalen %(numbers)s intussen vervielen.",
                len(due),
            )
            % {"before": day(before.reference_date), "numbers": numbers},
            facts=(fact("vervallen", numbers),),
        )


def _entry(milestone: MilestoneView) -> tuple[object, ...]:
    return (
        milestone.status,
        milestone.realised_on,
        milestone.forecast_date,
        milestone.delay_reason.strip(),
    )
