"""The plan's tables: structure, projects and milestones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from projects.models import Fiche, Project

from ..rows import Old
from ..sheets import CLUSTERS, DOMAINS, MILESTONES, PROJECTS, SPEERPUNTEN
from .base import Context, Problem, Record, Table, round_closed


class Domains(Table):
    sheet = DOMAINS


class Speerpunten(Table):
    sheet = SPEERPUNTEN


class Clusters(Table):
    sheet = CLUSTERS


class Projects(Table):
    """A project that leaves the plan names a round that may be new in the file: that
    round's id is set once the rounds are written."""

    sheet = PROJECTS

    def check(self, job: Context, m: Record, old: Old | None) -> Iterator[Problem]:
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
        leaves = m.buiten_plan_vanaf
        if leaves in job.round_dates and (old is None or old.values.buiten_plan_vanaf != leaves):
            # The rounds from the one it leaves on must not hold its fiche (one query per
            # project that newly leaves: a handful). The project page's action removes an
            # open round's draft; a closed round keeps its fiche for good.
            held = (
                Fiche.objects.filter(
                    project__code=m.code, round__reference_date__gte=job.round_dates[leaves]
                )
                .order_by("round__reference_date")
                .values_list("round__code", flat=True)
                .first()
            )
            if held:
                yield (
                    "buiten_plan_vanaf",
                    _(
                        "%(project)s heeft een fiche in meetmoment %(round)s: het verlaat het "
                        "plan ten vroegste na dat meetmoment (de actie 'Buiten het plan' op de "
                        "projectpagina verwijdert een conceptfiche van het open meetmoment)"
                    )
                    % {"project": m.code, "round": held},
                )
        if old is not None:
            # Leaving the plan from a closed round, or no longer, would change what that
            # round holds.
            was, now = old.values.buiten_plan_vanaf, m.buiten_plan_vanaf
            if was != now:
                for code in (was, now):
                    if code in job.closed_in_db:
                        yield "buiten_plan_vanaf", round_closed(code)
                        break
            elif now in job.closed_in_db and m.reden_buiten_plan != old.values.reden_buiten_plan:
                yield "reden_buiten_plan", round_closed(now)

    def write(self, job: Context, creates: list[Record], updates: list[tuple[Any, Old]]) -> None:
        super().write(job, creates, updates)
        later = [m for m in [*creates, *(m for m, _old in updates)] if m.buiten_plan_vanaf]
        if later:
            job.after_write.append(lambda: self._leave(job, later))

    @staticmethod
    def _leave(job: Context, records: list[Record]) -> None:
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
    sheet = MILESTONES
