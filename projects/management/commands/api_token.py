"""manage.py api_token NAME [--rotate]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from projects.models import User
from projects.tokens import issue_token


class Command(BaseCommand):
    help = _(
        "Toont het API-token van een gebruiker (aangemaakt bij het eerste gebruik); "
        "--rotate vervangt het."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=_("gebruikersnaam"))
        parser.add_argument(
            "--rotate",
            action="store_true",
            help=_("vervang het token: het oude werkt niet meer"),
        )

    def handle(self, *args: Any, name: str, rotate: bool, **options: Any) -> None:
        user = User.objects.filter(username=name).first()
        if user is None:
            raise CommandError(_("Onbekende gebruiker: %(name)s.") % {"name": name})
        if not user.is_active:
            raise CommandError(
                _("De gebruiker %(name)s is gedeactiveerd: een token zou niets openen.")
                % {"name": name}
            )
        self.stdout.write(issue_token(user=user, rotate=rotate))
