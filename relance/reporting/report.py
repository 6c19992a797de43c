"""The progress report of a round: the bundle the Government receives.

A cover note with the summary text and figures, the figures per speerpunt with bar charts,
then one detailed fiche per project. The same template makes the printable page and, printed
by headless Chromium (pdf.py), the PDF; its charts are SVG drawn on the server, as the PDF's
page runs no script.

The report is in the reader's language (Dutch, like the published reports, or English; the
cover says which). Its data takes a fixed number of queries whatever the plan's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    IndicatorDefinition,
    IndicatorValue,
    ProjectStatus,
    ReportingRound,
    Speerpunt,
    StatusFlag,
)
from projects.models.statuses import VocabularyChoices
from relance.summary import RoundSummary, round_summary, summary_text
from relance.summary.figures import scope
from relance.summary.values import (
    MILESTONE_STATUSES,
    PROJECT_STATUSES,
    Figures,
    round_half_up,
    share,
)

from .charts import MONEY_COLOURS

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Segment:
    """A piece of a bar of 100 units."""

    colour: str
    x: Decimal
    width: Decimal
    title: str


def stacked(
    counts: Mapping[str, int], order: Iterable[str], choices: type[VocabularyChoices]
) -> list[Segment]:
    """A bar of ``counts`` by status, in the statuses' ``order`` and colours."""
    total = sum(counts.values())
    segments, x = [], Decimal(0)
    for key in order:
        width = share(counts.get(key, 0), total) or Decimal(0)
        if width:
            status = choices(key)
            segments.append(Segment(status.hex, x, width, f"{status.label}: {counts[key]}"))
        x += width
    return segments


@dataclass(frozen=True)
class Bar:
    label: str | Promise  # a translated label is written in the reader's language
    pct: Decimal | None  # of 100
    colour: str

    @property
    def width(self) -> Decimal:
        return min(self.pct or Decimal(0), HUNDRED)


@dataclass(frozen=True)
class FigureBlock:
    """One speerpunt's figures (or the round's) with its charts."""

    number: int | None
    name: str
    figures: Figures
    status_bar: list[Segment]
    milestone_bar: list[Segment]
    money_bars: list[Bar]

    @property
    def status_rows(self) -> list[tuple[str, str, int, Decimal | None]]:
        projects = self.figures.projects
        return [
            (
                s,
                str(ProjectStatus(s).label),
                projects.counts[s],
                _pct(projects.counts[s], projects.total),
            )
            for s in PROJECT_STATUSES
            if projects.counts[s]
        ]


@dataclass
class FicheSheet:
    """One project's detailed fiche in the report."""

    fiche: Fiche
    flag: StatusFlag | None
    milestones: list[MilestoneStatus] = field(default_factory=list)
    # Each indicator as the round defines it, with its value in the round.
    indicators: list[tuple[IndicatorDefinition, IndicatorValue | None]] = field(
        default_factory=list
    )

    @property
    def budget(self) -> Decimal:
        finance = getattr(self.fiche, "finance", None)
        frozen = finance.budget_eur if finance is not None else None
        return frozen if frozen is not None else self.fiche.project.budget_eur

    @property
    def committed(self) -> Decimal | None:
        finance = getattr(self.fiche, "finance", None)
        return finance.committed_eur if finance is not None else None

    @property
    def paid(self) -> Decimal | None:
        finance = getattr(self.fiche, "finance", None)
        return finance.paid_eur if finance is not None else None

    @property
    def money_bars(self) -> list[Bar]:
        return _money_bars(self.budget, self.committed or Decimal(0), self.paid or Decimal(0))


@dataclass
class Report:
    round: ReportingRound
    summary: RoundSummary
    speerpunt: Speerpunt | None
    text: list[str]  # the summary text, a paragraph a line
    overall: FigureBlock
    speerpunten: list[FigureBlock]
    sheets: list[FicheSheet]
    rrf_only: bool = False  # the RRF projects only

    @property
    def codes(self) -> list[str]:
        return [sheet.fiche.project.code for sheet in self.sheets]

    @property
    def query(self) -> str:
        """The report's part of the plan as URL parameters (empty for the whole plan)."""
        return urlencode(
            {
                **({"speerpunt": self.speerpunt.number} if self.speerpunt else {}),
                **({"rrf": 1} if self.rrf_only else {}),
            }
        )


def _pct(part: int, whole: int) -> Decimal | None:
    return round_half_up(share(part, whole))


def _money_bars(budget: Decimal, committed: Decimal, paid: Decimal) -> list[Bar]:
    return [
        Bar(
            _("Vastgelegd (VAK)"),
            round_half_up(share(committed, budget)),
            MONEY_COLOURS["committed"],
        ),
        Bar(_("Vereffend (VEK)"), round_half_up(share(paid, budget)), MONEY_COLOURS["paid"]),
    ]


def _block(number: int | None, name: str, figures: Figures) -> FigureBlock:
    finance = figures.finance
    return FigureBlock(
        number=number,
        name=name,
        figures=figures,
        status_bar=stacked(figures.projects.counts, PROJECT_STATUSES, ProjectStatus),
        milestone_bar=stacked(figures.milestones.counts, MILESTONE_STATUSES, MilestoneState),
        money_bars=[
            Bar(_("Vastgelegd (VAK)"), finance.committed_pct, MONEY_COLOURS["committed"]),
            Bar(_("Vereffend (VEK)"), finance.paid_pct, MONEY_COLOURS["paid"]),
        ],
    )


def report_text(summary: RoundSummary, language: str) -> list[str]:
    """The summary text in ``language``, a paragraph a line."""
    return [line for line in summary_text(summary, language).splitlines() if line.strip()]


def speerpunt_blocks(summary: RoundSummary, language: str) -> list[FigureBlock]:
    """The speerpunten's figures with their charts, named in ``language``."""
    return [
        _block(
            part.number, part.name_en or part.name if language == "en" else part.name, part.figures
        )
        for part in summary.by_speerpunt
    ]


def build_report(
    reporting_round: ReportingRound,
    *,
    speerpunt: Speerpunt | None = None,
    rrf_only: bool = False,
    language: str = "nl",
) -> Report:
    """The report of ``reporting_round``, of one speerpunt or of the whole plan; of the RRF
    projects alone with ``rrf_only``; in ``language``.

    The caller decides who may read the round (relance.reporting.access): this reads every
    fiche of it, drafts included when the round is open.
    """
    number = speerpunt.number if speerpunt else None
    summary = round_summary(reporting_round, speerpunt=number, rrf_only=rrf_only)
    part = scope(number, None, rrf_only)
    fiches = (
        Fiche.objects.filter(part, round=reporting_round)
        .select_related("project__cluster__speerpunt", "project__domain", "finance")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=StatusFlag.objects.filter(lifted_at__isnull=True).prefetch_related(
                    "actions"
                ),
                to_attr="raised_flags",
            )
        )
        .order_by(
            "project__cluster__speerpunt__number", "project__cluster__number", "project__code"
        )
    )
    sheets = [
        FicheSheet(fiche=fiche, flag=next(iter(fiche.raised_flags), None))  # type: ignore[attr-defined]
        for fiche in fiches
    ]
    by_project = {sheet.fiche.project_id: sheet for sheet in sheets}
    statuses = (
        MilestoneStatus.objects.filter(
            scope(number, None, rrf_only, project="milestone__project"), round=reporting_round
        )
        .select_related("milestone")
        .order_by("milestone__project_id", "milestone__number")
    )
    for status in statuses:
        sheet = by_project.get(status.milestone.project_id)
        if sheet is not None:
            sheet.milestones.append(status)
    # Each indicator as this round defines it: a later draft never rewrites a closed round.
    definitions = (
        IndicatorDefinition.objects.as_of(reporting_round)
        .filter(
            indicator__project_id__in=Fiche.objects.filter(part, round=reporting_round).values(
                "project_id"
            )
        )
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "indicator__values",
                queryset=IndicatorValue.objects.filter(round=reporting_round),
                to_attr="round_values",
            )
        )
        .order_by("indicator__project_id", "indicator__code")
    )
    grouped: dict[int, list[tuple[IndicatorDefinition, IndicatorValue | None]]] = defaultdict(list)
    for definition in definitions:
        value = next(iter(definition.indicator.round_values), None)  # type: ignore[attr-defined]
        grouped[definition.indicator.project_id].append((definition, value))
    for project_id, rows in grouped.items():
        if project_id in by_project:
            by_project[project_id].indicators = rows
    return Report(
        round=reporting_round,
        summary=summary,
        speerpunt=speerpunt,
        text=report_text(summary, language),
        overall=_block(None, "Vlaamse Veerkracht", summary.totals),
        speerpunten=speerpunt_blocks(summary, language),
        sheets=sheets,
        rrf_only=rrf_only,
    )
