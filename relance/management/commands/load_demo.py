"""manage.py load_demo [--users]: the demo plan, once."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import PolicyDomain, Speerpunt, User
from projects.models.users import Role
from projects.roles import assign_role
from relance.demo import load_demo_plan

DEMO_PASSWORD = "relance-demo"
DEMO_USERS = [
    # username, role, domains, first name
    ("beheerder", Role.ADMIN, [], "Bea"),
    ("coordinator", Role.COORDINATOR, [], "Koen"),
    ("redacteur", Role.EDITOR, ["MOW", "OMG"], "Ria"),
    ("lezer", Role.READER, [], "Lode"),
]


class Command(BaseCommand):
    help = _(
        "Laadt het demoplan (7 speerpunten, 36 clusters, 181 projecten, 1753 mijlpalen, "
        "drie gesloten meetmomenten en een open meetmoment) in een lege databank."
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
        else:
            counts = load_demo_plan(today=today or timezone.localdate())
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
            self._users()

    def _users(self) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demogebruikers (http://127.0.0.1:8000/accounts/login/):"))
        for username, role, codes, first_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@relance.example"
                user.save()
                assign_role(
                    user=user, role=role, domains=PolicyDomain.objects.filter(code__in=codes)
                )
                password = DEMO_PASSWORD
            else:
                password = _("(bestaand account, wachtwoord ongewijzigd)")
            scope = f" [{', '.join(codes)}]" if codes else ""
            self.stdout.write(f"  {role.label:<12} {username:<12} {password}{scope}")
