"""The reminder log as people read it: what each row was about, and where to see it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from milestones.models import Milestone, ReminderItem, ReminderLog
from projects.models import Fiche, FollowUpAction, ReportingRound, ReviewAction, ReviewEvent

_OFFSET = re.compile(r"^d([+-]\d+)$")


def stage_label(stage: str) -> str:
    """A stage in words: "7 dagen voor de deadline", "1 dag na de deadline", "teruggestuurd"."""
    match = _OFFSET.match(stage)
    if match is None:
        return str(ReviewAction(stage).label) if stage in ReviewAction.values else stage
    days = int(match.group(1))
    if days < 0:
        return ngettext(
            "%(days)d dag voor de deadline", "%(days)d dagen voor de deadline", -days
        ) % {"days": -days}
    if days > 0:
        return ngettext("%(days)d dag na de deadline", "%(days)d dagen na de deadline", days) % {
            "days": days
        }
    return _("op de deadline")


@dataclass(frozen=True)
class LogLine:
    log: ReminderLog
    label: str
    url: str
    stage: str


def describe(logs: Sequence[ReminderLog]) -> list[LogLine]:
    """The rows with what they were about: one query per kind of item, whatever the count."""
    ids: dict[str, set[int]] = {kind: set() for kind in ReminderItem.values}
    for log in logs:
        ids[log.item_kind].add(log.item_id)
    fiches = Fiche.objects.select_related("project", "round").in_bulk(ids[ReminderItem.FICHE])
    milestones = Milestone.objects.select_related("project").in_bulk(ids[ReminderItem.MILESTONE])
    rounds = ReportingRound.objects.in_bulk(ids[ReminderItem.MISSING_FICHES])
    events = ReviewEvent.objects.select_related("fiche__project").in_bulk(
        ids[ReminderItem.REVIEW_EVENT]
    )
    follow_ups = FollowUpAction.objects.select_related("flag__fiche__project").in_bulk(
        ids[ReminderItem.FOLLOW_UP]
    )
    lines = []
    for log in logs:
        label, url = _("(verwijderd)"), ""
        if log.item_kind == ReminderItem.FICHE and (fiche := fiches.get(log.item_id)):
            label = f"{fiche.project.code} · {fiche.project.title} ({fiche.round.code})"
            url = reverse("project", args=[fiche.project.code])
        elif log.item_kind == ReminderItem.MILESTONE and (ms := milestones.get(log.item_id)):
            label = f"{ms} · {ms.description}"
            url = reverse("project", args=[ms.project.code])
        elif log.item_kind == ReminderItem.MISSING_FICHES and (rnd := rounds.get(log.item_id)):
            label = str(rnd)
            url = rnd.get_absolute_url()
        elif log.item_kind == ReminderItem.REVIEW_EVENT and (event := events.get(log.item_id)):
            label = f"{event.fiche.project.code} · {event.fiche.project.title}"
            url = reverse("project", args=[event.fiche.project.code])
        elif log.item_kind == ReminderItem.FOLLOW_UP and (action := follow_ups.get(log.item_id)):
            project = action.flag.fiche.project
            label = f"{project.code} · {action.description}"
            url = reverse("project", args=[project.code])
        lines.append(LogLine(log, label, url, stage_label(log.stage)))
    return lines
