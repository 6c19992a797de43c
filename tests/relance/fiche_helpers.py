"""Building a fiche in the open round, and the POST its form sends."""

from __future__ import annotations

from typing import Any

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, Indicator, IndicatorDefinition, IndicatorValue, StatusFlag


def fiche_post(
    fiche: Fiche, *, milestones: dict[int, dict[str, Any]] | None = None, **fields: Any
) -> dict[str, str]:
    """The form as the browser sends it for the fiche as stored, with ``fields`` changed
    (``owner_status``, ``narrative``, ``committed_eur``, ``paid_eur``, ``version``) and the
    milestones by number changed as given."""
    fiche.refresh_from_db()
    finance = FinanceReport.objects.filter(fiche=fiche).first()
    data: dict[str, Any] = {
        "fiche-version": fiche.version,
        "fiche-owner_status": fiche.owner_status,
        "fiche-narrative": fiche.narrative,
        "fiche-committed_eur": finance.committed_eur
        if finance and finance.committed_eur is not None
        else "",
        "fiche-paid_eur": finance.paid_eur if finance and finance.paid_eur is not None else "",
    }
    data.update({f"fiche-{name}": value for name, value in fields.items()})
    project_milestones = list(fiche.project.milestones.order_by("number"))
    statuses = {
        s.milestone_id: s
        for s in MilestoneStatus.objects.filter(round=fiche.round, milestone__project=fiche.project)
    }
    data.update(
        {"ms-TOTAL_FORMS": len(project_milestones), "ms-INITIAL_FORMS": len(project_milestones)}
    )
    for i, milestone in enumerate(project_milestones):
        status = statuses.get(milestone.pk)
        row = {
            "milestone": milestone.pk,
            "status": status.status if status else "",
            "realised_on": status.realised_on or "" if status else "",
            "forecast_date": status.forecast_date or "" if status else "",
            "delay_reason": status.delay_reason if status else "",
            "note": status.note if status else "",
        }
        row.update((milestones or {}).get(milestone.number, {}))
        data.update({f"ms-{i}-{name}": value for name, value in row.items()})
    definitions = list(
        IndicatorDefinition.objects.as_of(fiche.round)
        .filter(indicator__project=fiche.project)
        .select_related("indicator")
        .order_by("indicator__code")
    )
    indicators = [definition.indicator for definition in definitions]
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(round=fiche.round, indicator__in=indicators)
    }
    data.update({"iv-TOTAL_FORMS": len(indicators), "iv-INITIAL_FORMS": len(indicators)})
    data.update({"ind-TOTAL_FORMS": len(indicators) + 1, "ind-INITIAL_FORMS": len(indicators)})
    for i, definition in enumerate(definitions):
        indicator = definition.indicator
        value = values.get(indicator.pk)
        data[f"iv-{i}-indicator"] = indicator.pk
        data[f"iv-{i}-value"] = value.value if value else ""
        data[f"iv-{i}-note"] = value.note if value else ""
        data[f"ind-{i}-id"] = indicator.pk
        data[f"ind-{i}-code"] = indicator.code
        for name in ("name", "kind", "unit", "baseline", "target", "target_date"):
            current = getattr(definition, name)
            data[f"ind-{i}-{name}"] = "" if current is None else current
    return {key: str(value) for key, value in data.items()}


def complete(fiche: Fiche) -> dict[str, str]:
    """A POST that passes the completeness check."""
    return fiche_post(
        fiche,
        narrative="Alles verloopt volgens plan.",
        committed_eur="1000,00",
        paid_eur="500.50",
        milestones={
            m.number: {"status": MilestoneState.ON_SCHEDULE} for m in fiche.project.milestones.all()
        },
    )


def snapshot(fiche: Fiche) -> tuple[Any, ...]:
    """Everything a fiche write could touch."""
    return (
        list(Fiche.objects.filter(pk=fiche.pk).values()),
        list(FinanceReport.objects.filter(fiche=fiche).values()),
        list(MilestoneStatus.objects.filter(round=fiche.round).values()),
        list(IndicatorValue.objects.filter(round=fiche.round).values()),
        list(Indicator.objects.filter(project=fiche.project).values()),
        list(IndicatorDefinition.objects.filter(indicator__project=fiche.project).values()),
        list(StatusFlag.objects.filter(fiche=fiche).values()),
    )
