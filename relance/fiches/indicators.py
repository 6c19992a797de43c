"""The indicators the open round defines, from the fiche form: new ones, and the round's
own definition of existing ones (``save_indicator_definitions``). A closed round's
definitions never change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from projects.models import (
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ReportingRound,
    User,
)
from relance.audit.channels import REASONS, Channel


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
    *,
    fiche: Fiche,
    entries: Iterable[IndicatorInput],
    by: User | None = None,
    channel: Channel = Channel.FORM,
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
            definition._change_reason = REASONS[channel]  # type: ignore[attr-defined]
            definition.save(update_fields=list(DEFINED_FIELDS))
        elif definition is not None and definition.round_id is None:
            # A pending definition is the next open round's: this round takes it over.
            for name, value in wanted.items():
                setattr(definition, name, value)
            definition.round = reporting_round
            definition._history_user = by  # type: ignore[attr-defined]
            definition._change_reason = REASONS[channel]  # type: ignore[attr-defined]
            definition.save(update_fields=[*DEFINED_FIELDS, "round"])
        else:
            if definition is not None and all(
                getattr(definition, name) == value for name, value in wanted.items()
            ):
                continue  # unchanged: the earlier round's definition still holds
            created = IndicatorDefinition(
                indicator=indicator,
                round=reporting_round,
                # The RRF's references are not the owner's to edit: they carry over.
                rrf_reference=definition.rrf_reference if definition else "",
                rrf_quarter=definition.rrf_quarter if definition else "",
                rrf_instalment=definition.rrf_instalment if definition else None,
                **wanted,
            )
            created._history_user = by  # type: ignore[attr-defined]
            created._change_reason = REASONS[channel]  # type: ignore[attr-defined]
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
