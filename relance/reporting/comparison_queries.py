"""The round comparison's queries (relance/reporting/comparison.py): the two rounds'
fiches joined on the project and their milestone statuses joined on the milestone, filtered
and counted in SQL. The conditions compare values that are never NULL ("" for none) or the
joined rows' own columns: a negated lookup across a FilteredRelation would cost Django's
subquery and two more joins per condition, and a nested loop over the whole round.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce

from milestones.models import Milestone, MilestoneState
from projects.models import Project, ProjectStatus, ReportingRound, StatusFlag


def raised_flag(fiche: str) -> Subquery:
    """The level of the fiche's raised flag: one at most (statusflag_one_raised_per_fiche,
    whose index the lookup uses), so unordered."""
    raised = StatusFlag.objects.filter(fiche=OuterRef(fiche), lifted_at__isnull=True)
    return Subquery(raised.order_by().values("level")[:1])


def counts(*querysets: QuerySet[Any, Any]) -> list[int]:
    """The number of rows of each queryset, in one query. Counted apart from the listed
    rows: the first rows by code come from an index walk that stops early, the count from
    hash joins over the whole round, and one query doing both would get neither plan."""
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return [int(n) for n in row]


def both(
    reporting_round: ReportingRound, previous: ReportingRound | None, *, rrf_only: bool
) -> QuerySet[Project]:
    """The projects with a fiche in either round, with ``now`` and ``then`` joined."""
    projects = Project.objects.of_rrf() if rrf_only else Project.objects.all()
    return projects.annotate(
        now=FilteredRelation("fiches", condition=Q(fiches__round=reporting_round)),
        then=FilteredRelation("fiches", condition=Q(fiches__round=previous)),
    ).filter(Q(now__isnull=False) | Q(then__isnull=False))


def flag_sql(fiche: str) -> Coalesce:
    """The fiche's raised flag's level; else its orange or red status (a round imported
    from a workbook has the status without the flag's record); else "" (so that two "no
    flag" compare equal in SQL)."""
    flagged = Case(
        When(**{f"{fiche}__status__in": ProjectStatus.flags()}, then=F(f"{fiche}__status")),
        default=Value(""),
        output_field=CharField(),
    )
    return Coalesce(raised_flag(f"{fiche}__pk"), flagged, output_field=CharField())


def money_change(money: str) -> Any:
    """The change of ``money`` (committed, paid) from the previous fiche to this one, the
    missing figure as 0; 0 (where ProjectMove says None) when neither fiche has it."""
    zero = Value(Decimal(0))
    after = Coalesce(f"now__finance__{money}_eur", zero, output_field=DecimalField())
    return after - Coalesce(f"then__finance__{money}_eur", zero, output_field=DecimalField())


def rows(projects: QuerySet[Project]) -> QuerySet[Any, Any]:
    """What a ProjectMove is made of, of ``_both``'s projects (or ``_changed``'s)."""
    if "flag_now" not in projects.query.annotations:
        projects = with_flags(projects)
    return projects.values(
        "code",
        "title",
        flag_before=F("flag_then"),
        flag_after=F("flag_now"),
        speerpunt_number=F("cluster__speerpunt__number"),
        status_before=F("then__status"),
        status_after=F("now__status"),
        committed_before=F("then__finance__committed_eur"),
        committed_after=F("now__finance__committed_eur"),
        paid_before=F("then__finance__paid_eur"),
        paid_after=F("now__finance__paid_eur"),
    )


def with_flags(both: QuerySet[Project]) -> QuerySet[Project]:
    return both.alias(flag_then=flag_sql("then"), flag_now=flag_sql("now"))


def changed(both: QuerySet[Project]) -> QuerySet[Project]:
    """The projects whose status or flag differs between the two rounds. Compared as
    values that are never NULL ("" for no fiche, no flag): a negated lookup across the
    joined fiches would cost a subquery and two more joins."""
    return (
        with_flags(both)
        .alias(
            state_then=Coalesce("then__status", Value(""), output_field=CharField()),
            state_now=Coalesce("now__status", Value(""), output_field=CharField()),
        )
        .filter(~Q(state_then=F("state_now")) | ~Q(flag_then=F("flag_now")))
    )


def moved(both: QuerySet[Project]) -> QuerySet[Any, Any]:
    """The projects that moved, by code."""
    return rows(changed(both)).order_by("code")


def slipped_milestones(
    reporting_round: ReportingRound, previous: ReportingRound, *, rrf_only: bool
) -> QuerySet[Any, Any]:
    """Milestones expected later than at the round before (their forecast, or their
    deadline while they had none), or delayed now and not then."""
    milestones = Milestone.objects.of_rrf_projects() if rrf_only else Milestone.objects.all()
    # The conditions on the statuses' values (not on the relations, which Django would
    # negate with a subquery each): a status is never empty, so "none" is no status.
    newly_delayed = Q(status_after=MilestoneState.DELAYED) & (
        Q(status_before__isnull=True) | ~Q(status_before=MilestoneState.DELAYED)
    )
    later = (
        Q(status_before__isnull=False)
        & Q(expected_after__gt=F("expected_before"))
        & ~Q(status_after__in=[MilestoneState.REALISED, MilestoneState.STOPPED])
    )
    return (
        milestones.annotate(
            at_now=FilteredRelation("statuses", condition=Q(statuses__round=reporting_round)),
            at_then=FilteredRelation("statuses", condition=Q(statuses__round=previous)),
        )
        .annotate(
            status_before=F("at_then__status"),
            status_after=F("at_now__status"),
            expected_before=Coalesce("at_then__forecast_date", "deadline"),
            expected_after=Coalesce("at_now__forecast_date", "deadline"),
        )
        .filter(Q(status_after__isnull=False) & (newly_delayed | later))
    )


def slipped(
    reporting_round: ReportingRound, previous: ReportingRound, *, rrf_only: bool
) -> QuerySet[Any, Any]:
    """What a Slip is made of, of the ``slipped_milestones``, by project code and number."""
    return (
        slipped_milestones(reporting_round, previous, rrf_only=rrf_only)
        .values(
            "number",
            "description",
            "deadline",
            "expected_before",
            "expected_after",
            "status_before",
            "status_after",
            project_code=F("project__code"),
            project_title=F("project__title"),
        )
        .order_by("project__code", "number")
    )


def biggest_movers(both: QuerySet[Project]) -> QuerySet[Any, Any]:
    """The projects whose money moved, the largest change (paid and committed, either way)
    first, then by code."""
    return (
        rows(both)
        .alias(committed_change=money_change("committed"), paid_change=money_change("paid"))
        .filter(~Q(committed_change=0) | ~Q(paid_change=0))
        .order_by((Abs("paid_change") + Abs("committed_change")).desc(), "code")
    )
