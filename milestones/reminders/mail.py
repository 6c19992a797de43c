"""The digest as a mail: text and HTML, in the recipient's language, with absolute links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from milestones.models import Milestone
from projects.models import Fiche, FollowUpAction, ReportingRound, ReviewAction, ReviewEvent

from .due import Digest, MissingFiches


def absolute_url(path: str) -> str:
    """``path`` on the application's address as users reach it (``RELANCE_BASE_URL``)."""
    return f"{settings.RELANCE_BASE_URL}{path}"


def relative_day(day: dt.date, *, today: dt.date) -> str:
    """``day`` as seen from ``today``: "over 7 dagen", "morgen", "vandaag", "gisteren"."""
    days = (day - today).days
    if days == 0:
        return _("vandaag")
    if days == 1:
        return _("morgen")
    if days == -1:
        return _("gisteren")
    if days > 0:
        return ngettext("over %(days)d dag", "over %(days)d dagen", days) % {"days": days}
    return ngettext("%(days)d dag geleden", "%(days)d dagen geleden", -days) % {"days": -days}


def digest_message(digest: Digest, *, today: dt.date) -> EmailMultiAlternatives:
    """The mail for ``digest``, in its recipient's language."""
    recipient = digest.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = _context(digest, today=today)
        subject = _("Relance: uw herinneringen van %(date)s") % {
            "date": formats.date_format(today, "j F Y")
        }
        text = render_to_string("milestones/email/digest.txt", context)
        html = render_to_string("milestones/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class Line:
    """One line of the digest: what it is about, where to see it, when it is due."""

    item: Any
    url: str
    due_on: dt.date | None = None
    when: str = ""


def _context(digest: Digest, *, today: dt.date) -> dict[str, Any]:
    fiches: list[Line] = []
    returned: list[Line] = []
    submitted: list[Line] = []
    soon: list[Line] = []
    overdue: list[Line] = []
    follow_ups_soon: list[Line] = []
    follow_ups_overdue: list[Line] = []
    missing: MissingFiches | None = None
    for reminder in digest.reminders:
        item = reminder.subject
        if isinstance(item, Fiche):
            fiches.append(Line(item, _url("fiche", item.project.code)))
        elif isinstance(item, ReviewEvent):
            line = Line(item, _url("fiche", item.fiche.project.code))
            (returned if item.action == ReviewAction.RETURNED else submitted).append(line)
        elif isinstance(item, Milestone):
            due_on = reminder.key.due_on
            when = relative_day(due_on, today=today)
            line = Line(item, _url("project", item.project.code), due_on, when)
            (soon if due_on >= today else overdue).append(line)
        elif isinstance(item, FollowUpAction):
            due_on = reminder.key.due_on
            when = relative_day(due_on, today=today)
            line = Line(item, _url("fiche", item.flag.fiche.project.code), due_on, when)
            (follow_ups_soon if due_on >= today else follow_ups_overdue).append(line)
        else:
            missing = item
    fiche_round = fiches[0].item.round if fiches else None
    return {
        "recipient": digest.recipient,
        "today": today,
        "fiches": fiches,
        "fiche_round": fiche_round,
        "fiche_when": _when(fiche_round, today=today),
        "returned": returned,
        "milestones_soon": soon,
        "milestones_overdue": overdue,
        "follow_ups_soon": follow_ups_soon,
        "follow_ups_overdue": follow_ups_overdue,
        "missing": missing,
        "missing_url": _url("rounds:detail", missing.round.code) if missing else "",
        "missing_when": _when(missing.round if missing else None, today=today),
        "submitted": submitted,
        "home_url": absolute_url(reverse("home")),
        "account_url": absolute_url(reverse("account")),
    }


def _url(name: str, code: str) -> str:
    return absolute_url(reverse(name, args=[code]))


def _when(reporting_round: ReportingRound | None, *, today: dt.date) -> str:
    if reporting_round is None or reporting_round.deadline is None:
        return ""
    return relative_day(reporting_round.deadline, today=today)
