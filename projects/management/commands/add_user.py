"""manage.py add_user NAME --role ROLE [--domain CODE ...] [--email ADDR]"""

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import PolicyDomain, User
from projects.models.users import Role
from projects.roles import RoleError, assign_role


class Command(BaseCommand):
    help = _(
        "Maakt een gebruiker aan of werkt hem bij. Het wachtwoord komt uit RELANCE_PASSWORD "
        "of wordt gevraagd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=_("gebruikersnaam"))
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            metavar="CODE",
            help=_("beleidsdomein van een redacteur; herhaal voor meer domeinen"),
        )
        parser.add_argument("--email", default=None)

    def handle(
        self, *args: Any, name: str, role: str, domain: list[str], email: str | None, **options: Any
    ) -> None:
        codes = sorted({code.strip().upper() for code in domain if code.strip()})
        domains = list(PolicyDomain.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in domains})
        if unknown:
            known = ", ".join(PolicyDomain.objects.values_list("code", flat=True)) or "—"
            raise CommandError(
                _("Onbekend beleidsdomein: %(unknown)s. Bekende codes: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": known}
            )
        if role != Role.EDITOR and codes:
            raise CommandError(
                _("Alleen een redacteur hoort bij beleidsdomeinen; laat --domain weg.")
            )
        if role == Role.EDITOR and not domains:
            raise CommandError(
                _("Een redacteur hoort bij minstens één beleidsdomein: geef het op met --domain.")
            )

        user = User.objects.filter(username=name).first()
        password = self._password(user or User(username=name, email=email or ""))
        with transaction.atomic():
            created = user is None
            if user is None:
                user = User(username=name)
            if email is not None:
                user.email = email
            if password is not None:
                user.set_password(password)
            elif created:
                raise CommandError(
                    _("Een nieuwe gebruiker heeft een wachtwoord nodig: zet RELANCE_PASSWORD.")
                )
            user.save()
            try:
                assign_role(user=user, role=Role(role), domains=domains)
            except RoleError as error:
                raise CommandError(str(error)) from error

        verb = _("aangemaakt") if created else _("bijgewerkt")
        scope = f" ({', '.join(d.code for d in domains)})" if domains else ""
        self.stdout.write(
            self.style.SUCCESS(f"{name}: {verb}, {_('rol')} {Role(role).label}{scope}.")
        )

    def _password(self, user: User) -> str | None:
        """The new password, validated; None to keep an existing user's password."""
        password = os.environ.get("RELANCE_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                return None
            password = getpass.getpass(_("Wachtwoord: "))
            if password != getpass.getpass(_("Wachtwoord (nogmaals): ")):
                raise CommandError(_("De wachtwoorden verschillen."))
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
