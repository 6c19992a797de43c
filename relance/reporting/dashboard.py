"""The dashboard (/): a round's figures as tiles, charts and tables, for part of the plan or
all of it.

Every number comes from ``round_summary`` (and, for the chart over all rounds, from
``project_status_by_round``, which counts the same fiches); nothing is counted here. The
heat map's thousands of cells are written by heatmap.py. A closed round's summaries and
heat map come from the cache (relance/summary/cache.py); the open round's, the history
and the round's envelope chain are kept under the data version (relance/summary/version.py),
which every committed save changes. A repeated page takes a fixed number of queries: the
data version, the lists of the filter form and nothing that grows with the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from types import EllipsisType
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from milestones.models import MilestoneState
from projects.filters import PlainSelect
from projects.models import PolicyDomain, ProjectStatus, ReportingRound, Speerpunt
from relance.summary import RoundSummary, round_summary
from relance.summary.cache import closed_key, envelope_chain, kept, version_key
from relance.summary.extras import Changes
from relance.summary.figures import project_status_by_round
from relance.summary.prose import change_sentences, observation_text
from relance.summary.values import (
    MILESTONE_STATUSES,
    PROJECT_STATUSES,
    round_half_up,
    share,
)
from relance.summary.version import data_version

from .access import default_round
from .charts import charts_data
from .heatmap import heat_map
from .rows import RoundRow, Scope, SpeerpuntRow, StatusTile


class DashboardFilterForm(forms.Form):
    """The dashboard's choices, all optional: a value that is not on offer (a round the user
    may not see, an unknown speerpunt) is dropped, and the default stands."""

    # Options written in Python (PlainSelect), not through Django's template per option.
    round = forms.ChoiceField(label=gettext_lazy("Meetmoment"), required=False, widget=PlainSelect)
    speerpunt = forms.TypedChoiceField(
        label=gettext_lazy("Speerpunt"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=PlainSelect,
    )
    domain = forms.ChoiceField(
        label=gettext_lazy("Beleidsdomein"), required=False, widget=PlainSelect
    )
    rrf = forms.BooleanField(label=gettext_lazy("Enkel RRF-projecten"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        rounds: list[ReportingRound],
        speerpunten: Sequence[Speerpunt],
        domains: Sequence[PolicyDomain],
    ) -> None:
        super().__init__(data)
        self.rounds = rounds
        self.fields["round"].choices = [  # type: ignore[attr-defined]
            (r.code, str(r) if r.is_closed else f"{r} · {r.get_state_display()}") for r in rounds
        ]
        self.fields["speerpunt"].choices = [("", _("Alle speerpunten"))] + [  # type: ignore[attr-defined]
            (s.number, str(s)) for s in speerpunten
        ]
        self.fields["domain"].choices = [("", _("Alle beleidsdomeinen"))] + [  # type: ignore[attr-defined]
            (d.code, str(d)) for d in domains
        ]
        for name, widget_field in self.fields.items():
            css = "form-check-input" if name == "rrf" else "form-select form-select-sm"
            widget_field.widget.attrs["class"] = css
        self.is_valid()

    def scope(self) -> Scope | None:
        """What the user chose, as far as it is valid; None when there is no round to show."""
        data = self.cleaned_data
        chosen = next((r for r in self.rounds if r.code == data.get("round")), None)
        reporting_round = chosen or default_round(self.rounds)
        if reporting_round is None:
            return None
        if chosen is None:  # the select shows the round the page shows
            shown = QueryDict(mutable=True)
            shown.update(self.data)
            shown["round"] = reporting_round.code
            self.data = shown
        return Scope(
            round=reporting_round,
            speerpunt=data.get("speerpunt"),
            domain=data.get("domain") or None,
            rrf_only=bool(data.get("rrf")),
        )


@dataclass
class Dashboard:
    scope: Scope
    summary: RoundSummary
    previous: RoundSummary | None  # the round before, with the same filters
    status_tiles: list[StatusTile]
    milestone_change_points: Decimal | None
    history: list[RoundRow]
    speerpunten: list[SpeerpuntRow]
    charts: dict[str, Any]
    heat_rows: SafeString | None = SafeString()  # the heat map's table, one row per cluster
    heat_count: int = 0  # clusters; without rows (None), a link asks for their table
    all_clusters: bool = False  # the table asked for (?clusters=1): shown open

    @property
    def cluster_table_url(self) -> str:
        """This dashboard with the table of every cluster, open."""
        return f"{self.scope.dashboard_url(clusters='1')}#heat-title"

    milestone_states = MilestoneState.choices

    @property
    def realised_tile(self) -> StatusTile:
        return next(t for t in self.status_tiles if t.status == ProjectStatus.REALISED)

    @property
    def flagged_count(self) -> int:
        counts = self.summary.totals.projects.counts
        return sum(counts[status] for status in ProjectStatus.flags())

    @property
    def project_change(self) -> int | None:
        if self.previous is None:
            return None
        return self.summary.totals.projects.total - self.previous.totals.projects.total

    @property
    def project_change_size(self) -> int:
        """How many projects more or fewer: the change's words ("1 project", "0 projecten")."""
        return abs(self.project_change or 0)

    @property
    def strip(self) -> list[tuple[str, Decimal, Decimal]]:
        """The status tiles as one bar of 100 units: (status, x, width)."""
        total = self.summary.totals.projects.total
        parts, x = [], Decimal(0)
        for tile in self.status_tiles:
            width = share(tile.count, total) or Decimal(0)
            if width:
                parts.append((tile.status, x, width))
            x += width
        return parts

    @property
    def has_changes(self) -> bool:
        return self.previous is not None

    @property
    def observation_lines(self) -> list[str]:
        """The observations per speerpunt, in the active language."""
        return [observation_text(observation) for observation in self.summary.observations]

    @property
    def change_lines(self) -> list[str]:
        """The change of the projects' and milestones' headline figures, in words."""
        return change_sentences(self.summary, "projects") + change_sentences(
            self.summary, "milestones"
        )


def build_dashboard(
    scope: Scope,
    rounds: list[ReportingRound],
    names: dict[int, str],
    *,
    version: str | None | EllipsisType = ...,
    all_clusters: bool = False,
) -> Dashboard:
    """The dashboard of ``scope``; ``rounds`` are those the user may see (newest first),
    ``names`` the speerpunten's names in the user's language, by number; ``version`` the
    data version when the caller has read it (``data_version()``); ``all_clusters`` the
    heat map's table of every cluster, however many (heatmap.INLINE_ROWS)."""
    if isinstance(version, EllipsisType):
        version = data_version()
    # The round, the rounds before it and their envelopes: the round before's chain is the
    # rest of it. What the data version keys comes from the cache until the next save.
    chain = envelope_chain(scope.round, version)
    # The round's whole summary, computed at most once: for the dashboard's summary and for
    # the heat map (its clusters), whichever of them the cache does not hold.
    whole: list[RoundSummary] = []

    def computed() -> RoundSummary:
        if not whole:
            whole.append(round_summary(scope.round, chain=chain, **scope.filters()))
        return whole[0]

    summary = _summary(scope.round, chain, scope.filters(), version, computed)
    visible = {r.pk for r in rounds}
    # The change figures compare with the round before only where the user may see it.
    previous = summary.previous
    before = (
        _summary(
            previous,
            chain[1:],
            scope.filters(),
            version,
            lambda: round_summary(previous, clusters=False, chain=chain[1:], **scope.filters()),
        )
        if previous is not None and previous.pk in visible
        else None
    )
    if before is None and summary.previous is not None:
        summary = _without_changes(summary)
    counts = summary.totals.projects
    status_tiles = [
        StatusTile(
            status=status,
            label=str(ProjectStatus(status).label),
            count=counts.counts[status],
            pct=_one_decimal(share(counts.counts[status], counts.total)),
            change=(
                counts.counts[status] - before.totals.projects.counts[status]
                if before is not None
                else None
            ),
            url=scope.projects_url(status=status),
        )
        for status in PROJECT_STATUSES
    ]
    milestones = summary.totals.milestones
    earlier = before.totals.milestones.on_schedule_or_realised_pct if before else None
    milestone_change = (
        milestones.on_schedule_or_realised_pct - earlier
        if milestones.on_schedule_or_realised_pct is not None and earlier is not None
        else None
    )

    by_round = kept(
        version_key("status-by-round", version, [r.pk for r in rounds], scope.filters()),
        lambda: project_status_by_round(rounds, **scope.filters()),
    )
    history = [
        RoundRow(
            round=r,
            counts=by_round[r.pk],
            total=sum(by_round[r.pk].values()),
            url=scope.projects_url(reporting_round=r),
            is_chosen=r.pk == scope.round.pk,
        )
        for r in reversed(rounds)
        if sum(by_round[r.pk].values())
    ]

    heat = heat_map(scope, computed, chain, version, all_rows=all_clusters)
    speerpunten = [
        SpeerpuntRow(
            speerpunt=part,
            label=f"{part.number}. {names.get(part.number, part.name)}",
            projects_url=scope.projects_url(speerpunt=part.number),
            milestone_urls={
                status: scope.milestones_url(speerpunt=part.number, status=status)
                for status in MILESTONE_STATUSES
            },
            heat=heat.cells.get(part.number, mark_safe("")),  # noqa: S308 (empty)
        )
        for part in summary.by_speerpunt
    ]
    return Dashboard(
        scope=scope,
        summary=summary,
        previous=before,
        status_tiles=status_tiles,
        milestone_change_points=milestone_change,
        history=history,
        speerpunten=speerpunten,
        charts=charts_data(scope, history, speerpunten),
        heat_rows=heat.rows,
        heat_count=heat.count,
        all_clusters=all_clusters,
    )


def _summary(
    reporting_round: ReportingRound,
    chain: list[ReportingRound],
    filters: dict[str, Any],
    version: str | None,
    compute: Callable[[], RoundSummary],
) -> RoundSummary:
    """The round's summary as the dashboard keeps it: without its clusters, which only the
    heat map reads (and it is kept apart), so that a country's thousands of clusters are
    not read back from the cache for every page. A closed round's is kept for good, an
    open one's under the data version; ``compute`` gives the whole summary when the cache
    does not hold it."""
    key = closed_key("dashboard-summary", chain, *filters.values()) or version_key(
        "open-summary", version, reporting_round.pk, filters
    )
    return kept(key, lambda: replace(compute(), by_cluster=()))


def _one_decimal(value: Decimal | None) -> Decimal | None:
    rounded = round_half_up(value)
    return None if rounded is None else rounded.quantize(Decimal("0.1"))


def _without_changes(summary: RoundSummary) -> RoundSummary:
    """``summary`` without the changes since a round the user may not see."""
    finance = replace(
        summary.totals.finance,
        committed_change_eur=None,
        paid_change_eur=None,
        committed_change_pct_points=None,
        paid_change_pct_points=None,
    )
    return replace(
        summary, previous=None, totals=replace(summary.totals, finance=finance), changes=Changes()
    )
