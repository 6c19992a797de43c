"""The in-app notices: what is due for a user, the same items the daily reminder mail holds
(milestones/reminders), shown on the home of each role (Mijn fiches, the review desk, the
admin's home)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import Milestone
from milestones.reminders.due import MissingFiches, collect_digests
from projects.models import Fiche, FollowUpAction, ReviewAction, ReviewEvent, User


@dataclass(frozen=True)
class Notice:
    """One thing due for the user, as the daily reminder mail has it."""

    text: str
    url: str
    due_on: dt.date | None = None


def notices_for(user: User) -> list[Notice]:
    """What the daily reminder mail holds for the user today (those who get it: with
    reminders on and an address)."""
    digest = collect_digests(today=timezone.localdate(), only=user).get(user.pk)
    found: list[Notice] = []
    for reminder in digest.reminders if digest else []:
        item = reminder.subject
        due_on = reminder.key.due_on
        if isinstance(item, Fiche):
            text = _("Fiche %(code)s invullen en indienen") % {"code": item.project.code}
            found.append(Notice(text, reverse("fiche", args=[item.project.code]), due_on))
        elif isinstance(item, ReviewEvent):
            code = item.fiche.project.code
            if item.action == ReviewAction.RETURNED:
                text = _("Fiche %(code)s is teruggestuurd") % {"code": code}
                found.append(Notice(text, reverse("fiche", args=[code])))
            else:
                text = _("Fiche %(code)s wacht op beoordeling") % {"code": code}
                found.append(Notice(text, reverse("fiche-review", args=[code])))
        elif isinstance(item, Milestone):
            text = _("Mijlpaal %(number)s van %(code)s") % {
                "number": item.number,
                "code": item.project.code,
            }
            found.append(Notice(text, reverse("project", args=[item.project.code]), due_on))
        elif isinstance(item, FollowUpAction):
            code = item.flag.fiche.project.code
            text = _("Opvolgingsactie bij %(code)s: %(action)s") % {
                "code": code,
                "action": item.description,
            }
            found.append(Notice(text, reverse("fiche", args=[code]), due_on))
        elif isinstance(item, MissingFiches):
            text = _("%(count)s fiches van %(round)s zijn nog niet ingediend") % {
                "count": item.total,
                "round": item.round,
            }
            found.append(Notice(text, reverse("rounds:detail", args=[item.round.code]), due_on))
    return found
