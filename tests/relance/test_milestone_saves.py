"""Milestones in the fiche save: postponements counted once per round in which the expected
date moved later, and a cleared status as a draft state that is shown, not ignored."""

import datetime as dt

import pytest
from django.urls import reverse

from benchmarks.form_fields import posted
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import ReviewState
from projects.models.rounds import RoundState
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ReportingRoundFactory,
)
from tests.relance.fiche_helpers import complete, fiche_post

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2030, 6, 30)
DELAYED = {"status": MilestoneState.DELAYED, "delay_reason": "Beroep bij de Raad van State"}


def url(fiche):
    return reverse("fiche", args=[fiche.project.code])


def build(project, *, before=None):
    """The project's fiche in an open December 2024, with milestones 1 (on schedule) and 2
    (deadline 30 June 2030); ``before``: milestone 2's status in a closed December 2023."""
    first = MilestoneFactory(project=project, number=1, deadline=dt.date(2029, 1, 31))
    second = MilestoneFactory(project=project, number=2, deadline=DEADLINE)
    if before is not None:
        previous = ReportingRoundFactory(
            reference_date=dt.date(2023, 12, 31), state=RoundState.OPEN
        )
        FicheFactory(round=previous, project=project)
        MilestoneStatusFactory(round=previous, milestone=second, **before)
        previous.close(by=None)
    current = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    fiche = FicheFactory(round=current, project=project)
    FinanceReportFactory(fiche=fiche)
    MilestoneStatusFactory(round=current, milestone=first, status=MilestoneState.ON_SCHEDULE)
    if before is not None:
        MilestoneStatusFactory(round=current, milestone=second, **before)  # as opening copies
    else:
        MilestoneStatusFactory(round=current, milestone=second)
    return fiche


def save(client, fiche, **milestone):
    response = client.post(url(fiche), fiche_post(fiche, milestones={2: milestone}))
    assert response.status_code == 302, response.content.decode()[:2000]
    return MilestoneStatus.objects.get(round=fiche.round, milestone__number=2)


def test_two_saves_of_one_delayed_milestone_count_one_postponement(client, editor, project):
    fiche = build(project)
    client.force_login(editor)
    assert save(client, fiche, **DELAYED, forecast_date="2031-01-31").postponements == 1
    assert save(client, fiche, **DELAYED, forecast_date="2031-06-30").postponements == 1
    assert save(client, fiche, **DELAYED, forecast_date="2031-06-30").postponements == 1
    status = save(client, fiche, **DELAYED, forecast_date="2031-06-30", note="nog eens")
    assert (status.postponements, status.forecast_date) == (1, dt.date(2031, 6, 30))


POSTPONED_ONCE = {
    "status": MilestoneState.DELAYED,
    "forecast_date": dt.date(2031, 1, 31),
    "delay_reason": "Bezwaar",
    "postponements": 1,
}


def test_a_later_round_moving_the_date_again_counts_two(client, editor, project):
    fiche = build(project, before=POSTPONED_ONCE)
    client.force_login(editor)
    assert save(client, fiche, **DELAYED, forecast_date="2031-06-30").postponements == 2
    assert save(client, fiche, **DELAYED, forecast_date="2031-09-30").postponements == 2


@pytest.mark.parametrize(
    ("milestone", "count"),
    [
        ({**DELAYED, "forecast_date": "2030-12-31"}, 1),  # earlier than expected before
        ({**DELAYED, "forecast_date": "2031-01-31"}, 1),  # what was expected before
        ({"status": MilestoneState.ON_SCHEDULE}, 1),  # back on schedule: the past stays
    ],
)
def test_moving_the_date_earlier_or_keeping_it_adds_nothing(
    client, editor, project, milestone, count
):
    fiche = build(project, before=POSTPONED_ONCE)
    client.force_login(editor)
    assert save(client, fiche, **milestone).postponements == count


def test_a_cleared_status_removes_the_milestones_status_from_the_draft(client, editor, project):
    fiche = build(project)
    client.force_login(editor)
    response = client.post(
        url(fiche), fiche_post(fiche, milestones={2: {"status": ""}}), follow=True
    )
    page = response.content.decode()
    assert "Mijlpaal 2 heeft geen status meer." in page
    assert "Mijlpaal 1 heeft geen status meer." not in page
    assert not MilestoneStatus.objects.filter(round=fiche.round, milestone__number=2).exists()
    assert MilestoneStatus.objects.filter(round=fiche.round, milestone__number=1).exists()
    assert page.count("milestone-no-status") == 1  # the form shows it as "geen status"
    # Saving again says nothing more: there was no status left to clear.
    response = client.post(url(fiche), fiche_post(fiche), follow=True)
    assert "heeft geen status meer" not in response.content.decode()
    # Submitting is refused until it has one again.
    post = {**complete(fiche), "ms-1-status": "", "submit": "1"}
    response = client.post(url(fiche), post, follow=True)
    assert "Mijlpaal 2 (Gunning van de opdracht) heeft geen status." in response.content.decode()
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.DRAFT


def test_a_save_writes_only_what_changed(client, editor, project):
    """A save leaves the rows it does not change alone: no write, and no history record
    that says nothing. The row it changes gets one record, naming who changed it."""
    fiche = build(project)
    client.force_login(editor)
    finance = fiche.finance
    records = {
        "statuses": MilestoneStatus.history.filter(round=fiche.round),
        "finance": finance.history.all(),
    }
    before = {name: history.count() for name, history in records.items()}

    response = client.post(url(fiche), fiche_post(fiche, narrative="Alleen de toelichting"))
    assert response.status_code == 302
    assert {name: history.count() for name, history in records.items()} == before

    save(client, fiche, **DELAYED, forecast_date="2031-01-31")
    assert records["statuses"].count() == before["statuses"] + 1
    latest = records["statuses"].latest("history_date")
    assert (latest.milestone.number, latest.status, latest.history_user) == (
        2,
        MilestoneState.DELAYED,
        editor,
    )
    assert records["finance"].count() == before["finance"]


def test_a_milestones_note_is_shown_and_kept_by_a_save(client, editor, project):
    """A milestone's note (from the workbook or the API) is on the form, so that a save made
    in the browser keeps it, and can change it."""
    fiche = build(project)
    MilestoneStatus.objects.filter(round=fiche.round, milestone__number=2).update(
        note="Wacht op de omgevingsvergunning"
    )
    client.force_login(editor)
    page = client.get(url(fiche)).content.decode()
    assert 'value="Wacht op de omgevingsvergunning"' in page
    data = posted(page)
    assert client.post(url(fiche), data).status_code == 302
    assert MilestoneStatus.objects.get(round=fiche.round, milestone__number=2).note == (
        "Wacht op de omgevingsvergunning"
    )
    field = next(key for key, value in data.items() if value == "Wacht op de omgevingsvergunning")
    client.post(url(fiche), {**posted(client.get(url(fiche)).content.decode()), field: "Vergund"})
    assert MilestoneStatus.objects.get(round=fiche.round, milestone__number=2).note == "Vergund"
