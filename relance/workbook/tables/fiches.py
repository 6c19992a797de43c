"""The reporting sheet's table: a row is a fiche, its money and its flag."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import FinanceReport
from projects.models import (
    Fiche,
    ProjectStatus,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)

from ..parsing import FLAG_WORDS
from ..rows import Old
from ..sheets import FICHES, UNMOTIVATED
from .base import Context, Key, Problem, Record, Table

# The columns whose path goes through the fiche's money (FinanceReport).
MONEY = "finance__"


class Fiches(Table):
    """A row is a fiche, its money and its flag.

    ``status`` is what the owner reported; the flag (``markering``) is the coordinators',
    and while one is raised it is the round's status of the project. A flag word in the
    status column (older files) is read as the flag. Without a markering column the file
    leaves every flag as it is; with it, an empty cell lifts a raised flag. Each change of
    a flag is logged in the fiche's review history as an import, naming the file.
    """

    sheet = FICHES
    extra_paths = ("version", "finance__pk", "raised_flag")

    def normalise(
        self, job: Context, key: Key, m: Record, old: Old | None, problems: list[Problem]
    ) -> Record:
        if m.status in ProjectStatus.flags():
            # A flag word in the status: the flag; the owner's report stays what it was.
            level = m.status
            if self._given(job, "markering") and m.markering not in (None, level):
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
            if self._given(job, "motivatie"):
                problems.append(("motivatie", _("alleen bij een markering")))
            else:
                m = m._replace(motivatie="")  # the file lifts the flag
        return m

    def _given(self, job: Context, column: str) -> bool:
        return job.inputs[self.name].given(column)

    def check(self, job: Context, m: Record, old: Old | None) -> Iterator[Problem]:
        leaves = job.left_plan.get(m.project)
        if old is None and leaves is not None:
            since, now = job.round_dates.get(leaves), job.round_dates.get(m.meetmoment)
            if since and now and now >= since:
                yield (
                    "project",
                    _("%(project)s is buiten het plan vanaf %(round)s: geen rapportering meer")
                    % {"project": m.project, "round": leaves},
                )

    def _money(self) -> list[tuple[str, str]]:
        """(FinanceReport field, column) of the money columns."""
        return [
            (column.path.removeprefix(MONEY), column.name)
            for column in self.sheet.columns
            if column.path.startswith(MONEY)
        ]

    def write(self, job: Context, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        attrs = self.attrs_of(job)
        money_columns = self._money()
        # What the fiche holds: the owner's status, the flag, and the plain columns.
        fiche_columns = ["status", "markering", *(c for _f, c in self.plain_fields())]

        def money_of(m: Record) -> dict[str, Any]:
            return {field: getattr(m, column) for field, column in money_columns}

        def status_of(m: Record) -> dict[str, Any]:
            return {
                "status": ProjectStatus.of_round(m.status, m.markering),
                "owner_status": m.status,
            }

        job.bulk_create(
            Fiche,
            (
                Fiche(
                    **attrs(m),
                    **status_of(m),
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
            projects, rounds = job.ids("projecten"), job.ids("meetmomenten")
            fiche_ids = job.fiche_ids({m.meetmoment for m in creates})
            created = []
            for m in creates:
                fiche_id = fiche_ids[(rounds[(m.meetmoment,)], projects[(m.project,)])]
                created.append(fiche_id)
                new_money.append(FinanceReport(fiche_id=fiche_id, **money_of(m)))
                flags.change(fiche_id, m, None, None)
            # A finished project's new row that repeats its finished status is the fiche that
            # opening the round would have carried forward: it needs no work. (Only the
            # fiches this import creates: an existing one keeps its review.)
            for start in range(0, len(created), 2000):
                Fiche.objects.filter(pk__in=created[start : start + 2000]).filter(
                    carried_forward=False
                ).repeating_a_finished_status().update(
                    carried_forward=True, review_state=ReviewState.APPROVED
                )
        fiches, money = [], []
        plain = self.plain_fields()
        for m, old in updates:
            version, finance_pk, raised_flag = (
                old.extra.version,
                old.extra.finance__pk,
                old.extra.raised_flag,
            )
            was = old.values
            if any(getattr(m, column) != getattr(was, column) for column in fiche_columns):
                fiches.append(
                    Fiche(
                        pk=old.pk,
                        **status_of(m),
                        **{field: getattr(m, column) for field, column in plain},
                        # An open form of this fiche is stale now.
                        version=version + 1,
                        updated_at=now,
                    )
                )
            figures = money_of(m)
            if finance_pk is None and any(value is not None for value in figures.values()):
                new_money.append(FinanceReport(fiche_id=old.pk, **figures))
            elif finance_pk is not None and any(
                getattr(m, column) != getattr(was, column) for _field, column in money_columns
            ):
                money.append(FinanceReport(pk=finance_pk, **figures))
            flags.change(old.pk, m, was, raised_flag)
        fields = [
            "status",
            "owner_status",
            *(field for field, _c in plain),
            "version",
            "updated_at",
        ]
        job.bulk_update(Fiche, fiches, fields)
        job.bulk_create(FinanceReport, new_money)
        job.bulk_update(FinanceReport, money, [field for field, _c in money_columns])
        flags.write()


class _FlagChanges:
    """The flags an import raises, changes and lifts, written in bulk, each with its
    IMPORTED step in the review history."""

    def __init__(self, job: Context, now: Any) -> None:
        self.job, self.now = job, now
        self.lifts: list[StatusFlag] = []
        self.raises: list[StatusFlag] = []
        self.motivations: list[StatusFlag] = []
        self.events: list[ReviewEvent] = []
        self.file = job.filename or _("zonder naam")

    def change(self, fiche_id: int, m: Record, was: Record | None, raised: int | None) -> None:
        was_level, was_motivation = (
            (was.markering, was.motivatie) if was is not None else (None, "")
        )
        level, motivation = m.markering, m.motivatie
        if (level, motivation if level else "") == (
            was_level,
            was_motivation if was_level else "",
        ):
            return
        user = self.job.user
        if was_level and level != was_level and raised is not None:
            self.lifts.append(
                StatusFlag(
                    pk=raised,
                    lifted_at=self.now,
                    lifted_by=user,
                    lift_reason=_("Opgeheven bij de import van werkboek %(file)s.")
                    % {"file": self.file},
                )
            )
        if level and level == was_level and raised is not None:
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
