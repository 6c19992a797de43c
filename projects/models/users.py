"""Users: a role (a Django group) and, for editors, the policy domains they answer for."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The four roles of interfaces.md, each a Django group of the same name."""

    ADMIN = "admin", _("beheerder")
    COORDINATOR = "coordinator", _("coördinator")
    EDITOR = "editor", _("redacteur")
    READER = "reader", _("lezer")


class User(AbstractUser):
    domains = models.ManyToManyField(
        "projects.PolicyDomain",
        verbose_name=_("beleidsdomeinen"),
        blank=True,
        related_name="members",
        help_text=_("De beleidsdomeinen waarvan een redacteur de fiches bijhoudt."),
    )
    language = models.CharField(
        _("taal"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de e-mails die Relance stuurt."),
    )
    reminders_enabled = models.BooleanField(
        _("herinneringen per e-mail"),
        default=True,
        help_text=_("Een dagelijks overzicht van naderende en verstreken deadlines."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @cached_property
    def role(self) -> Role | None:
        """The user's role: the most powerful of their role groups."""
        names = {group.name for group in self.groups.all()}
        return next((role for role in Role if role.value in names), None)

    @cached_property
    def editable_domain_ids(self) -> frozenset[int]:
        """The user's domains and every domain merged into one of them."""
        if self.pk is None:
            return frozenset()
        # The model of ``domains``: reached through the relation, so that this module, which
        # plan.py imports, imports nothing of the plan.
        domain_model = self.domains.model
        own = (
            Q(members=self)
            | Q(merged_into__members=self)
            | Q(merged_into__merged_into__members=self)
        )
        return frozenset(domain_model.objects.filter(own).values_list("pk", flat=True))
