"""How each sheet maps onto the database: what it reads, what it checks, what it writes.

A ``Table`` names, per column, the ORM path of the value the database holds (so that the
import can compare cell by cell, and the export can write the same thing), the references
to other sheets, and the rules a merged record must keep. ``Job`` (importer.py) drives
them; the order of ``TABLES`` is the order of writing, each sheet after those it refers to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneState, MilestoneStatus, count_postponements
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    PolicyDomain,
    Project,
    ProjectStatus,
    ReportingRound,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Speerpunt,
    StatusFlag,
)
from projects.models.rounds import RoundState

from . import schema
from .parsing import FLAG_WORDS
from .schema import Sheet

if TYPE_CHECKING:
    from .importer import Job, Old, SheetInput

Problem = tuple[str, str]  # column, message
Record = Any  # a sheet's record: a named tuple in the sheet's column order

# The motivation of a flag that a workbook gave without one (a flag word in the status
# column, as older files have it) or that was stored without a flag record. It is data, in
# the plan's language, and the same text every time so that a file imports the same twice.
UNMOTIVATED = "Markering uit een werkboek, zonder motivering."


@dataclass(frozen=True)
class Ref:
    """Columns of this sheet that name a row of another sheet (by that sheet's key)."""

    columns: tuple[str, ...]
    table: str
    message: Any  # lazy text with %(value)s


class Table:
    sheet: ClassVar[Sheet]
    model: ClassVar[type[models.Model]]
    paths: ClassVar[tuple[str, ...]]  # per column: the ORM path (or annotation) stored
    extra_paths: ClassVar[tuple[str, ...]] = ()  # more stored values the write needs
    refs: ClassVar[tuple[Ref, ...]] = ()
    # A sheet whose rows belong to a round names it in this column (closed rounds refuse).
    round_column: ClassVar[str | None] = None
    # Columns of a plan's sheet that name a round: one round's export leaves them out.
    names_other_rounds: ClassVar[tuple[str, ...]] = ()

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def key_paths(self) -> tuple[str, ...]:
        return tuple(self.paths[self.sheet.index(column)] for column in self.sheet.key)

    def annotate(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The stored values that are no plain field (the import compares them, the export
        writes them)."""
        return queryset

    def queryset(self, job: Job) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if self.round_column:
            queryset = queryset.filter(**{self.paths[0] + "__in": job.round_codes_in(self.name)})
        return self.annotate(queryset)

    def resolve_key(self, job: Job, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """The stored record's key that a row's key means."""
        return key

    def prepare(self, job: Job, rows: SheetInput, existing: dict[tuple[Any, ...], Old]) -> None:
        """Work out, for all rows at once, what one row's merge needs from the others."""

    def normalise(
        self,
        job: Job,
        key: tuple[Any, ...],
        merged: Record,
        old: Old | None,
        present: tuple[bool, ...],
        problems: list[Problem],
    ) -> Record:
        """The record as it will be stored, from the file's cells over what is stored."""
        return merged

    def check(self, job: Job, merged: Record, old: Old | None) -> Iterator[Problem]:
        """The rules of one record as it will be (the file's cells over what is stored)."""
        return iter(())

    def attrs(self, job: Job, merged: Record, old: Old | None) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, job: Job, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        job.bulk_create(self.model, (self.model(**self.attrs(job, m, None)) for m in creates))
        if updates:
            changes = [(old.pk, self.attrs(job, m, old)) for m, old in updates]
            objects = [self.model(pk=pk, **attrs) for pk, attrs in changes]
            job.bulk_update(self.model, objects, list(changes[0][1]))


@dataclass(frozen=True)
class Lookup:
    """Records that other sheets name by a key that is not a sheet's own (an indicator by
    project and code, whatever round defines it)."""

    name: str
    model: type[models.Model]
    key_paths: tuple[str, ...]
    file_keys: Callable[[Job], set[tuple[Any, ...]]]


def _round_closed(job: Job, code: str) -> str:
    return _("meetmoment %(round)s is gesloten: zijn gegevens wijzigen niet meer") % {"round": code}


class Domains(Table):
    sheet = schema.DOMAINS
    model = PolicyDomain
    paths = ("code", "name")

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {"code": m.code, "name": m.naam}


class Speerpunten(Table):
    sheet = schema.SPEERPUNTEN
    model = Speerpunt
    paths = ("number", "name")

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {"number": m.nummer, "name": m.naam}


class Clusters(Table):
    sheet = schema.CLUSTERS
    model = Cluster
    paths = ("number", "speerpunt__number", "name")
    refs = (Ref(("speerpunt",), "speerpunten", _lazy("onbekend speerpunt: %(value)s")),)

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "number": m.nummer,
            "speerpunt_id": job.ids("speerpunten")[(m.speerpunt,)],
            "name": m.naam,
        }


class Projects(Table):
    """A project that leaves the plan names a round that may be new in the file: that
    round's id is set once the rounds are written."""

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
        "climate_coefficient",
        "digital_coefficient",
        "left_plan_from__code",
        "left_plan_reason",
    )
    refs = (
        Ref(("cluster",), "clusters", _lazy("onbekende cluster: %(value)s")),
        Ref(("beleidsdomein",), "beleidsdomeinen", _lazy("onbekend beleidsdomein: %(value)s")),
        Ref(("buiten_plan_vanaf",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
    )
    names_other_rounds = ("buiten_plan_vanaf", "reden_buiten_plan")

    def check(self, job: Job, m: Record, old: Old | None) -> Iterator[Problem]:
        if m.rrf and not m.rrf_maatregel:
            yield "rrf_maatregel", _("verplicht voor een RRF-project")
        start, end = m.startdatum, m.einddatum
        if start and end and end < start:
            yield (
                "einddatum",
                _("%(end)s ligt vóór de startdatum %(start)s")
                % {
                    "end": end.isoformat(),
                    "start": start.isoformat(),
                },
            )
        if m.buiten_plan_vanaf and not m.reden_buiten_plan:
            yield "reden_buiten_plan", _("verplicht voor een project dat het plan verlaat")
        if old is not None:
            # Leaving the plan from a closed round, or no longer, would change what that
            # round holds.
            was, now = old.values.buiten_plan_vanaf, m.buiten_plan_vanaf
            if was != now:
                for code in (was, now):
                    if code in job.closed_in_db:
                        yield "buiten_plan_vanaf", _round_closed(job, code)
                        break
            elif now in job.closed_in_db and m.reden_buiten_plan != old.values.reden_buiten_plan:
                yield "reden_buiten_plan", _round_closed(job, now)

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "code": m.code,
            "title": m.titel,
            "cluster_id": job.ids("clusters")[(m.cluster,)],
            "domain_id": job.ids("beleidsdomeinen")[(m.beleidsdomein,)],
            "entity": m.entiteit,
            "budget_eur": m.budget_eur,
            "is_rrf": m.rrf,
            "rrf_measure": m.rrf_maatregel,
            "start_date": m.startdatum,
            "end_date": m.einddatum,
            "climate_coefficient": m.klimaatcoefficient,
            "digital_coefficient": m.digitaalcoefficient,
            # A round the file creates has no id yet: set after the rounds are written.
            "left_plan_from_id": job.ids("meetmomenten").get((m.buiten_plan_vanaf,)),
            "left_plan_reason": m.reden_buiten_plan,
        }

    def write(self, job: Job, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        super().write(job, creates, updates)
        later = [m for m in [*creates, *(m for m, _old in updates)] if m.buiten_plan_vanaf]
        if later:
            job.after_write.append(lambda: self._leave(job, later))

    @staticmethod
    def _leave(job: Job, records: list[Record]) -> None:
        projects, rounds = job.ids("projecten"), job.ids("meetmomenten")
        job.bulk_update(
            Project,
            [
                Project(pk=projects[(m.code,)], left_plan_from_id=rounds[(m.buiten_plan_vanaf,)])
                for m in records
            ],
            ["left_plan_from"],
        )


class Milestones(Table):
    sheet = schema.MILESTONES
    model = Milestone
    paths = ("project__code", "number", "description", "deadline", "rrf_reference")
    refs = (Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),)

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "project_id": job.ids("projecten")[(m.project,)],
            "number": m.nummer,
            "description": m.omschrijving,
            "deadline": m.deadline,
            "rrf_reference": m.rrf_referentie,
        }


def _keep_when_empty(merged: Record, old: Old | None, column: str) -> Record:
    """An empty cell of a column the application fills keeps what is stored (a closed
    round's frozen value, a counted number)."""
    if getattr(merged, column) is None and old is not None:
        return merged._replace(**{column: getattr(old.values, column)})
    return merged


class Rounds(Table):
    """Rounds are created in preparation and take their state once their rows are in:
    a round the file closes is closed last (with the budgets of its projects), a round
    it opens is opened after that (so that another may close first)."""

    sheet = schema.ROUNDS
    model = ReportingRound
    paths = ("code", "name", "reference_date", "deadline", "state", "envelope_eur")
    extra_paths = ("opens_on",)
    round_column = "code"
    # What the write sets; the state follows once every sheet is written.
    fields = ("name", "reference_date", "deadline", "envelope_eur")

    def queryset(self, job: Job) -> models.QuerySet[Any]:
        return ReportingRound.objects.all()

    def normalise(
        self,
        job: Job,
        key: tuple[Any, ...],
        merged: Record,
        old: Old | None,
        present: tuple[bool, ...],
        problems: list[Problem],
    ) -> Record:
        return _keep_when_empty(merged, old, "envelop_eur")

    def check(self, job: Job, m: Record, old: Old | None) -> Iterator[Problem]:
        if old and old.values.status == RoundState.OPEN and m.status == RoundState.DRAFT:
            yield "status", _("een open meetmoment gaat niet terug naar in voorbereiding")
        deadline, opens_on = m.deadline, old.extra[0] if old else None
        if deadline and opens_on and deadline < opens_on:
            yield (
                "deadline",
                _("%(deadline)s ligt vóór de opening op %(opens)s")
                % {
                    "deadline": deadline.isoformat(),
                    "opens": opens_on.isoformat(),
                },
            )

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "code": m.code,
            "name": m.naam,
            "reference_date": m.referentiedatum,
            "deadline": m.deadline,
            "envelope_eur": m.envelop_eur,
        }

    def write(self, job: Job, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        job.bulk_create(
            ReportingRound,
            (ReportingRound(state=RoundState.DRAFT, **self.attrs(job, m, None)) for m in creates),
        )
        columns = ("naam", "referentiedatum", "deadline", "envelop_eur")
        changed = [
            (m, old)
            for m, old in updates
            if any(getattr(m, c) != getattr(old.values, c) for c in columns)
        ]
        if changed:
            job.bulk_update(
                ReportingRound,
                [ReportingRound(pk=old.pk, **self.attrs(job, m, old)) for m, old in changed],
                list(self.fields),
            )


def _round_id(job: Job, code: str) -> int:
    return job.ids("meetmomenten")[(code,)]


class Fiches(Table):
    """A row is a fiche, its money and its flag.

    ``status`` is what the owner reported; the flag (``markering``) is the coordinators',
    and while one is raised it is the round's status of the project. A flag word in the
    status column (older files) is read as the flag. Without a markering column the file
    leaves every flag as it is; with it, an empty cell lifts a raised flag. Each change of
    a flag is logged in the fiche's review history as an import, naming the file.
    """

    sheet = schema.FICHES
    model = Fiche
    paths = (
        "round__code",
        "project__code",
        "reported_status",
        "finance__committed_eur",
        "finance__paid_eur",
        "narrative",
        "finance__budget_eur",
        "flag_level",
        "flag_motivation",
    )
    extra_paths = ("version", "finance__pk", "raised_flag")
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),
    )
    round_column = "meetmoment"

    def annotate(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        flagged = Q(status__in=ProjectStatus.flags())
        raised = StatusFlag.objects.filter(fiche=OuterRef("pk"), lifted_at__isnull=True)
        return queryset.annotate(
            # While a flag is raised, the fiche's status is the flag's level.
            reported_status=Case(When(flagged, then=F("owner_status")), default=F("status")),
            flag_level=Case(
                When(flagged, then=F("status")), default=Value(None, output_field=CharField())
            ),
            flag_motivation=Case(
                When(
                    flagged,
                    then=Coalesce(Subquery(raised.values("motivation")[:1]), Value(UNMOTIVATED)),
                ),
                default=Value(""),
                output_field=models.TextField(),
            ),
            raised_flag=Subquery(raised.values("pk")[:1]),
        )

    def normalise(
        self,
        job: Job,
        key: tuple[Any, ...],
        m: Record,
        old: Old | None,
        present: tuple[bool, ...],
        problems: list[Problem],
    ) -> Record:
        if m.status in ProjectStatus.flags():
            # A flag word in the status: the flag; the owner's report stays what it was.
            level = m.status
            if present[self.sheet.index("markering")] and m.markering not in (None, level):
                problems.append(
                    (
                        "markering",
                        _("de status zegt %(status)s, de markering %(flag)s")
                        % {"status": FLAG_WORDS[level], "flag": FLAG_WORDS[m.markering]},
                    )
                )
            motivation = m.motivatie
            if not motivation:
                if old is not None and old.values.markering == level:
                    motivation = old.values.motivatie
                else:
                    motivation = UNMOTIVATED
            m = m._replace(
                status=old.values.status if old else ProjectStatus.IN_PROGRESS,
                markering=level,
                motivatie=motivation,
            )
        if m.markering and not m.motivatie:
            problems.append(("motivatie", _("verplicht bij een markering")))
        elif not m.markering and m.motivatie:
            if present[self.sheet.index("motivatie")]:
                problems.append(("motivatie", _("alleen bij een markering")))
            else:
                m = m._replace(motivatie="")  # the file lifts the flag
        return _keep_when_empty(m, old, "budget_eur")

    def check(self, job: Job, m: Record, old: Old | None) -> Iterator[Problem]:
        leaves = job.left_plan.get(m.project)
        if old is None and leaves is not None:
            since, now = job.round_dates.get(leaves), job.round_dates.get(m.meetmoment)
            if since and now and now >= since:
                yield (
                    "project",
                    _("%(project)s is buiten het plan vanaf %(round)s: geen rapportering meer")
                    % {"project": m.project, "round": leaves},
                )

    def write(self, job: Job, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        projects = job.ids("projecten")
        job.bulk_create(
            Fiche,
            (
                Fiche(
                    round_id=_round_id(job, m.meetmoment),
                    project_id=projects[(m.project,)],
                    status=m.markering or m.status,
                    owner_status=m.status,
                    narrative=m.toelichting,
                    # A round the file closes holds the published, final fiches.
                    review_state=ReviewState.APPROVED
                    if m.meetmoment in job.closing
                    else ReviewState.DRAFT,
                )
                for m in creates
            ),
        )
        now = timezone.now()
        flags = _FlagChanges(job, now)
        new_money: list[FinanceReport] = []
        if creates:
            fiche_ids = job.fiche_ids({m.meetmoment for m in creates})
            for m in creates:
                fiche_id = fiche_ids[(_round_id(job, m.meetmoment), projects[(m.project,)])]
                new_money.append(
                    FinanceReport(
                        fiche_id=fiche_id,
                        committed_eur=m.vastgelegd_eur,
                        paid_eur=m.vereffend_eur,
                        budget_eur=m.budget_eur,
                    )
                )
                flags.change(fiche_id, m, None, None)
            # A finished project's row that repeats its finished status is the fiche that
            # opening the round would have carried forward: it needs no work.
            created = list(fiche_ids.values())
            for start in range(0, len(created), 2000):
                Fiche.objects.filter(pk__in=created[start : start + 2000]).filter(
                    carried_forward=False
                ).repeating_a_finished_status().update(
                    carried_forward=True, review_state=ReviewState.APPROVED
                )
        fiches, money = [], []
        for m, old in updates:
            version, finance_pk, raised_flag = old.extra
            was = old.values
            if (m.status, m.toelichting, m.markering) != (
                was.status,
                was.toelichting,
                was.markering,
            ):
                fiches.append(
                    Fiche(
                        pk=old.pk,
                        status=m.markering or m.status,
                        owner_status=m.status,
                        narrative=m.toelichting,
                        # An open form of this fiche is stale now.
                        version=version + 1,
                        updated_at=now,
                    )
                )
            figures = (m.vastgelegd_eur, m.vereffend_eur, m.budget_eur)
            if finance_pk is None and figures != (None, None, None):
                new_money.append(
                    FinanceReport(
                        fiche_id=old.pk,
                        committed_eur=m.vastgelegd_eur,
                        paid_eur=m.vereffend_eur,
                        budget_eur=m.budget_eur,
                    )
                )
            elif finance_pk is not None and figures != (
                was.vastgelegd_eur,
                was.vereffend_eur,
                was.budget_eur,
            ):
                money.append(
                    FinanceReport(
                        pk=finance_pk,
                        committed_eur=m.vastgelegd_eur,
                        paid_eur=m.vereffend_eur,
                        budget_eur=m.budget_eur,
                    )
                )
            flags.change(old.pk, m, was, raised_flag)
        job.bulk_update(
            Fiche, fiches, ["status", "owner_status", "narrative", "version", "updated_at"]
        )
        job.bulk_create(FinanceReport, new_money)
        job.bulk_update(FinanceReport, money, ["committed_eur", "paid_eur", "budget_eur"])
        flags.write()


class _FlagChanges:
    """The flags an import raises, changes and lifts, written in bulk, each with its
    IMPORTED step in the review history."""

    def __init__(self, job: Job, now: Any) -> None:
        self.job, self.now = job, now
        self.lifts: list[StatusFlag] = []
        self.raises: list[StatusFlag] = []
        self.motivations: list[StatusFlag] = []
        self.events: list[ReviewEvent] = []
        self.file = job.filename or _("zonder naam")

    def change(self, fiche_id: int, m: Record, was: Record | None, raised: int | None) -> None:
        before = (was.markering, was.motivatie) if was is not None else (None, "")
        level, motivation = m.markering, m.motivatie
        if (level, motivation if level else "") == (before[0], before[1] if before[0] else ""):
            return
        user = self.job.user
        if before[0] and level != before[0] and raised is not None:
            self.lifts.append(
                StatusFlag(
                    pk=raised,
                    lifted_at=self.now,
                    lifted_by=user,
                    lift_reason=_("Opgeheven bij de import van werkboek %(file)s.")
                    % {"file": self.file},
                )
            )
        if level and level == before[0] and raised is not None:
            self.motivations.append(StatusFlag(pk=raised, motivation=motivation))
        elif level:
            self.raises.append(
                StatusFlag(
                    fiche_id=fiche_id,
                    level=level,
                    motivation=motivation,
                    raised_by=user,
                    raised_at=self.now,
                )
            )
        if level:
            comment = _("Werkboek %(file)s: %(flag)s: %(motivation)s") % {
                "file": self.file,
                "flag": FLAG_WORDS[level],
                "motivation": motivation,
            }
        else:
            comment = _("Werkboek %(file)s: markering opgeheven.") % {"file": self.file}
        self.events.append(
            ReviewEvent(
                fiche_id=fiche_id,
                action=ReviewAction.IMPORTED,
                by=user,
                at=self.now,
                comment=comment,
            )
        )

    def write(self) -> None:
        # Lift first: a fiche has at most one raised flag.
        self.job.bulk_update(StatusFlag, self.lifts, ["lifted_at", "lifted_by", "lift_reason"])
        self.job.bulk_update(StatusFlag, self.motivations, ["motivation"])
        self.job.bulk_create(StatusFlag, self.raises)
        self.job.bulk_create(ReviewEvent, self.events)


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
        "forecast_date",
        "delay_reason",
        "postponements",
    )
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project", "mijlpaal"), "mijlpalen", _lazy("onbekende mijlpaal: %(value)s")),
    )
    round_column = "meetmoment"

    def prepare(self, job: Job, rows: SheetInput, existing: dict[tuple[Any, ...], Old]) -> None:
        """Count the postponements of new rows that leave ``uitgesteld`` empty, round after
        round, from the row of the round before (in the file or the database)."""
        counted = job.derived[self.name] = {}
        sheet = self.sheet
        given = rows.present[sheet.index("uitgesteld")]
        forecast_given = rows.present[sheet.index("verwachte_datum")]
        need = [
            key
            for key, row in rows.rows.items()
            if key not in existing
            and (not given or sheet.record._make(row.values).uitgesteld is None)
        ]
        if not need:
            return
        projects = {key[1] for key in need}
        milestones = {key[1:] for key in need}
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
        for key, row in rows.rows.items():
            if key[1:] not in milestones:
                continue
            record, old = sheet.record._make(row.values), existing.get(key)
            if forecast_given or old is None:
                forecast = record.verwachte_datum
            else:
                forecast = old.values.verwachte_datum
            count: int | None = record.uitgesteld if given else None
            if count is None and old:
                count = old.values.uitgesteld
            timeline.setdefault(key[1:], {})[key[0]] = (count, forecast)
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
        self,
        job: Job,
        key: tuple[Any, ...],
        merged: Record,
        old: Old | None,
        present: tuple[bool, ...],
        problems: list[Problem],
    ) -> Record:
        merged = _keep_when_empty(merged, old, "uitgesteld")
        if merged.uitgesteld is None:
            merged = merged._replace(uitgesteld=job.derived[self.name].get(key, 0))
        return merged

    def check(self, job: Job, m: Record, old: Old | None) -> Iterator[Problem]:
        if m.status == MilestoneState.REALISED and m.realisatiedatum is None:
            yield "realisatiedatum", _("verplicht voor een gerealiseerde mijlpaal")

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "round_id": _round_id(job, m.meetmoment),
            "milestone_id": job.ids("mijlpalen")[(m.project, m.mijlpaal)],
            "status": m.status,
            "realised_on": m.realisatiedatum,
            "note": m.toelichting,
            "forecast_date": m.verwachte_datum,
            "delay_reason": m.reden_vertraging,
            "postponements": m.uitgesteld,
        }


class Indicators(Table):
    """A row is an indicator's definition in a round. Without a meetmoment it is the open
    round's, or with no round open, the pending one that the next round to open takes
    over. The indicator itself (project and code) is made when first named."""

    sheet = schema.INDICATORS
    model = IndicatorDefinition
    paths = (
        "round__code",
        "indicator__project__code",
        "indicator__code",
        "name",
        "kind",
        "unit",
        "baseline",
        "target",
        "target_date",
        "rrf_reference",
    )
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project",), "projecten", _lazy("onbekend project: %(value)s")),
    )
    round_column = "meetmoment"

    def queryset(self, job: Job) -> models.QuerySet[Any]:
        codes = job.round_codes_in(self.name) | {job.open_round}
        return IndicatorDefinition.objects.filter(
            Q(round__code__in=codes - {None}) | Q(round__isnull=True)
        )

    def resolve_key(self, job: Job, key: tuple[Any, ...]) -> tuple[Any, ...]:
        if key[0] is None and job.open_round is not None:
            return (job.open_round, *key[1:])
        return key

    def normalise(
        self,
        job: Job,
        key: tuple[Any, ...],
        merged: Record,
        old: Old | None,
        present: tuple[bool, ...],
        problems: list[Problem],
    ) -> Record:
        return merged._replace(meetmoment=key[0])

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "indicator_id": job.ids("indicator")[(m.project, m.code)],
            "round_id": None if m.meetmoment is None else _round_id(job, m.meetmoment),
            "name": m.naam,
            "kind": m.soort,
            "unit": m.eenheid,
            "baseline": m.basiswaarde,
            "target": m.streefwaarde,
            "target_date": m.streefdatum,
            "rrf_reference": m.rrf_referentie,
        }

    def write(self, job: Job, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        known, projects = job.ids("indicator"), job.ids("projecten")
        new = {(m.project, m.code) for m in creates} - set(known)
        job.bulk_create(
            Indicator,
            (Indicator(project_id=projects[(p,)], code=c) for p, c in sorted(new)),
        )
        super().write(job, creates, updates)


class IndicatorValues(Table):
    sheet = schema.INDICATOR_VALUES
    model = IndicatorValue
    paths = ("round__code", "indicator__project__code", "indicator__code", "value", "note")
    refs = (
        Ref(("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s")),
        Ref(("project", "indicator"), "indicator", _lazy("onbekende indicator: %(value)s")),
    )
    round_column = "meetmoment"

    def attrs(self, job: Job, m: Record, old: Old | None) -> dict[str, Any]:
        return {
            "round_id": _round_id(job, m.meetmoment),
            "indicator_id": job.ids("indicator")[(m.project, m.indicator)],
            "value": m.waarde,
            "note": m.toelichting,
        }


def _indicators_in_file(job: Job) -> set[tuple[Any, ...]]:
    sheet_input = job.inputs.get("indicatoren")
    return {key[1:] for key in sheet_input.keys} if sheet_input else set()


LOOKUPS = {
    "indicator": Lookup("indicator", Indicator, ("project__code", "code"), _indicators_in_file)
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
