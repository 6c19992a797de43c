"""manage.py load_demo [--users]: the demo plan, once."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Speerpunt
from relance.demo import load_demo_plan
from relance.demo.users import DEMO_PASSWORD, DemoUser, create_demo_users


class Command(BaseCommand):
    help = _(
        "Laadt het demoplan (7 speerpunten, 36 clusters, 181 projecten, 1753 mijlpalen, "
        "zeven gesloten meetmomenten en een open meetmoment) in een lege databank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users",
            action="store_true",
            help=_("maak ook een demogebruiker per rol aan (niet in productie)"),
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help=_("de dag waarop het open meetmoment opent (JJJJ-MM-DD); standaard vandaag"),
        )

    def handle(self, *args: Any, users: bool, today: dt.date | None, **options: Any) -> None:
        if users and settings.PRODUCTION:
            raise CommandError(
                _("Demogebruikers met een bekend wachtwoord horen niet in productie.")
            )
        if Speerpunt.objects.exists():
            self.stdout.write(
                _("Het plan bevat al gegevens: het demoplan wordt niet opnieuw geladen.")
            )
            demo_users = create_demo_users() if users else []
        else:
            # The users come first, so that the demo coordinator is the one who reviewed.
            counts = load_demo_plan(today=today or timezone.localdate(), users=users)
            demo_users = counts["users"]
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demoplan geladen: %(speerpunten)s speerpunten, %(clusters)s clusters, "
                        "%(projects)s projecten, %(milestones)s mijlpalen, %(rounds)s meetmomenten "
                        "(%(open_fiches)s fiches in het open meetmoment)."
                    )
                    % counts
                )
            )
            self.stdout.write(
                _(
                    "Gegenereerde projecten, mijlpalen en bedragen per project zijn demogegevens; "
                    "de totalen per meetmoment zijn de gepubliceerde."
                )
            )
        if users:
            self._print_users(demo_users)

    def _print_users(self, demo_users: list[DemoUser]) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demogebruikers (http://127.0.0.1:8000/accounts/login/):"))
        for user in demo_users:
            password = (
                DEMO_PASSWORD if user.created else _("(bestaand account, wachtwoord ongewijzigd)")
            )
            scope = f" [{', '.join(user.domains)}]" if user.domains else ""
            self.stdout.write(f"  {user.role.label:<12} {user.username:<12} {password}{scope}")
