"""manage.py build_round_documents CODE | --closed [--wait] [--rebuild]: what a round gets
when it closes (relance/closed_rounds.py), for a closed round the application did not
close: one imported closed from a workbook of earlier rounds; with --rebuild, its documents
made again after an upgrade that writes them differently."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.artefacts.services import forget_round
from relance.closed_rounds import after_close, here
from relance.models import Artefact, ArtefactState, QualityScan

# How often --wait looks at the workers' progress, in seconds.
POLL = 2.0


class Command(BaseCommand):
    help = _(
        "Bouwt wat een meetmoment bij het sluiten krijgt: de rapporten, nota's, het "
        "rapportpakket, de Scoreboard-export en de open data, de kwaliteitsbevindingen en "
        "de pagina's in de cache; voor een gesloten meetmoment dat niet in de toepassing "
        "gesloten werd (ingelezen uit een werkboek). Met workers worden ze in de wachtrij "
        "gezet, zonder worker hier gebouwd. Wat al gebouwd is, blijft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help=_("het gesloten meetmoment (JJJJ-MM)"))
        parser.add_argument(
            "--closed", action="store_true", help=_("elk gesloten meetmoment, het oudste eerst")
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help=_("met workers: wachten tot ze gebouwd zijn, en zeggen wat mislukte"),
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=_(
                "ook wat al gebouwd is opnieuw maken (na een nieuwe versie van de toepassing "
                "die de documenten anders schrijft)"
            ),
        )

    def handle(
        self, *args: Any, code: str | None, closed: bool, wait: bool, rebuild: bool, **options: Any
    ):
        rounds = self._rounds(code, closed)
        in_process = settings.RELANCE_TASKS_IN_PROCESS
        artefacts: list[Artefact] = []
        for reporting_round in rounds:
            if rebuild:
                removed = forget_round(reporting_round)
                self.stdout.write(
                    _("Meetmoment %(round)s: %(count)s gebouwde documenten verwijderd.")
                    % {"round": reporting_round.code, "count": removed}
                )
            if in_process:
                self.stdout.write(_("Meetmoment %(round)s:") % {"round": reporting_round.code})
                artefacts += here(reporting_round, progress=lambda t: self.stdout.write(f"  {t}"))
                continue
            with transaction.atomic():  # sent to the workers once committed
                queued = after_close(reporting_round)
            artefacts += queued
            self.stdout.write(
                _("Meetmoment %(round)s: %(count)s documenten gevraagd aan de workers.")
                % {"round": reporting_round.code, "count": len(queued)}
            )
        if not in_process and wait:
            self._wait(rounds, [a.pk for a in artefacts])
        self._check(Artefact.objects.filter(pk__in=[a.pk for a in artefacts]))

    def _rounds(self, code: str | None, closed: bool) -> list[ReportingRound]:
        if bool(code) == closed:
            raise CommandError(_("Geef een meetmoment of --closed, niet beide en niet geen."))
        if closed:
            return [r for r in ReportingRound.objects.order_by("reference_date") if r.is_closed]
        reporting_round = ReportingRound.objects.filter(code=code).first()
        if reporting_round is None:
            raise CommandError(_("Onbekend meetmoment: %(round)s") % {"round": code})
        if not reporting_round.is_closed:
            raise CommandError(
                _("Meetmoment %(round)s is niet gesloten: zijn documenten veranderen nog.")
                % {"round": code}
            )
        return [reporting_round]

    def _wait(self, rounds: list[ReportingRound], ids: list[int]) -> None:
        """Until no artefact of ``ids`` is queued or running and no worker is computing the
        rounds' findings (a worker that dies is seen after the task's time limit)."""
        deadline = time.monotonic() + settings.CELERY_TASK_TIME_LIMIT * max(len(ids), 1)
        unfinished = Artefact.objects.filter(pk__in=ids).unfinished()
        scanning = QualityScan.objects.filter(round__in=rounds, refreshing_since__isnull=False)
        while unfinished.exists() or scanning.exists():
            if time.monotonic() > deadline:
                raise CommandError(_("De workers werden niet klaar."))
            time.sleep(POLL)
        self.stdout.write(_("De workers zijn klaar."))

    def _check(self, artefacts: Any) -> None:
        failed = list(artefacts.filter(state=ArtefactState.FAILED).order_by("pk"))
        for artefact in failed:
            self.stderr.write(f"{artefact.filename}: {artefact.error}")
        if failed:
            raise CommandError(
                _("%(count)s documenten mislukten.") % {"count": len(failed)}, returncode=1
            )
