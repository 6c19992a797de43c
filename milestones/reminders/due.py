"""What is due for whom on a given day: the read-only half of the scan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from milestones.models import Milestone, MilestoneState, MilestoneStatus, ReminderItem
from projects.models import (
    Fiche,
    FollowUpAction,
    PolicyDomain,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    User,
)
from projects.models.rounds import RoundState

UNSUBMITTED = (ReviewState.DRAFT, ReviewState.RETURNED)
# A week before a follow-up action's due date and the day after, unless the settings say
# otherwise (``RELANCE_REMINDER_OFFSETS["follow_up"]``).
DEFAULT_FOLLOW_UP_OFFSETS = (-7, 1)


# -- stages ----------------------------------------------------------------------------------


def stage_name(offset: int) -> str:
    """The log's name of the stage ``offset`` days after a deadline: ``d-7``, ``d+1``."""
    return f"d{offset:+d}"


def active_stage(offsets: Iterable[int], days_after: int, *, catch_up: int) -> int | None:
    """The stage (an offset) due ``days_after`` days after a deadline, if any.

    A stage is due from its own day for ``catch_up`` more days, and never once the next
    stage is due, so that on any day at most one stage of an item is due.
    """
    ordered = sorted(set(offsets))
    for index, offset in enumerate(ordered):
        end = offset + catch_up + 1
        if index + 1 < len(ordered):
            end = min(end, ordered[index + 1])
        if offset <= days_after < end:
            return offset
    return None


def _reach(offsets: Iterable[int], *, catch_up: int) -> tuple[int, int]:
    """The days after a deadline on which some stage can be due: ``[first, last)``."""
    ordered = sorted(set(offsets))
    return ordered[0], ordered[-1] + catch_up + 1


@dataclass(frozen=True)
class Config:
    fiche: tuple[int, ...]
    missing_fiches: tuple[int, ...]
    milestone: tuple[int, ...]
    follow_up: tuple[int, ...]
    catch_up: int

    @classmethod
    def from_settings(cls) -> Config:
        offsets = settings.RELANCE_REMINDER_OFFSETS
        return cls(
            fiche=tuple(offsets["fiche"]),
            missing_fiches=tuple(offsets["missing_fiches"]),
            milestone=tuple(offsets["milestone"]),
            follow_up=tuple(offsets.get("follow_up", DEFAULT_FOLLOW_UP_OFFSETS)),
            catch_up=max(0, settings.RELANCE_REMINDER_CATCH_UP_DAYS),
        )


# -- what is due -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A reminder's unique key in the log, apart from its recipient. Plain strings: an
    enum member hashes apart from its value."""

    kind: str
    item_id: int
    stage: str
    due_on: dt.date


@dataclass(frozen=True)
class MissingFiches:
    """The coordinators' overview: the round's fiches not yet submitted, by domain."""

    round: ReportingRound
    by_domain: list[tuple[PolicyDomain, list[Fiche]]]

    @property
    def total(self) -> int:
        return sum(len(fiches) for _domain, fiches in self.by_domain)


@dataclass(frozen=True)
class Reminder:
    key: Key
    subject: Fiche | Milestone | ReviewEvent | MissingFiches | FollowUpAction


@dataclass
class Digest:
    """Everything due for one person today."""

    recipient: User
    reminders: list[Reminder] = field(default_factory=list)

    def only(self, keys: set[Key]) -> Digest:
        """The digest cut down to ``keys``, each reminder once."""
        kept: dict[Key, Reminder] = {}
        for reminder in self.reminders:
            if reminder.key in keys:
                kept.setdefault(reminder.key, reminder)
        return Digest(self.recipient, list(kept.values()))


def _recipients(permission: str) -> QuerySet[User]:
    """Active users holding ``permission`` (superusers too) who want reminders and have an
    address to receive them."""
    return (
        User.objects.with_perm(permission)
        .filter(reminders_enabled=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def editors_by_domain(only: User | None = None) -> dict[int, list[User]]:
    """For each domain, the editors who answer for it: members of the domain, or of the
    domain it merged into, two levels up, as in ``User.editable_domain_ids``. With
    ``only``: that user alone, for the domains they answer for."""
    members: dict[int, list[User]] = defaultdict(list)
    editors_ = _recipients("projects.edit_own_domain_fiche")
    if only is not None:
        editors_ = editors_.filter(pk=only.pk)
    for user in editors_.prefetch_related("domains"):
        for domain in user.domains.all():
            members[domain.pk].append(user)
    editors: dict[int, list[User]] = {}
    chains = PolicyDomain.objects.values_list("pk", "merged_into", "merged_into__merged_into")
    if only is not None:
        chains = chains.filter(
            Q(pk__in=list(members))
            | Q(merged_into__in=list(members))
            | Q(merged_into__merged_into__in=list(members))
        )
    for pk, *above in chains:
        found = {user.pk: user for d in (pk, *above) if d for user in members.get(d, [])}
        editors[pk] = list(found.values())
    return editors


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def collect_digests(*, today: dt.date, only: User | None = None) -> dict[int, Digest]:
    """What is due today for each person who gets a digest, by user id; only ``only``'s
    when given (the in-app notices: the items of the domains they answer for, and the
    coordinators' when they are one, read in SQL, not the whole plan's). Reads only."""
    config = Config.from_settings()
    editors = editors_by_domain(only)
    coordinators = list(_recipients("projects.review_fiche"))
    if only is not None:
        coordinators = [user for user in coordinators if user.pk == only.pk]
    # The domains with someone to tell; every domain's when a coordinator is told too.
    answered = {pk for pk, users in editors.items() if users}
    everywhere = answered if not coordinators else None
    digests: dict[int, Digest] = {}

    def add(users: Iterable[User], key: Key, subject: Any) -> None:
        for user in users:
            digests.setdefault(user.pk, Digest(user)).reminders.append(Reminder(key, subject))

    reporting_round = ReportingRound.objects.open().first()
    if reporting_round is not None:
        for fiche, key in _fiches_due(
            reporting_round, today=today, config=config, domains=answered
        ):
            add(editors.get(fiche.project.domain_id, []), key, fiche)
        overview = (
            _missing_overview(reporting_round, today=today, config=config) if coordinators else None
        )
        if overview is not None:
            add(coordinators, *overview)
        steps = _review_steps(reporting_round, today=today, config=config, domains=everywhere)
        for event, key in steps:
            if event.action == ReviewAction.RETURNED:
                told = editors.get(event.fiche.project.domain_id, [])
            else:
                told = coordinators
            # Nobody needs telling what they did themselves.
            add([user for user in told if user.pk != event.by_id], key, event)
    for milestone, key in _milestones_due(today=today, config=config, domains=answered):
        add(editors.get(milestone.project.domain_id, []), key, milestone)
    follow_ups = _follow_ups_due(reporting_round, today=today, config=config, domains=everywhere)
    for action, key in follow_ups:
        domain_id = action.flag.fiche.project.domain_id
        recipients = {user.pk: user for user in [*editors.get(domain_id, []), *coordinators]}
        add(recipients.values(), key, action)
    return dict(sorted(digests.items()))


def _fiches_due(
    reporting_round: ReportingRound, *, today: dt.date, config: Config, domains: set[int]
) -> list[tuple[Fiche, Key]]:
    deadline = reporting_round.deadline
    if deadline is None:
        return []
    stage = active_stage(config.fiche, (today - deadline).days, catch_up=config.catch_up)
    if stage is None:
        return []
    fiches = (
        Fiche.objects.filter(
            round=reporting_round, review_state__in=UNSUBMITTED, project__domain__in=domains
        )
        .select_related("round", "project__domain")
        .order_by("project__code")
    )
    return [(f, Key(ReminderItem.FICHE.value, f.pk, stage_name(stage), deadline)) for f in fiches]


def _missing_overview(
    reporting_round: ReportingRound, *, today: dt.date, config: Config
) -> tuple[Key, MissingFiches] | None:
    deadline = reporting_round.deadline
    if deadline is None:
        return None
    days_after = (today - deadline).days
    stage = active_stage(config.missing_fiches, days_after, catch_up=config.catch_up)
    if stage is None:
        return None
    by_domain: dict[int, tuple[PolicyDomain, list[Fiche]]] = {}
    for fiche in (
        Fiche.objects.filter(round=reporting_round, review_state__in=UNSUBMITTED)
        .select_related("project__domain")
        .order_by("project__domain__code", "project__code")
    ):
        domain = fiche.project.domain
        by_domain.setdefault(domain.pk, (domain, []))[1].append(fiche)
    if not by_domain:
        return None
    key = Key(ReminderItem.MISSING_FICHES.value, reporting_round.pk, stage_name(stage), deadline)
    return key, MissingFiches(reporting_round, list(by_domain.values()))


def _review_steps(
    reporting_round: ReportingRound, *, today: dt.date, config: Config, domains: set[int] | None
) -> list[tuple[ReviewEvent, Key]]:
    """Each fiche's latest return or submission in the last days, while it still holds:
    a fiche submitted again since it was returned is no news for its owners. Only the
    fiches of ``domains`` when given."""
    events = (
        ReviewEvent.objects.filter(
            fiche__round=reporting_round,
            action__in=[ReviewAction.RETURNED, ReviewAction.SUBMITTED],
            at__gte=_local_midnight(today - dt.timedelta(days=config.catch_up)),
            at__lt=_local_midnight(today + dt.timedelta(days=1)),
        )
        .select_related("fiche__project__domain", "by")
        .order_by("at", "pk")
    )
    if domains is not None:
        events = events.filter(fiche__project__domain__in=domains)
    latest = {event.fiche_id: event for event in events}
    holds = {
        ReviewAction.RETURNED: ReviewState.RETURNED,
        ReviewAction.SUBMITTED: ReviewState.SUBMITTED,
    }
    return [
        (
            event,
            Key(
                ReminderItem.REVIEW_EVENT.value,
                event.pk,
                str(event.action),
                timezone.localdate(event.at),
            ),
        )
        for event in sorted(latest.values(), key=lambda e: e.fiche.project.code)
        if event.fiche.review_state == holds[ReviewAction(event.action)]
    ]


def _milestones_due(
    *, today: dt.date, config: Config, domains: set[int]
) -> list[tuple[Milestone, Key]]:
    first, last = _reach(config.milestone, catch_up=config.catch_up)
    after, until = today - dt.timedelta(days=last), today - dt.timedelta(days=first)
    # Only a milestone whose deadline, or a delayed status's forecast, falls in the days
    # reached can be due: found in SQL before each one's latest status is looked up.
    forecast_in_reach = MilestoneStatus.objects.filter(
        status=MilestoneState.DELAYED,
        forecast_date__gt=after,
        forecast_date__lte=until,
        round__state__in=[RoundState.OPEN, RoundState.CLOSED],
    ).values("milestone_id")
    in_reach = Q(deadline__gt=after, deadline__lte=until) | Q(pk__in=forecast_in_reach)
    latest = MilestoneStatus.objects.filter(
        milestone=OuterRef("pk"), round__state__in=[RoundState.OPEN, RoundState.CLOSED]
    ).order_by("-round__reference_date")
    milestones = (
        Milestone.objects.filter(in_reach)
        .annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_forecast=Subquery(latest.values("forecast_date")[:1]),
        )
        .annotate(
            due_on=Case(
                When(
                    current_status=MilestoneState.DELAYED,
                    current_forecast__isnull=False,
                    then=F("current_forecast"),
                ),
                default=F("deadline"),
                output_field=DateField(),
            )
        )
        # A project that left the plan (from a round that is open or closed) reports no more.
        .exclude(project__left_plan_from__state__in=[RoundState.OPEN, RoundState.CLOSED])
        .filter(
            Q(current_status__isnull=True) | Q(current_status__in=MilestoneState.open()),
            project__domain__in=domains,
            due_on__gt=after,
            due_on__lte=until,
        )
        .select_related("project__domain")
        .order_by("due_on", "project__code", "number")
    )
    due: list[tuple[Milestone, Key]] = []
    for milestone in milestones:
        due_on: dt.date = milestone.due_on  # type: ignore[attr-defined]
        days_after = (today - due_on).days
        stage = active_stage(config.milestone, days_after, catch_up=config.catch_up)
        if stage is not None:
            key = Key(ReminderItem.MILESTONE.value, milestone.pk, stage_name(stage), due_on)
            due.append((milestone, key))
    return due


def _follow_ups_due(
    reporting_round: ReportingRound | None,
    *,
    today: dt.date,
    config: Config,
    domains: set[int] | None,
) -> list[tuple[FollowUpAction, Key]]:
    """The open follow-up actions of the flags raised in the open round, at a stage before
    or after their due date. Between rounds nothing is reminded: a closed round's action
    can no longer be marked done, and it is carried (a new action) into the next round."""
    if reporting_round is None:
        return []
    first, last = _reach(config.follow_up, catch_up=config.catch_up)
    actions = (
        FollowUpAction.objects.in_round(reporting_round)
        .of_raised_flags()
        .open()
        .filter(
            due_date__gt=today - dt.timedelta(days=last),
            due_date__lte=today - dt.timedelta(days=first),
        )
        .for_queue()
    )
    if domains is not None:
        actions = actions.filter(flag__fiche__project__domain__in=domains)
    due: list[tuple[FollowUpAction, Key]] = []
    for action in actions:
        stage = active_stage(
            config.follow_up, (today - action.due_date).days, catch_up=config.catch_up
        )
        if stage is not None:
            key = Key(ReminderItem.FOLLOW_UP.value, action.pk, stage_name(stage), action.due_date)
            due.append((action, key))
    return due
