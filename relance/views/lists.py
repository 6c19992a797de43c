"""The milestone table (milestones/views.py) as the site serves it: its row count kept in the
cache under the data version, which only this app knows (relance/summary/version.py)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet

from milestones.views import MilestoneListView
from projects.tables import LateRowPaginator
from relance.summary.keys import kept, version_key
from relance.summary.version import data_version


class KeptCountPaginator(LateRowPaginator):
    """A LateRowPaginator whose row count is kept under the data version.

    Counting a wide filter reads every row it lets through (the overdue milestones of a
    hundred plans: 105,000 open statuses of the round joined to 59,000 past deadlines,
    40 to 150 ms), and every page of the list counts the same rows again, until something
    changes. The key is the rows' query itself, SQL and parameters, its order left out:
    the filters, the round, the day that "overdue" compares with, and what the user may
    read (the readable domains are in the SQL); the data version changes with every
    committed change to the tables it reads. So a kept count is exactly the count the
    query would give. Kept: the version's query in place of the count's; not kept (the
    first page after a change, a transaction that wrote): the version's query besides."""

    @cached_property
    def count(self) -> int:
        queryset = self.queryset
        if queryset is None:
            return super().count
        rows = queryset.order_by()
        try:
            sql, params = rows.query.get_compiler(rows.db).as_sql()
        except EmptyResultSet:  # no rows, known without a query (a filter's none())
            return super().count
        return kept(version_key("table-count", data_version(), sql, params), rows.count)


class KeptCountMilestoneList(MilestoneListView):
    """The milestone table whose pages keep their count (KeptCountPaginator). Not its
    export: it writes every row, and counts them once in its own header."""

    def get_table_pagination(self, table: Any) -> Any:
        pagination = super().get_table_pagination(table)
        exporting = self.export_class.is_valid_format(
            self.request.GET.get(self.export_trigger_param)
        )
        if isinstance(pagination, dict) and not exporting:
            pagination["paginator_class"] = KeptCountPaginator
        return pagination


milestone_list = KeptCountMilestoneList.as_view()
