"""Workflows across the plan: opening and closing rounds, saving and submitting fiches.

They touch projects, milestones and finance together, so they live here, the one package
that imports all three. Each is one transaction and raises ``ValidationError`` with a
message for people when it cannot be done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import FinanceReport
from finance.services import freeze_budgets
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    User,
)
from projects.models.rounds import RoundState


class StaleFicheError(ValidationError):
    """Someone saved the fiche after this form was opened."""


# -- rounds ----------------------------------------------------------------------------------


@transaction.atomic
def open_round(*, reporting_round: ReportingRound, by: User) -> int:
    """Open a round in preparation: a fiche for every project still running, pre-filled
    from the previous round (status, narrative, VAK/VEK, milestone statuses, indicator
    values). Returns the number of fiches created."""
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if reporting_round.state != RoundState.DRAFT:
        raise ValidationError(_("Alleen een meetmoment in voorbereiding kan geopend worden."))
    current = ReportingRound.objects.open().first()
    if current:
        raise ValidationError(
            _("Meetmoment %(round)s is nog open: sluit het eerst.") % {"round": current}
        )
    previous = reporting_round.previous()
    before = {
        fiche.project_id: fiche
        for fiche in Fiche.objects.filter(round=previous).select_related("finance")
    }
    # A project is finished for good by its latest closed fiche, in whichever round it was:
    # one realised in December 2023 has no fiche in 2024 and must not come back in 2025.
    latest_status = Subquery(
        Fiche.objects.filter(
            project=OuterRef("pk"),
            round__state=RoundState.CLOSED,
            round__reference_date__lt=reporting_round.reference_date,
        )
        .order_by("-round__reference_date")
        .values("status")[:1]
    )
    running = list(
        Project.objects.alias(latest_status=latest_status)
        .filter(Q(latest_status__isnull=True) | ~Q(latest_status__in=ProjectStatus.finished()))
        .order_by("code")
    )
    fiches = Fiche.objects.bulk_create(
        Fiche(
            round=reporting_round,
            project=project,
            status=before[project.pk].owner_status
            if project.pk in before
            else ProjectStatus.NOT_STARTED,
            owner_status=(
                before[project.pk].owner_status
                if project.pk in before
                else ProjectStatus.NOT_STARTED
            ),
            narrative=before[project.pk].narrative if project.pk in before else "",
        )
        for project in running
    )
    FinanceReport.objects.bulk_create(
        FinanceReport(
            fiche=fiche,
            committed_eur=_previous_finance(before.get(fiche.project_id), "committed_eur"),
            paid_eur=_previous_finance(before.get(fiche.project_id), "paid_eur"),
        )
        for fiche in fiches
    )
    running_ids = [project.pk for project in running]
    MilestoneStatus.objects.bulk_create(
        MilestoneStatus(
            round=reporting_round,
            milestone_id=status.milestone_id,
            status=status.status,
            realised_on=status.realised_on,
            forecast_date=status.forecast_date,
            delay_reason=status.delay_reason,
            postponements=status.postponements,
            note=status.note,
        )
        for status in MilestoneStatus.objects.filter(
            round=previous, milestone__project_id__in=running_ids
        )
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            round=reporting_round, indicator_id=v.indicator_id, value=v.value, note=v.note
        )
        for v in IndicatorValue.objects.filter(
            round=previous, indicator__project_id__in=running_ids
        )
    )
    reporting_round.state = RoundState.OPEN
    if reporting_round.opens_on is None:
        today = timezone.localdate()
        deadline = reporting_round.deadline
        reporting_round.opens_on = min(today, deadline) if deadline else today
    try:
        with transaction.atomic():
            reporting_round.save(update_fields=["state", "opens_on"])
    except IntegrityError as error:
        # PostgreSQL names the constraint, SQLite the column.
        marks = ("round_at_most_one_open", "projects_reportinground.state")
        if not any(mark in str(error) for mark in marks):
            raise
        # Another round was opened at the same moment.
        raise ValidationError(_("Er is al een open meetmoment.")) from error
    return len(fiches)


def _previous_finance(fiche: Fiche | None, field_name: str) -> Decimal | None:
    finance = getattr(fiche, "finance", None) if fiche else None
    return getattr(finance, field_name) if finance else None


@dataclass(frozen=True)
class RoundReadiness:
    """How far a round is from closing: fiches not yet submitted, and not yet reviewed."""

    unsubmitted: int
    unreviewed: int

    @property
    def ready(self) -> bool:
        return not (self.unsubmitted or self.unreviewed)


def round_readiness(reporting_round: ReportingRound) -> RoundReadiness:
    counts = Fiche.objects.filter(round=reporting_round).aggregate(
        unsubmitted=Count(
            "pk", filter=Q(review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED])
        ),
        unreviewed=Count("pk", filter=Q(review_state=ReviewState.SUBMITTED)),
    )
    return RoundReadiness(**counts)


@transaction.atomic
def close_round(*, reporting_round: ReportingRound, by: User, reason: str = "") -> None:
    """Freeze the open round for good.

    Refused while fiches are unsubmitted or unreviewed, unless a reason is given (it is
    kept on the round). The round keeps each project's budget of this moment, so its
    percentages never move when money is shifted later.
    """
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not reporting_round.is_open:
        raise ValidationError(_("Alleen een open meetmoment kan gesloten worden."))
    readiness = round_readiness(reporting_round)
    reason = reason.strip()
    if not readiness.ready and not reason:
        raise ValidationError(
            _(
                "Nog %(unsubmitted)s fiches niet ingediend en %(unreviewed)s niet beoordeeld: "
                "geef een reden om toch te sluiten."
            )
            % {"unsubmitted": readiness.unsubmitted, "unreviewed": readiness.unreviewed}
        )
    freeze_budgets(round_ids=[reporting_round.pk])
    reporting_round.close(by=by, reason=reason)


# -- fiches ----------------------------------------------------------------------------------


@dataclass
class MilestoneInput:
    milestone: Milestone
    status: str
    realised_on: dt.date | None = None
    forecast_date: dt.date | None = None
    delay_reason: str = ""
    note: str = ""


@dataclass
class FicheInput:
    """What an owner fills in on the fiche form, already checked field by field."""

    version: int
    owner_status: str
    narrative: str
    committed_eur: Decimal | None
    paid_eur: Decimal | None
    milestones: list[MilestoneInput] = field(default_factory=list)
    indicator_values: Mapping[int, tuple[Decimal | None, str]] = field(default_factory=dict)


def missing_for_submission(fiche: Fiche, data: FicheInput) -> list[str]:
    """What a fiche still lacks before it can be submitted, each in one sentence."""
    missing = []
    if not data.narrative.strip():
        missing.append(_("De toelichting is leeg."))
    if data.committed_eur is None:
        missing.append(_("Het vastgelegde bedrag (VAK) ontbreekt."))
    if data.paid_eur is None:
        missing.append(_("Het vereffende bedrag (VEK) ontbreekt."))
    given = {entry.milestone.pk for entry in data.milestones if entry.status}
    for milestone in fiche.project.milestones.order_by("number"):
        if milestone.pk not in given:
            missing.append(
                _("Mijlpaal %(number)s (%(description)s) heeft geen status.")
                % {"number": milestone.number, "description": milestone.description}
            )
    return missing


@transaction.atomic
def save_fiche(*, fiche: Fiche, data: FicheInput, by: User, submit: bool = False) -> Fiche:
    """Save the owner's fiche (and submit it when asked).

    The version the form started from must still be the fiche's version: otherwise
    someone saved in between and ``StaleFicheError`` refuses the write. Submitting first
    checks completeness and lists everything missing.
    """
    # Lock the round: a save and the round's closing take turns, so a save never slips in
    # between closing's readiness check and its commit.
    reporting_round = ReportingRound.objects.select_for_update().get(pk=fiche.round_id)
    reporting_round.ensure_changeable()
    if not reporting_round.is_open:
        raise ValidationError(_("De fiche kan alleen in het open meetmoment ingevuld worden."))
    if submit:
        missing = missing_for_submission(fiche, data)
        if missing:
            raise ValidationError(missing, code="incomplete")
    # Claim the version: one conditional UPDATE, so two saves can never both win.
    # F() rather than the posted number + 1: a posted version at the column's maximum
    # must find no row, not overflow the integer in PostgreSQL's UPDATE.
    claimed = Fiche.objects.filter(pk=fiche.pk, version=data.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleFicheError(
            _("Iemand anders heeft deze fiche intussen opgeslagen."), code="stale"
        )
    fiche.refresh_from_db()
    has_flag = fiche.flags.filter(lifted_at__isnull=True).exists()
    fiche.owner_status = data.owner_status
    if not has_flag:
        fiche.status = data.owner_status
    fiche.narrative = data.narrative
    fields = ["owner_status", "status", "narrative", "updated_at"]
    if submit:
        fiche.review_state = ReviewState.SUBMITTED
        fiche.submitted_at, fiche.submitted_by = timezone.now(), by
        fields += ["review_state", "submitted_at", "submitted_by"]
    fiche.save(update_fields=fields)

    finance, _created = FinanceReport.objects.get_or_create(fiche=fiche)
    finance.committed_eur, finance.paid_eur = data.committed_eur, data.paid_eur
    finance.save(update_fields=["committed_eur", "paid_eur"])

    _save_milestones(fiche, data.milestones)
    _save_indicator_values(fiche, data.indicator_values)
    if submit:
        ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.SUBMITTED, by=by)
    return fiche


def _save_milestones(fiche: Fiche, entries: Iterable[MilestoneInput]) -> None:
    existing = {
        status.milestone_id: status
        for status in MilestoneStatus.objects.filter(
            round=fiche.round, milestone__project=fiche.project
        )
    }
    for entry in entries:
        if not entry.status:
            continue
        status = existing.get(entry.milestone.pk) or MilestoneStatus(
            round=fiche.round, milestone=entry.milestone
        )
        moved = (
            entry.status == MilestoneState.DELAYED and entry.forecast_date != status.forecast_date
        )
        if moved and (status.forecast_date is None or entry.forecast_date > status.forecast_date):  # type: ignore[operator]
            status.postponements += 1
        status.status = entry.status
        status.realised_on = entry.realised_on if entry.status == MilestoneState.REALISED else None
        status.forecast_date = (
            entry.forecast_date if entry.status == MilestoneState.DELAYED else None
        )
        status.delay_reason = entry.delay_reason if entry.status == MilestoneState.DELAYED else ""
        status.note = entry.note
        status.save()


def _save_indicator_values(fiche: Fiche, values: Mapping[int, tuple[Decimal | None, str]]) -> None:
    indicators = Indicator.objects.filter(project=fiche.project, pk__in=values)
    existing = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(round=fiche.round, indicator__in=indicators)
    }
    for indicator in indicators:
        amount, note = values[indicator.pk]
        current = existing.get(indicator.pk)
        if amount is None:
            if current:
                current.delete()
            continue
        current = current or IndicatorValue(round=fiche.round, indicator=indicator)
        current.value, current.note = amount, note
        current.save()


# -- indicator definitions -------------------------------------------------------------------


@dataclass
class IndicatorInput:
    """One indicator as the fiche form defines it for the open round; ``indicator`` is None
    for a new one."""

    indicator: Indicator | None
    code: str
    name: str
    kind: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_date: dt.date | None = None


DEFINED_FIELDS = ("name", "kind", "unit", "baseline", "target", "target_date")


def codes_in_use_elsewhere(project: Project, reporting_round: ReportingRound) -> frozenset[int]:
    """The project's indicators that a round other than ``reporting_round`` knows (by a
    definition or a value): their code is part of that round's record and stays."""
    definitions = (
        IndicatorDefinition.objects.filter(indicator__project=project)
        .exclude(round=reporting_round)
        .order_by()
        .values_list("indicator_id")
    )
    values = (
        IndicatorValue.objects.filter(indicator__project=project)
        .exclude(round=reporting_round)
        .order_by()
        .values_list("indicator_id")
    )
    return frozenset(pk for (pk,) in definitions.union(values))


@transaction.atomic
def save_indicator_definitions(
    *, fiche: Fiche, entries: Iterable[IndicatorInput], by: User | None = None
) -> int:
    """Define the fiche's indicators in its round, the open one: add new ones (an
    ``Indicator`` with its code and its definition in this round) and change the round's
    definition of existing ones. A definition of another round, closed or pending, is
    never changed: a changed indicator gets its own definition in this round. Returns the
    number of definitions written. ``ValidationError`` (nothing written) for a code the
    project already has, or a code that another round already knows.
    """
    reporting_round = ReportingRound.objects.get(pk=fiche.round_id)
    reporting_round.ensure_changeable()
    if not reporting_round.is_open:
        raise ValidationError(_("De fiche kan alleen in het open meetmoment ingevuld worden."))
    project = fiche.project
    current = {
        definition.indicator_id: definition
        for definition in IndicatorDefinition.objects.as_of(reporting_round).filter(
            indicator__project=project
        )
    }
    fixed = codes_in_use_elsewhere(project, reporting_round)
    written = 0
    for entry in entries:
        indicator = entry.indicator
        if indicator is not None and indicator.project_id != project.pk:
            raise ValidationError(_("Deze indicator hoort niet bij het project."))
        if indicator is None:
            indicator = _new_indicator(project, entry.code)
            definition = None
        else:
            if entry.code != indicator.code:
                if indicator.pk in fixed:
                    raise ValidationError(
                        _("De code van indicator %(code)s geldt ook in andere meetmomenten.")
                        % {"code": indicator.code}
                    )
                indicator.code = entry.code
                _save_code(indicator)
            definition = current.get(indicator.pk)
        wanted = {name: getattr(entry, name) for name in DEFINED_FIELDS}
        if definition is not None and definition.round_id == reporting_round.pk:
            if all(getattr(definition, name) == value for name, value in wanted.items()):
                continue
            for name, value in wanted.items():
                setattr(definition, name, value)
            definition._history_user = by  # type: ignore[attr-defined]
            definition.save(update_fields=list(DEFINED_FIELDS))
        elif definition is not None and definition.round_id is None:
            # A pending definition is the next open round's: this round takes it over.
            for name, value in wanted.items():
                setattr(definition, name, value)
            definition.round = reporting_round
            definition._history_user = by  # type: ignore[attr-defined]
            definition.save(update_fields=[*DEFINED_FIELDS, "round"])
        else:
            if definition is not None and all(
                getattr(definition, name) == value for name, value in wanted.items()
            ):
                continue  # unchanged: the earlier round's definition still holds
            created = IndicatorDefinition(
                indicator=indicator,
                round=reporting_round,
                rrf_reference=definition.rrf_reference if definition else "",
                **wanted,
            )
            created._history_user = by  # type: ignore[attr-defined]
            created.save()
        written += 1
    return written


def _code_taken(code: str) -> ValidationError:
    return ValidationError(
        _("Dit project heeft al een indicator %(code)s.") % {"code": code}, code="code_taken"
    )


def _new_indicator(project: Project, code: str) -> Indicator:
    if Indicator.objects.filter(project=project, code=code).exists():
        raise _code_taken(code)
    try:
        with transaction.atomic():
            return Indicator.objects.create(project=project, code=code)
    except IntegrityError as error:  # added by someone else at the same moment
        raise _code_taken(code) from error


def _save_code(indicator: Indicator) -> None:
    taken = Indicator.objects.filter(project_id=indicator.project_id, code=indicator.code)
    if taken.exclude(pk=indicator.pk).exists():
        raise _code_taken(indicator.code)
    try:
        with transaction.atomic():
            indicator.save(update_fields=["code"])
    except IntegrityError as error:
        raise _code_taken(indicator.code) from error
