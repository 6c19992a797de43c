"""The dashboard's heat map and the table beside it: one cell and one row per cluster.

A plan the size of a country has thousands of clusters, so their HTML is written here in
one pass over ``summary.by_cluster`` (the template language would take a second per
thousand), with the link and the words that every cluster shares made once. It is the
markup templates/relance/_dashboard.html would write, escaped as the template escapes it.
It is kept in Django's cache as the summary is (a closed round's for good, another's under
the data version), per language and kind of links: the cells and the table apart, so that a
dashboard that does not show the table (a plan of more than ``INLINE_ROWS`` clusters, until
``?clusters=1`` asks for it) does not read it back either.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.models import ProjectStatus
from relance.summary.cache import closed_key, version_key
from relance.summary.values import PROJECT_STATUSES

if TYPE_CHECKING:
    from projects.models import ReportingRound
    from relance.summary import RoundSummary

    from .rows import Scope

# The most clusters whose table the dashboard writes out at once (a plan has a few dozen);
# above, a link asks for it (a country's 3,600 rows are a megabyte of HTML).
INLINE_ROWS = 300


@dataclass(frozen=True)
class HeatMap:
    """The heat map's cells per speerpunt (by number) and the rows of its table, as HTML;
    no rows (None) when the table is not shown."""

    cells: dict[int, SafeString]
    rows: SafeString | None
    count: int  # clusters


def heat_map(
    scope: Scope,
    summary: Callable[[], RoundSummary],
    chain: list[ReportingRound],
    version: str | None,
    *,
    all_rows: bool = False,
) -> HeatMap:
    """The heat map of the round's ``summary`` (asked for only when the cache does not
    hold the map) with the links of ``scope``: a closed round's keyed by ``chain`` (its
    envelope chain) as its summary is, another's by the data ``version``. Its table's rows
    when there are at most INLINE_ROWS clusters or ``all_rows`` asks for them."""
    parts = (type(scope).__name__, *scope.filters().values(), get_language())
    key = closed_key("heat-cells", chain, *parts) or version_key(
        "open-heat-cells", version, scope.round.pk, *parts
    )
    if key is None:
        return _shown(build_heat_map(scope, summary()), all_rows)
    found = cache.get(key)
    if found is not None:
        cells, count = found
        if not (all_rows or count <= INLINE_ROWS):
            return HeatMap(cells=cells, rows=None, count=count)
        rows = cache.get(f"{key}:rows")
        if rows is not None:
            return HeatMap(cells=cells, rows=rows, count=count)
    built = build_heat_map(scope, summary())
    cache.set_many(
        {key: (built.cells, built.count), f"{key}:rows": built.rows},
        settings.RELANCE_SUMMARY_CACHE_SECONDS,
    )
    return _shown(built, all_rows)


def _shown(built: HeatMap, all_rows: bool) -> HeatMap:
    if all_rows or built.count <= INLINE_ROWS:
        return built
    return HeatMap(cells=built.cells, rows=None, count=built.count)


def build_heat_map(scope: Scope, summary: RoundSummary) -> HeatMap:
    # Every cluster's link is the scope's project list with ``&cluster=N`` after it (the
    # order scope.projects_url(cluster=N) writes).
    base = escape(scope.projects_url())
    css: dict[str | None, str] = {
        status: ProjectStatus(status).css_class for status in PROJECT_STATUSES
    }
    css[None] = ""
    labels: dict[str | None, str] = {
        status: str(ProjectStatus(status).label) for status in PROJECT_STATUSES
    }
    labels[None] = "–"
    shown = {status: html.escape(label) for status, label in labels.items()}
    describe = _("Cluster %(number)s, %(name)s: %(count)s projecten; ernstigste status: %(status)s")
    cells: dict[int, list[str]] = defaultdict(list)
    rows: dict[int, list[str]] = defaultdict(list)
    # The standard library's escape: what Django's escape() does, without its lazy-string
    # wrapper around each of the thousands of calls.
    for cluster in summary.by_cluster:
        worst = cluster.worst_status
        counts = cluster.projects.counts
        url = f"{base}&amp;cluster={cluster.number}"
        label = html.escape(
            describe
            % {
                "number": cluster.number,
                "name": cluster.name,
                "count": cluster.projects.total,
                "status": labels[worst],
            }
        )
        cells[cluster.speerpunt].append(
            f'<li><a class="heat-cell {css[worst]}" href="{url}" '
            f'title="{label}" aria-label="{label}"><span class="heat-number">{cluster.number}'
            f'</span><span class="heat-count">{cluster.projects.total}</span></a></li>'
        )
        numbers = "".join([f'<td class="num">{counts[status]}</td>' for status in PROJECT_STATUSES])
        rows[cluster.speerpunt].append(
            f'<tr><th scope="row"><a href="{url}">{cluster.number}. {html.escape(cluster.name)}'
            f"</a></th><td>{cluster.speerpunt}</td>{numbers}<td>{shown[worst]}</td></tr>"
        )
    # The table lists the clusters speerpunt by speerpunt, as the heat map shows them.
    ordered = [row for part in summary.by_speerpunt for row in rows[part.number]]
    return HeatMap(
        cells={number: mark_safe("\n".join(parts)) for number, parts in cells.items()},  # noqa: S308
        rows=mark_safe("\n".join(ordered)),  # noqa: S308 (escaped above)
        count=len(ordered),
    )
