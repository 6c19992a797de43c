"""The tables of the rounds: rounds, milestone statuses and indicators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from milestones.models import MilestoneState, MilestoneStatus, count_postponements
from projects.models import Indicator, IndicatorDefinition, ReportingRound
from projects.models.rounds import RoundState

from ..rows import Old, SheetInput
from ..sheets import INDICATOR_VALUES, INDICATORS, MILESTONE_STATUSES, ROUNDS
from .base import Context, Key, Lookup, Problem, Record, Table


class Rounds(Table):
    """Rounds are created in preparation and take their state once their rows are in:
    a round the file closes is closed last (with the budgets of its projects), a round
    it opens is opened after that (so that another may close first)."""

    sheet = ROUNDS
    extra_paths = ("opens_on",)

    def queryset(self, job: Context) -> models.QuerySet[Any]:
        return ReportingRound.objects.all()

    def check(self, job: Context, m: Record, old: Old | None) -> Iterator[Problem]:
        if old and old.values.status == RoundState.OPEN and m.status == RoundState.DRAFT:
            yield "status", _("een open meetmoment gaat niet terug naar in voorbereiding")
        deadline, opens_on = m.deadline, old.extra.opens_on if old else None
        if deadline and opens_on and deadline < opens_on:
            yield (
                "deadline",
                _("%(deadline)s ligt vóór de opening op %(opens)s")
                % {
                    "deadline": deadline.isoformat(),
                    "opens": opens_on.isoformat(),
                },
            )

    def write(self, job: Context, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        # What the write sets; the state follows once every sheet is written.
        attrs = self.attrs_of(job)
        job.bulk_create(
            ReportingRound,
            (ReportingRound(state=RoundState.DRAFT, **attrs(m)) for m in creates),
        )
        plain = self.plain_fields()
        changed = [
            (m, old)
            for m, old in updates
            if any(getattr(m, column) != getattr(old.values, column) for _field, column in plain)
        ]
        if changed:
            job.bulk_update(
                ReportingRound,
                [ReportingRound(pk=old.pk, **attrs(m)) for m, old in changed],
                [field for field, column in plain if column not in self.sheet.key],
            )


class MilestoneStatuses(Table):
    sheet = MILESTONE_STATUSES

    def prepare(self, job: Context, rows: SheetInput, existing: dict[tuple[Any, ...], Old]) -> None:
        """Count the postponements of new rows that leave ``uitgesteld`` empty, round after
        round, from the row of the round before (in the file or the database)."""
        counted = job.derived[self.name] = {}
        given, forecast_given = rows.given("uitgesteld"), rows.given("verwachte_datum")
        records = dict(rows.records())
        need = [
            key
            for key, record in records.items()
            if key not in existing and (not given or record.uitgesteld is None)
        ]
        if not need:
            return
        projects = {records[key].project for key in need}
        milestones = {(records[key].project, records[key].mijlpaal) for key in need}
        # Per milestone, per round: (postponements or None, expected date).
        timeline: dict[tuple[Any, ...], dict[str, tuple[int | None, Any]]] = {}
        stored = MilestoneStatus.objects.filter(milestone__project__code__in=projects)
        for code, project, number, postponed, forecast in stored.values_list(
            "round__code",
            "milestone__project__code",
            "milestone__number",
            "postponements",
            "forecast_date",
        ).iterator(chunk_size=2000):
            if (project, number) in milestones:
                timeline.setdefault((project, number), {})[code] = (postponed, forecast)
        for key, record in records.items():
            milestone = (record.project, record.mijlpaal)
            if milestone not in milestones:
                continue
            old = existing.get(key)
            if forecast_given or old is None:
                forecast = record.verwachte_datum
            else:
                forecast = old.values.verwachte_datum
            count: int | None = record.uitgesteld if given else None
            if count is None and old:
                count = old.values.uitgesteld
            timeline.setdefault(milestone, {})[record.meetmoment] = (count, forecast)
        deadlines = job.milestone_deadlines(milestones)
        for milestone, rounds in timeline.items():
            deadline = deadlines.get(milestone)
            before, expected = 0, None
            dated = sorted(
                (job.round_dates[code], code) for code in rounds if code in job.round_dates
            )
            for _date, code in dated:
                count, forecast = rounds[code]
                if count is None and deadline is not None:
                    count = count_postponements(
                        before=before,
                        expected_before=expected,
                        deadline=deadline,
                        forecast=forecast,
                    )
                    counted[(code, *milestone)] = count
                before, expected = count or 0, forecast

    def normalise(
        self, job: Context, key: Key, merged: Record, old: Old | None, problems: list[Problem]
    ) -> Record:
        if merged.uitgesteld is None:
            merged = merged._replace(uitgesteld=job.derived[self.name].get(key, 0))
        return merged

    def check(self, job: Context, m: Record, old: Old | None) -> Iterator[Problem]:
        if m.status == MilestoneState.REALISED and m.realisatiedatum is None:
            yield "realisatiedatum", _("verplicht voor een gerealiseerde mijlpaal")


class Indicators(Table):
    """A row is an indicator's definition in a round. Without a meetmoment it is the open
    round's, or with no round open, the pending one that the next round to open takes
    over. The indicator itself (project and code) is made when first named."""

    sheet = INDICATORS

    def queryset(self, job: Context) -> models.QuerySet[Any]:
        codes = job.round_codes_in(self.name) | {job.open_round}
        return IndicatorDefinition.objects.filter(
            Q(round__code__in=codes - {None}) | Q(round__isnull=True)
        )

    def resolve_key(self, job: Context, key: tuple[Any, ...]) -> tuple[Any, ...]:
        round_code, *indicator = key
        if round_code is None and job.open_round is not None:
            return (job.open_round, *indicator)
        return key

    def normalise(
        self, job: Context, key: Key, merged: Record, old: Old | None, problems: list[Problem]
    ) -> Record:
        round_code, *_indicator = key
        return merged._replace(meetmoment=round_code)

    def write(self, job: Context, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        known, projects = job.ids("indicator"), job.ids("projecten")
        new = {(m.project, m.code) for m in creates} - set(known)
        job.bulk_create(
            Indicator,
            (Indicator(project_id=projects[(p,)], code=c) for p, c in sorted(new)),
        )
        indicators = job.ids("indicator")
        attrs = self.attrs_of(job)
        job.bulk_create(
            IndicatorDefinition,
            (
                IndicatorDefinition(indicator_id=indicators[(m.project, m.code)], **attrs(m))
                for m in creates
            ),
        )
        if updates:
            objects = [
                IndicatorDefinition(
                    pk=old.pk, indicator_id=indicators[(m.project, m.code)], **attrs(m)
                )
                for m, old in updates
            ]
            fields = ["indicator_id", *attrs(updates[0][0])]
            job.bulk_update(IndicatorDefinition, objects, fields)


class IndicatorValues(Table):
    sheet = INDICATOR_VALUES


def _indicators_in_file(job: Context) -> set[tuple[Any, ...]]:
    sheet_input = job.inputs.get("indicatoren")
    return {(project, code) for _round, project, code in sheet_input.keys} if sheet_input else set()


INDICATOR = Lookup("indicator", Indicator, ("project__code", "code"), _indicators_in_file)
