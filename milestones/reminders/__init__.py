"""Deadline reminders: one digest a day per person, with everything that is due for them.

``send_reminders(today=...)`` is the scan. The Celery beat runs it every morning
(``milestones.tasks.send_reminders``), ``manage.py send_reminders`` runs it by hand; both
are safe to repeat. What is due (offsets in ``settings.RELANCE_REMINDER_OFFSETS``):

- every fiche of the open round not yet submitted, to its domain's editors, before and
  after the round's deadline; some days after it, one overview of every missing fiche, by
  domain, to the coordinators;
- every milestone not realised or stopped, to its domain's editors, before and after its
  deadline (its forecast date when delayed). A milestone's status is its status in the
  latest round that has one, open or closed: the open round while one is open (its
  statuses are the ones owners are updating), the last closed round between rounds. A
  milestone without any status yet counts as open;
- every open follow-up action of a flag raised in the latest round (the open one, else the
  last closed one), to its project's domain's editors and to the coordinators, before and
  after its due date;
- the review steps since the last digest: a returned fiche to its domain's editors, a
  submitted fiche to the coordinators (while it is still returned, or awaiting review).
  The scan finds them in ``ReviewEvent``, so the review code sends nothing itself and a
  step taken while Redis is down is in the next digest all the same.

A domain's editors are the active editors whose domains include it or the domain it merged
into (as ``User.editable_domain_ids`` has it); the coordinators are those who review fiches.
Nobody hears of another domain's work; nobody who switched reminders off hears anything.

A stage is due on its day. When no scan ran that day, the next scan still sends it, up to
``RELANCE_REMINDER_CATCH_UP_DAYS`` later and never once the item's next stage is due;
review steps are looked for as far back.

Exactly once: every reminder is a ``ReminderLog`` row with a unique key (recipient, item,
stage, deadline). One transaction per recipient locks their user row, checks they had no
digest today, and inserts a row for each reminder; a row that exists already is a reminder
sent before, and stays out of the mail. The mail goes out after the commit, so no SMTP
conversation holds a transaction or a lock. When sending fails, the rows are deleted and the
next scan (the task's retry, or tomorrow's) sends them. A worker killed between the commit
and the send loses that digest: at most once, rather than twice.
"""

from .due import collect_digests, editors_by_domain
from .log import LogLine, describe, stage_label
from .sending import ScanResult, send_reminders

__all__ = [
    "LogLine",
    "ScanResult",
    "collect_digests",
    "describe",
    "editors_by_domain",
    "send_reminders",
    "stage_label",
]
