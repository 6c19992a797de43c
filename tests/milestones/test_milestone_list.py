"""/milestones/: what only the milestone table does: due and overdue, forecasts, its export's
dates. What it does like the project list is in tests/test_list_views.py."""

import datetime as dt

import pytest

from milestones.models import MilestoneState, MilestoneStatus
from projects.models.rounds import RoundState
from tests.factories import (
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.lists import MILESTONES, days

pytestmark = pytest.mark.django_db

URL = MILESTONES.url
rows, names = MILESTONES.rows, MILESTONES.names
export_csv, export_xlsx = MILESTONES.export_csv, MILESTONES.export_xlsx


@pytest.fixture
def plan(domain, other_domain):
    return MILESTONES.plan(domain, other_domain)


# ---- Access ------------------------------------------------------------------------


def test_a_reader_sees_the_closed_rounds_statuses(client, reader, plan):
    client.force_login(reader)
    assert rows(client.get(URL)) == [
        ("VV001/1", "gerealiseerd", None),
        ("VV001/2", "nog niet aangevat", None),
        ("VV002/1", "op schema", None),
    ]


# ---- Another domain's draft stays hidden -----------------------------------------------


def test_an_editor_sees_the_own_domains_statuses_but_not_another_domains(client, editor, plan):
    client.force_login(editor)
    response = client.get(URL)
    assert rows(response) == [
        ("VV001/1", "gerealiseerd", None),
        ("VV001/2", "op schema", None),
        ("VV002/1", None, None),
    ]
    html = response.content.decode()
    assert MilestoneState.ON_SCHEDULE.css_class in html
    assert MilestoneState.DELAYED.css_class not in html
    assert "31-3-2031" not in html


def test_a_coordinator_sees_every_status_of_the_open_round(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(URL)
    assert rows(response)[2] == ("VV002/1", "in vertraging", dt.date(2031, 3, 31))
    assert MilestoneState.DELAYED.css_class in response.content.decode()


def test_a_status_without_a_fiche_in_the_open_round_is_hidden_from_an_editor(
    client, editor, domain, open_round
):
    """The status is the fiche's: even the own domain's is read through a fiche."""
    milestone = MilestoneFactory(project=ProjectFactory(domain=domain))
    MilestoneStatusFactory(round=open_round, milestone=milestone, status=MilestoneState.DELAYED)
    client.force_login(editor)
    assert rows(client.get(URL)) == [(f"{milestone.project.code}/{milestone.number}", None, None)]


# ---- Filters ------------------------------------------------------------------------


def test_due_counts_from_today(client, coordinator, domain):
    project = ProjectFactory(code="VV001", domain=domain)
    for number, offset in enumerate([-1, 0, 30, 31, 90, 91, 365, 366], start=1):
        MilestoneFactory(project=project, number=number, deadline=days(offset))
    client.force_login(coordinator)
    assert names(client.get(f"{URL}?due=30")) == ["VV001/2", "VV001/3"]
    assert names(client.get(f"{URL}?due=90")) == ["VV001/2", "VV001/3", "VV001/4", "VV001/5"]
    assert len(names(client.get(f"{URL}?due=365"))) == 6


def test_overdue_means_past_the_deadline_and_still_open(client, coordinator, domain):
    open_round = ReportingRoundFactory(reference_date=days(40), state=RoundState.OPEN)
    project = ProjectFactory(code="VV001", domain=domain)
    FicheFactory(round=open_round, project=project)
    cases = [
        (days(-5), MilestoneState.ON_SCHEDULE),  # overdue
        (days(-5), MilestoneState.DELAYED),  # overdue
        (days(-5), MilestoneState.FUTURE),  # overdue
        (days(-5), MilestoneState.REALISED),  # done
        (days(-5), MilestoneState.STOPPED),  # dropped
        (days(5), MilestoneState.ON_SCHEDULE),  # not yet due
    ]
    for number, (deadline, status) in enumerate(cases, start=1):
        milestone = MilestoneFactory(project=project, number=number, deadline=deadline)
        MilestoneStatus.objects.create(
            round=open_round,
            milestone=milestone,
            status=status,
            realised_on=deadline if status == MilestoneState.REALISED else None,
        )
    MilestoneFactory(project=project, number=7, deadline=days(-5))  # no status this round
    client.force_login(coordinator)
    assert names(client.get(f"{URL}?overdue=on")) == ["VV001/1", "VV001/2", "VV001/3"]


def test_overdue_in_a_closed_round_is_counted_at_its_reference_date(client, coordinator, domain):
    """A closed round's status says where a milestone stood on the reference date."""
    project = ProjectFactory(code="VV001", domain=domain)
    closed = ReportingRoundFactory(reference_date=days(-100))
    FicheFactory(round=closed, project=project)
    before = MilestoneFactory(project=project, number=1, deadline=days(-150))
    after = MilestoneFactory(project=project, number=2, deadline=days(-50))
    for milestone in (before, after):
        MilestoneStatusFactory(round=closed, milestone=milestone, status=MilestoneState.DELAYED)
    closed.close(by=None)
    client.force_login(coordinator)
    assert names(client.get(f"{URL}?round={closed.code}&overdue=on")) == ["VV001/1"]


# ---- Sorting, pages, exports ----------------------------------------------------------


def test_the_export_has_every_filtered_sorted_row_of_every_page(client, coordinator, domain):
    project = ProjectFactory(code="VV001", domain=domain)
    for number in range(1, 81):
        MilestoneFactory(project=project, number=number, deadline=days(number))
    MilestoneFactory(project=ProjectFactory(code="VV002"), number=1, deadline=days(1))
    client.force_login(coordinator)
    response = client.get(f"{URL}?domain=MOW&sort=-deadline")
    assert len(rows(response)) == 50
    assert "80 mijlpalen" in response.content.decode()

    header, *body = export_csv(client, "domain=MOW&sort=-deadline&page=2")
    assert header[:3] == ["Project", "Projecttitel", "Nr."]
    assert [int(row[2]) for row in body] == list(range(80, 0, -1))
    sheet = export_xlsx(client, "domain=MOW&sort=-deadline")
    assert sheet.max_row == 81
    assert sheet["E2"].value.date() == days(80)  # a date, not a text
