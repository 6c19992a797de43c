"""Money workflows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from projects.models import Fiche, Project

from .models import FinanceReport


def freeze_budgets(*, round_ids: Iterable[int]) -> None:
    """Give every fiche of these rounds (about to close) the budget its project has now, so
    that a closed round's percentages never move when money is shifted later. A budget
    already set (a workbook's, for the round it closes) is kept."""
    round_ids = list(round_ids)
    missing = Fiche.objects.filter(round_id__in=round_ids, finance__isnull=True)
    FinanceReport.objects.bulk_create(
        FinanceReport(fiche_id=pk) for pk in missing.values_list("pk", flat=True)
    )
    FinanceReport.objects.filter(fiche__round_id__in=round_ids, budget_eur__isnull=True).update(
        budget_eur=Subquery(
            Project.objects.filter(fiches=OuterRef("fiche")).values("budget_eur")[:1]
        )
    )
