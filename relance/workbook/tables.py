"""How each sheet maps onto the database: what it reads, what it checks, what it writes.

A ``Table`` names, per column, the ORM path of the value the database holds (so that the
import can compare cell by cell, and the export can write the same thing), the references
to other sheets, and the rules a merged record must keep. ``Job`` (importer.py) drives
them; the order of ``TABLES`` is the order of writing, each sheet after those it refers to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewState,
    Speerpunt,
)
from projects.models.rounds import RoundState

from . import schema
from .schema import Sheet

if TYPE_CHECKING:
    from .importer import Job, Old

Problem = tuple[str, str]  # column, message


@dataclass(frozen=True)
class Ref:
    """Columns of this sheet that name a row of another sheet (by that sheet's key)."""

    columns: tuple[str, ...]
    table: str
    message: Any  # lazy text with %(value)s


class Table:
    sheet: ClassVar[Sheet]
    model: ClassVar[type[models.Model]]
    paths: ClassVar[tuple[str, ...]]  # per column: the ORM path of the stored value
    extra_paths: ClassVar[tuple[str, ...]] = ()  # more stored values the write needs
    refs: ClassVar[tuple[Ref, ...]] = ()
    # A sheet whose rows belong to a round names it in this column (closed rounds refuse).
    round_column: ClassVar[str | None] = None

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def key_paths(self) -> tuple[str, ...]:
        return tuple(self.paths[self.sheet.index(column)] for column in self.sheet.key)

    def queryset(self, job: Job) -> models.QuerySet[Any]:
        if self.round_column:
            return self.model._default_manager.filter(
                **{self.paths[0] + "__in": job.round_codes_in(self.name)}
            )
        return self.model._default_manager.all()

    def check(self, job: Job, merged: tuple[Any, ...], old: Old | None) -> Iterator[Problem]:
        """The rules of one record as it will be (the file's cells over what is stored)."""
        return iter(())

    def attrs(self, job: Job, merged: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        raise NotImplementedError

    def write(
        self, job: Job, creates: list[tuple[Any, ...]], updates: list[tuple[Any, Old]]
    ) -> None:
        job.bulk_create(self.model, (self.model(**self.attrs(job, m, None)) for m in creates))
        if updates:
            changes = [(old.pk, self.attrs(job, m, old)) for m, old in updates]
            objects = [self.model(pk=pk, **attrs) for pk, attrs in changes]
            job.bulk_update(self.model, objects, list(changes[0][1]))


def _get(merged: tuple[Any, ...], sheet: Sheet, column: str) -> Any:
    return merged[sheet.index(column)]


class Domains(Table):
    sheet = schema.DOMAINS
    model = PolicyDomain
    paths = ("code", "name")

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {"code": m[0], "name": m[1]}


class Speerpunten(Table):
    sheet = schema.SPEERPUNTEN
    model = Speerpunt
    paths = ("number", "name")

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {"number": m[0], "name": m[1]}


class Clusters(Table):
    sheet = schema.CLUSTERS
    model = Cluster
    paths = ("number", "speerpunt__number", "name")
    refs = (Ref(("speerpunt",), "speerpunten", _lazy("onbekend speerpunt: %(value)s")),)

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {"number": m[0], "speerpunt_id": job.ids("speerpunten")[(m[1],)], "name": m[2]}


class Projects(Table):
    sheet = schema.PROJECTS
    model = Project
    paths = (
        "code",
        "title",
        "cluster__number",
        "domain__code",
        "entity",
        "budget_eur",
        "is_rrf",
        "rrf_measure",
        "start_date",
        "end_date",
    )
    refs = (
        Ref(("cluster",), "clusters", _lazy("onbekende cluster: %(value)s")),
        Ref(("beleidsdomein",), "beleidsdomeinen", _lazy("onbekend beleidsdomein: %(value)s")),
    )

    def check(self, job: Job, m: tuple[Any, ...], old: Old | None) -> Iterator[Problem]:
        get = lambda column: _get(m, self.sheet, column)  # noqa: E731
        if get("rrf") and not get("rrf_maatregel"):
            yield "rrf_maatregel", _("verplicht voor een RRF-project")
        start, end = get("startdatum"), get("einddatum")
        if start and end and end < start:
            yield (
                "einddatum",
                _("%(end)s ligt vóór de startdatum %(start)s")
                % {
                    "end": end.isoformat(),
                    "start": start.isoformat(),
                },
            )

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {
            "code": m[0],
            "title": m[1],
            "cluster_id": job.ids("clusters")[(m[2],)],
            "domain_id": job.ids("beleidsdomeinen")[(m[3],)],
            "entity": m[4],
            "budget_eur": m[5],
            "is_rrf": m[6],
            "rrf_measure": m[7],
            "start_date": m[8],
            "end_date": m[9],
        }


class Milestones(Table):
    sheet = schema.MILESTONES
    model = Milestone
    paths = ("project__code", "number", "description", "deadline", "rrf_reference")
    refs = (Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),)

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {
            "project_id": job.ids("projecten")[(m[0],)],
            "number": m[1],
            "description": m[2],
            "deadline": m[3],
            "rrf_reference": m[4],
        }


class Rounds(Table):
    """Rounds are created in preparation and take their state once their rows are in:
    a round the file closes is closed last (with the budgets of its projects), a round
    it opens is opened after that (so that another may close first)."""

    sheet = schema.ROUNDS
    model = ReportingRound
    paths = ("code", "name", "reference_date", "deadline", "state")
    extra_paths = ("opens_on",)
    round_column = "code"

    def queryset(self, job: Job) -> models.QuerySet[Any]:
        return ReportingRound.objects.all()

    def check(self, job: Job, m: tuple[Any, ...], old: Old | None) -> Iterator[Problem]:
        state, index = _get(m, self.sheet, "status"), self.sheet.index("status")
        if old and old.values[index] == RoundState.OPEN and state == RoundState.DRAFT:
            yield "status", _("een open meetmoment gaat niet terug naar in voorbereiding")
        deadline, opens_on = _get(m, self.sheet, "deadline"), old.extra[0] if old else None
        if deadline and opens_on and deadline < opens_on:
            yield (
                "deadline",
                _("%(deadline)s ligt vóór de opening op %(opens)s")
                % {
                    "deadline": deadline.isoformat(),
                    "opens": opens_on.isoformat(),
                },
            )

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {"code": m[0], "name": m[1], "reference_date": m[2], "deadline": m[3]}

    def write(
        self, job: Job, creates: list[tuple[Any, ...]], updates: list[tuple[Any, Old]]
    ) -> None:
        job.bulk_create(
            ReportingRound,
            (ReportingRound(state=RoundState.DRAFT, **self.attrs(job, m, None)) for m in creates),
        )
        changed = [(m, old) for m, old in updates if m[:4] != old.values[:4]]
        if changed:
            job.bulk_update(
                ReportingRound,
                [ReportingRound(pk=old.pk, **self.attrs(job, m, old)) for m, old in changed],
                ["name", "reference_date", "deadline"],
            )


def _round_id(job: Job, code: str) -> int:
    return job.ids("meetmomenten")[(code,)]


class Fiches(Table):
    """A row is a fiche and its money. The status is the round's status; the owner's own
    status follows it unless it is a coordinators' flag (orange, red)."""

    sheet = schema.FICHES
    model = Fiche
    paths = (
        "round__code",
        "project__code",
        "status",
        "finance__committed_eur",
        "finance__paid_eur",
        "narrative",
    )
    extra_paths = ("owner_status", "version", "finance__pk")
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),
    )
    round_column = "meetmoment"

    def write(
        self, job: Job, creates: list[tuple[Any, ...]], updates: list[tuple[Any, Old]]
    ) -> None:
        projects = job.ids("projecten")
        job.bulk_create(
            Fiche,
            (
                Fiche(
                    round_id=_round_id(job, m[0]),
                    project_id=projects[(m[1],)],
                    status=m[2],
                    owner_status=ProjectStatus.IN_PROGRESS
                    if m[2] in ProjectStatus.flags()
                    else m[2],
                    narrative=m[5],
                    # A round the file closes holds the published, final fiches.
                    review_state=ReviewState.APPROVED if m[0] in job.closing else ReviewState.DRAFT,
                )
                for m in creates
            ),
        )
        new_money: list[FinanceReport] = []
        if creates:
            fiche_ids = job.fiche_ids({m[0] for m in creates})
            new_money += (
                FinanceReport(
                    fiche_id=fiche_ids[(_round_id(job, m[0]), projects[(m[1],)])],
                    committed_eur=m[3],
                    paid_eur=m[4],
                )
                for m in creates
            )
        now = timezone.now()
        fiches, money = [], []
        for m, old in updates:
            owner_status, version, finance_pk = old.extra
            if m[2] != old.values[2] or m[5] != old.values[5]:
                fiches.append(
                    Fiche(
                        pk=old.pk,
                        status=m[2],
                        owner_status=owner_status if m[2] in ProjectStatus.flags() else m[2],
                        narrative=m[5],
                        # An open form of this fiche is stale now.
                        version=version + 1,
                        updated_at=now,
                    )
                )
            if finance_pk is None and (m[3] is not None or m[4] is not None):
                new_money.append(FinanceReport(fiche_id=old.pk, committed_eur=m[3], paid_eur=m[4]))
            elif finance_pk is not None and m[3:5] != old.values[3:5]:
                money.append(FinanceReport(pk=finance_pk, committed_eur=m[3], paid_eur=m[4]))
        job.bulk_update(
            Fiche, fiches, ["status", "owner_status", "narrative", "version", "updated_at"]
        )
        job.bulk_create(FinanceReport, new_money)
        job.bulk_update(FinanceReport, money, ["committed_eur", "paid_eur"])


class MilestoneStatuses(Table):
    sheet = schema.MILESTONE_STATUSES
    model = MilestoneStatus
    paths = (
        "round__code",
        "milestone__project__code",
        "milestone__number",
        "status",
        "realised_on",
        "note",
    )
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project", "mijlpaal"), "mijlpalen", _lazy("onbekende mijlpaal: %(value)s")),
    )
    round_column = "meetmoment"

    def check(self, job: Job, m: tuple[Any, ...], old: Old | None) -> Iterator[Problem]:
        if m[3] == MilestoneState.REALISED and m[4] is None:
            yield "realisatiedatum", _("verplicht voor een gerealiseerde mijlpaal")

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {
            "round_id": _round_id(job, m[0]),
            "milestone_id": job.ids("mijlpalen")[(m[1], m[2])],
            "status": m[3],
            "realised_on": m[4],
            "note": m[5],
        }


class Indicators(Table):
    sheet = schema.INDICATORS
    model = Indicator
    paths = (
        "project__code",
        "code",
        "name",
        "kind",
        "unit",
        "baseline",
        "target",
        "target_date",
        "rrf_reference",
    )
    refs = (Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),)

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {
            "project_id": job.ids("projecten")[(m[0],)],
            "code": m[1],
            "name": m[2],
            "kind": m[3],
            "unit": m[4],
            "baseline": m[5],
            "target": m[6],
            "target_date": m[7],
            "rrf_reference": m[8],
        }


class IndicatorValues(Table):
    sheet = schema.INDICATOR_VALUES
    model = IndicatorValue
    paths = ("round__code", "indicator__project__code", "indicator__code", "value", "note")
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project", "indicator"), "indicatoren", _lazy("onbekende indicator: %(value)s")),
    )
    round_column = "meetmoment"

    def attrs(self, job: Job, m: tuple[Any, ...], old: Old | None) -> dict[str, Any]:
        return {
            "round_id": _round_id(job, m[0]),
            "indicator_id": job.ids("indicatoren")[(m[1], m[2])],
            "value": m[3],
            "note": m[4],
        }


TABLES: tuple[Table, ...] = (
    Domains(),
    Speerpunten(),
    Clusters(),
    Projects(),
    Milestones(),
    Rounds(),
    Fiches(),
    MilestoneStatuses(),
    Indicators(),
    IndicatorValues(),
)
BY_NAME = {table.name: table for table in TABLES}
assert tuple(table.sheet for table in TABLES) == schema.SHEETS
