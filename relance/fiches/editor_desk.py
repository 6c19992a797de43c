"""The editor's home, "Mijn fiches": their domains' fiches of the open round in the order
they work through them, and the fiche that comes after one (save-and-next)."""

from __future__ import annotations

from dataclasses import dataclass, field

from projects.http import AuthenticatedRequest
from projects.models import Fiche, ReportingRound

# ``FicheQuerySet.for_editor_desk``'s groups.
RETURNED, DRAFT, NOT_STARTED, DONE = 0, 1, 2, 3


@dataclass
class Desk:
    """One editor's fiches of the open round (``round`` is None when no round is open)."""

    round: ReportingRound | None
    fiches: list[Fiche] = field(default_factory=list)

    def group(self, number: int) -> list[Fiche]:
        return [fiche for fiche in self.fiches if getattr(fiche, "desk_group", DONE) == number]

    @property
    def returned(self) -> list[Fiche]:
        return self.group(RETURNED)

    @property
    def drafts(self) -> list[Fiche]:
        return self.group(DRAFT)

    @property
    def not_started(self) -> list[Fiche]:
        return self.group(NOT_STARTED)

    @property
    def done(self) -> list[Fiche]:
        return self.group(DONE)

    @property
    def to_do(self) -> list[Fiche]:
        """The fiches still to fill in, in the page's order."""
        return [fiche for fiche in self.fiches if getattr(fiche, "desk_group", DONE) != DONE]

    @property
    def submitted(self) -> int:
        return len(self.done)

    @property
    def total(self) -> int:
        return len(self.fiches)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    def next_after(self, fiche: Fiche) -> Fiche | None:
        """The fiche to fill in after ``fiche``: the next one still to do in the list's
        order, from the top again past the end; None when nothing else is left."""
        to_do = self.to_do
        codes = [item.pk for item in to_do]
        if fiche.pk in codes:
            position = codes.index(fiche.pk)
            rest = to_do[position + 1 :] + to_do[:position]
        else:
            rest = to_do
        return next((item for item in rest if item.pk != fiche.pk), None)


def editor_desk(request: AuthenticatedRequest) -> Desk:
    """The signed-in user's own domains' fiches of the open round, in two queries."""
    reporting_round = ReportingRound.objects.open().first()
    if reporting_round is None:
        return Desk(round=None)
    domains = request.user.editable_domain_ids
    fiches = list(
        Fiche.objects.filter(round=reporting_round, carried_forward=False).for_editor_desk(domains)
    )
    return Desk(round=reporting_round, fiches=fiches)
