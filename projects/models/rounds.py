"""Reporting rounds (meetmomenten); the fiche of a project in a round is in fiches.py."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.grants import can_manage_rounds, can_read_open_round

from .fields import actor_field, in_choices, money_field
from .statuses import VocabularyChoices, Wording

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models.expressions import Combinable

    from .users import User


class RoundState(VocabularyChoices):
    # A draft round is written as an empty cell in the workbook.
    DRAFT = "draft", Wording(("",)), _("in voorbereiding")
    OPEN = "open", Wording(("open",)), _("open")
    CLOSED = "closed", Wording(("gesloten",)), _("gesloten")


def _fiches() -> Any:
    """The fiche model, reached through the rounds' ``fiches`` relation: fiches.py imports
    this module, so this one does not import it."""
    return ReportingRound._meta.get_field("fiches").related_model


class RoundClosedError(ValidationError):
    """Raised when something tries to change a round that is closed for good."""


class ReportingRoundQuerySet(models.QuerySet["ReportingRound"]):
    def closed(self) -> ReportingRoundQuerySet:
        return self.filter(state=RoundState.CLOSED)

    def open(self) -> ReportingRoundQuerySet:
        return self.filter(state=RoundState.OPEN)

    def visible_to(self, user: User | AnonymousUser) -> ReportingRoundQuerySet:
        """Closed rounds for everyone; the open round for those who report in it; drafts for
        those who prepare them."""
        if can_manage_rounds(user):
            return self.all()
        if can_read_open_round(user):
            return self.filter(state__in=[RoundState.OPEN, RoundState.CLOSED])
        return self.closed()

    def with_budget_total(self) -> ReportingRoundQuerySet:
        """Annotate ``budget_total_cents``: the sum of each round's fiches' budgets (the one
        frozen at closing, else the project's), in whole cents, so the sum is exact on every
        database; None for a round without fiches, and for a round whose envelope is its own
        or an earlier closed round's (``resolve_envelopes`` reads none there): a country's
        rounds are not summed again each time their figures are shown."""
        budget = Coalesce("finance__budget_eur", "project__budget_eur")
        total = (
            _fiches()
            .objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(cents=Sum(Cast(Round(budget * 100), BigIntegerField())))
            .values("cents")
        )
        # An earlier closed round's envelope stands in for a round without one.
        envelope_before = self.model.objects.filter(
            state=RoundState.CLOSED,
            reference_date__lt=OuterRef("reference_date"),
            envelope_eur__isnull=False,
        )
        needed = Q(envelope_eur__isnull=True) & ~Exists(envelope_before)
        return self.annotate(budget_total_cents=Case(When(needed, then=Subquery(total))))

    def with_fiche_count(self, user: User | AnonymousUser) -> ReportingRoundQuerySet:
        """Annotate ``fiche_count``: each round's fiches that ``user`` may read."""
        readable = Q(fiches__in=_fiches().objects.visible_to(user))
        return self.annotate(fiche_count=Count("fiches", filter=readable))

    def after_closed(self, fiches: models.QuerySet[Any]) -> ReportingRoundQuerySet:
        """The rounds after every closed round of ``fiches``: for a project's fiches, the
        rounds it may leave the plan from (``leave_plan`` refuses the others)."""
        closed_since = fiches.filter(
            round__state=RoundState.CLOSED, round__reference_date__gte=OuterRef("reference_date")
        )
        return self.exclude(Exists(closed_since))


class ReportingRound(models.Model):
    """A meetmoment: the moment at which every running project reports its progress."""

    code = models.CharField(
        _("code"), max_length=7, unique=True, help_text=_("Jaar en maand: JJJJ-MM.")
    )
    name = models.CharField(_("naam"), max_length=100)
    reference_date = models.DateField(_("referentiedatum"), unique=True)
    opens_on = models.DateField(_("opent op"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_by = actor_field(_("gesloten door"))
    envelope_eur = money_field(
        _("envelop (euro)"),
        null=True,
        blank=True,
        help_text=_(
            "De envelop van het plan waarvan de percentages van dit meetmoment genomen worden. "
            "Leeg: die van het vorige meetmoment; bij het eerste de som van de budgetten. "
            "Vastgelegd bij het sluiten."
        ),
    )
    close_reason = models.TextField(
        _("reden van sluiten"),
        blank=True,
        help_text=_("Verplicht wie sluit terwijl er nog fiches ontbreken of niet beoordeeld zijn."),
    )

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-reference_date"]
        get_latest_by = "reference_date"
        verbose_name = _("meetmoment")
        verbose_name_plural = _("meetmomenten")
        permissions = [
            ("manage_round", _("Kan meetmomenten openen en sluiten")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"), name="round_code_format"
            ),
            in_choices("state", RoundState, name="round_state_valid"),
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state=RoundState.OPEN),
                name="round_at_most_one_open",
                violation_error_message=_("Er is al een open meetmoment."),
            ),
            models.CheckConstraint(
                condition=~Q(state=RoundState.CLOSED) | Q(closed_at__isnull=False),
                name="round_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gte=F("opens_on")),
                name="round_deadline_not_before_opening",
            ),
            models.CheckConstraint(
                condition=Q(envelope_eur__isnull=True) | Q(envelope_eur__gt=0),
                name="round_envelope_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.code

    def get_absolute_url(self) -> str:
        return reverse("rounds:detail", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED

    def ensure_changeable(self) -> None:
        """Refuse, with a message for people, any change to a closed round's data.

        The database refuses it too (see projects/closed_rounds.py); this check only
        says so before the write is tried.
        """
        if self.is_closed:
            raise RoundClosedError(
                _("Meetmoment %(round)s is gesloten: de gegevens ervan wijzigen niet meer."),
                code="round_closed",
                params={"round": self},
            )

    def previous(self) -> ReportingRound | None:
        """The closed round before this one: what this round is compared with and starts
        from. A draft or open round is never anyone's previous round."""
        return (
            ReportingRound.objects.closed()
            .filter(reference_date__lt=self.reference_date)
            .order_by("-reference_date")
            .first()
        )

    def envelope_chain(self) -> list[ReportingRound]:
        """This round, then the closed rounds before it (latest first), each with its
        ``budget_total_cents`` (see ``with_budget_total``): all that resolving this round's
        envelope and its previous round's takes, in one query. ``chain[1]`` is
        ``previous()``."""
        chain = list(
            ReportingRound.objects.filter(
                Q(pk=self.pk) | Q(state=RoundState.CLOSED, reference_date__lt=self.reference_date)
            )
            .with_budget_total()
            .order_by("-reference_date")
        )
        if not chain or chain[0].pk != self.pk:  # not saved yet: no fiches
            chain.insert(0, self)
        return chain

    def effective_envelope(self) -> Decimal | None:
        """The envelope this round's percentages are of: its own ``envelope_eur``; else the
        previous closed round's effective envelope; else (the first round) the sum of this
        round's fiches' budgets. None while there is nothing to take it from."""
        return resolve_envelopes(self.envelope_chain())[0]

    def close(self, *, by: User | None, reason: str = "") -> None:
        """Freeze the round for good, its envelope with it (``effective_envelope``), so that
        its percentages never move. Completeness checks belong to the service that calls
        this; it is also the one way the workbook import closes a round."""
        self.ensure_changeable()
        self.envelope_eur = self.effective_envelope()
        self.state = RoundState.CLOSED
        self.closed_at = timezone.now()
        self.closed_by = by
        self.close_reason = reason
        self.save(update_fields=["state", "closed_at", "closed_by", "close_reason", "envelope_eur"])


def resolve_envelopes(chain: list[ReportingRound]) -> list[Decimal | None]:
    """The effective envelope of each round of ``chain`` (as ``envelope_chain`` gives it:
    latest first, each the closed round before the one ahead of it), in the same order."""
    resolved: list[Decimal | None] = []
    earlier: Decimal | None = None
    for reporting_round in reversed(chain):
        if reporting_round.envelope_eur is not None:
            earlier = reporting_round.envelope_eur
        elif earlier is None:
            cents = getattr(reporting_round, "budget_total_cents", None)
            earlier = (Decimal(cents) / 100).quantize(Decimal("0.01")) if cents else None
        resolved.append(earlier)
    return resolved[::-1]


def round_field(
    related_name: str,
) -> models.ForeignKey[ReportingRound | Combinable, ReportingRound]:
    """The round a record reports in: a round with records is never deleted."""
    return models.ForeignKey(
        ReportingRound,
        verbose_name=_("meetmoment"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )
