"""A closed round never changes: not through a model, a bulk update, raw SQL or the admin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects import closed_rounds
from projects.models import (
    Fiche,
    FollowUpAction,
    IndicatorValue,
    ProjectStatus,
    ReportingRound,
    ReviewEvent,
    StatusFlag,
)
from projects.models.rounds import RoundClosedError, RoundState
from tests.factories import FicheFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def snapshot(reporting_round):
    """Everything a closed round holds, to compare before and after an attempt."""
    return (
        list(ReportingRound.objects.filter(pk=reporting_round.pk).values()),
        list(Fiche.objects.filter(round=reporting_round).values()),
        list(FinanceReport.objects.filter(fiche__round=reporting_round).values()),
        list(MilestoneStatus.objects.filter(round=reporting_round).values()),
        list(IndicatorValue.objects.filter(round=reporting_round).values()),
        list(StatusFlag.objects.filter(fiche__round=reporting_round).values()),
        list(FollowUpAction.objects.filter(flag__fiche__round=reporting_round).values()),
        list(ReviewEvent.objects.filter(fiche__round=reporting_round).values()),
    )


def refused(write):
    with pytest.raises(IntegrityError, match="closed_round"), transaction.atomic():
        write()


def test_model_save_of_a_closed_rounds_fiche_is_refused(closed_round):
    before = snapshot(closed_round)
    fiche = closed_round.fiches.get()
    fiche.status = ProjectStatus.STOPPED
    refused(fiche.save)
    assert snapshot(closed_round) == before


def test_bulk_updates_are_refused(closed_round):
    before = snapshot(closed_round)
    refused(lambda: Fiche.objects.filter(round=closed_round).update(narrative="anders"))
    refused(
        lambda: FinanceReport.objects.filter(fiche__round=closed_round).update(
            paid_eur=Decimal("1.00")
        )
    )
    refused(
        lambda: MilestoneStatus.objects.filter(round=closed_round).update(
            status=MilestoneState.DELAYED, realised_on=None
        )
    )
    assert snapshot(closed_round) == before


def test_raw_sql_is_refused(closed_round):
    before = snapshot(closed_round)

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE projects_fiche SET status = 'stopped' WHERE round_id = %s",
                [closed_round.pk],
            )

    refused(raw_update)
    assert snapshot(closed_round) == before


def test_nothing_can_be_added_to_a_closed_round(closed_round):
    before = snapshot(closed_round)
    refused(lambda: FicheFactory(round=closed_round, project=ProjectFactory()))
    milestone = MilestoneFactory()
    refused(
        lambda: MilestoneStatus.objects.create(
            round=closed_round, milestone=milestone, status=MilestoneState.ON_SCHEDULE
        )
    )
    assert snapshot(closed_round) == before


def test_nothing_can_be_deleted_from_a_closed_round(closed_round):
    before = snapshot(closed_round)
    refused(lambda: FinanceReport.objects.filter(fiche__round=closed_round).delete())
    refused(lambda: MilestoneStatus.objects.filter(round=closed_round).delete())
    assert snapshot(closed_round) == before


def test_a_closed_round_cannot_be_edited_reopened_or_deleted(closed_round):
    before = snapshot(closed_round)
    refused(lambda: ReportingRound.objects.filter(pk=closed_round.pk).update(name="Anders"))
    refused(lambda: ReportingRound.objects.filter(pk=closed_round.pk).update(state=RoundState.OPEN))
    with connection.cursor() as cursor:
        refused(
            lambda: cursor.execute(
                "DELETE FROM projects_reportinground WHERE id = %s", [closed_round.pk]
            )
        )
    assert snapshot(closed_round) == before


def test_closing_twice_says_so_for_people(closed_round):
    with pytest.raises(RoundClosedError, match="gesloten"):
        closed_round.close(by=None)


def test_open_rounds_stay_editable(open_round):
    fiche = FicheFactory(round=open_round)
    fiche.status = ProjectStatus.REALISED
    fiche.save()
    assert Fiche.objects.get(pk=fiche.pk).status == ProjectStatus.REALISED


def test_closing_freezes_what_was_editable_a_moment_before(open_round):
    fiche = FicheFactory(round=open_round)
    open_round.close(by=None)
    fiche.narrative = "Te laat"
    refused(fiche.save)
    assert Fiche.objects.get(pk=fiche.pk).narrative != "Te laat"


def test_the_admin_shows_a_closed_round_read_only(client, admin_user, closed_round):
    client.force_login(admin_user)
    fiche = closed_round.fiches.get()
    before = snapshot(closed_round)

    page = client.get(reverse("admin:projects_fiche_change", args=[fiche.pk]))
    assert page.status_code == 200
    assert b'name="narrative"' not in page.content  # shown, not editable

    response = client.post(
        reverse("admin:projects_fiche_change", args=[fiche.pk]),
        {"round": closed_round.pk, "project": fiche.project.pk, "status": "stopped"},
    )
    assert response.status_code == 403
    response = client.post(reverse("admin:projects_fiche_delete", args=[fiche.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:projects_reportinground_change", args=[closed_round.pk]),
        {"code": closed_round.code, "name": "Anders", "reference_date": "2030-12-31"},
    )
    assert response.status_code == 403
    assert snapshot(closed_round) == before


@pytest.mark.django_db(transaction=True)
def test_flush_may_still_empty_the_database(closed_round):
    call_command("flush", interactive=False, verbosity=0)
    assert not ReportingRound.objects.exists()
    # ... and the guard is back in force afterwards.
    reporting_round = ReportingRound.objects.create(
        code="2021-12", name="December 2021", reference_date=dt.date(2021, 12, 31)
    )
    FicheFactory(round=reporting_round)
    reporting_round.close(by=None)
    refused(lambda: Fiche.objects.filter(round=reporting_round).update(narrative="anders"))


@pytest.mark.parametrize("table", sorted(closed_rounds.GUARDS))
def test_every_guarded_table_refuses_a_closed_rounds_rows(closed_round, table):
    before = snapshot(closed_round)
    guard = closed_rounds.GUARDS[table]
    round_of_row = guard.round_id.format(row=table)

    def touch():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET id = id WHERE ({round_of_row}) = %s", [closed_round.pk]
            )

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE ({round_of_row}) = %s", [closed_round.pk]
        )
        assert cursor.fetchone()[0] >= 1, f"the closed round has no rows in {table} to try"
    refused(touch)
    assert snapshot(closed_round) == before


def test_guards_can_be_reinstalled_any_number_of_times(closed_round):
    closed_rounds.install_guards(connection)
    closed_rounds.install_guards(connection)
    refused(lambda: Fiche.objects.filter(round=closed_round).update(narrative="anders"))
