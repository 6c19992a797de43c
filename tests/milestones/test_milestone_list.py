"""/milestones/: the milestone table, its filters, sorting, exports and who sees which status."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import MilestoneState, MilestoneStatus
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    ClusterFactory,
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
    SpeerpuntFactory,
)

pytestmark = pytest.mark.django_db

URL = "/milestones/"


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def plan(domain, other_domain):
    """Two projects, one per domain, each with milestones that have a status in a closed
    round and in the open round.

    In the open round the other domain's milestone is delayed, with a new forecast: an
    editor of ``domain`` must never learn that.
    """
    own = ProjectFactory(
        code="VV001",
        title="Fietsinfrastructuur",
        domain=domain,
        cluster=ClusterFactory(number=1, speerpunt=SpeerpuntFactory(number=1)),
    )
    other = ProjectFactory(
        code="VV002",
        title="Blue deal",
        domain=other_domain,
        cluster=ClusterFactory(number=2, speerpunt=SpeerpuntFactory(number=2)),
    )
    own_done = MilestoneFactory(
        project=own, number=1, description="Gunning van de werken", deadline=days(-400)
    )
    own_next = MilestoneFactory(
        project=own, number=2, description="Oplevering fietsbrug", deadline=days(20)
    )
    other_late = MilestoneFactory(
        project=other, number=1, description="Herstel van waterlopen", deadline=days(-10)
    )

    closed = ReportingRoundFactory(reference_date=days(-200), state=RoundState.DRAFT)
    for project in (own, other):
        FicheFactory(round=closed, project=project)
    MilestoneStatusFactory(
        round=closed,
        milestone=own_done,
        status=MilestoneState.REALISED,
        realised_on=days(-390),
    )
    MilestoneStatusFactory(round=closed, milestone=own_next, status=MilestoneState.FUTURE)
    MilestoneStatusFactory(round=closed, milestone=other_late, status=MilestoneState.ON_SCHEDULE)
    closed.close(by=None)

    open_round = ReportingRoundFactory(reference_date=days(40), state=RoundState.OPEN)
    for project in (own, other):
        FicheFactory(round=open_round, project=project)
    MilestoneStatusFactory(
        round=open_round,
        milestone=own_done,
        status=MilestoneState.REALISED,
        realised_on=days(-390),
    )
    MilestoneStatusFactory(round=open_round, milestone=own_next, status=MilestoneState.ON_SCHEDULE)
    MilestoneStatusFactory(
        round=open_round,
        milestone=other_late,
        status=MilestoneState.DELAYED,
        forecast_date=dt.date(2031, 3, 31),
        delay_reason="Vergunning nog niet rond",
    )
    return {"own": own, "other": other, "closed": closed, "open": open_round}


def rows(response):
    """(project code/number, status, forecast) per row, as the page shows them."""
    table = response.context["table"]
    return [
        (
            f"{row.record.project.code}/{row.record.number}",
            row.get_cell_value("status"),
            row.get_cell_value("forecast"),
        )
        for row in table.paginated_rows
    ]


def names(response):
    return [name for name, _status, _forecast in rows(response)]


def export_csv(client, query=""):
    response = client.get(f"{URL}?{query}&_export=csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def export_xlsx(client, query=""):
    response = client.get(f"{URL}?{query}&_export=xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


# ---- Access ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_export=csv", "?_export=xlsx"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, query):
    response = client.get(URL + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_every_milestone(client, users, plan, role):
    client.force_login(users[role])
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["VV001/1", "VV001/2", "VV002/1"]
    assert "3 mijlpalen" in response.content.decode()
    assert reverse("milestones:list") == URL


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.READER, "closed"),
        (Role.EDITOR, "open"),
        (Role.COORDINATOR, "open"),
        (Role.ADMIN, "open"),
    ],
)
def test_the_table_starts_at_the_open_round_for_those_who_may_read_it(
    client, users, plan, role, expected
):
    client.force_login(users[role])
    assert client.get(URL).context["filter"].chosen_round == plan[expected]


def test_a_reader_sees_the_closed_rounds_statuses_and_cannot_choose_the_open_one(
    client, reader, plan
):
    client.force_login(reader)
    assert rows(client.get(URL)) == [
        ("VV001/1", "gerealiseerd", None),
        ("VV001/2", "nog niet aangevat", None),
        ("VV002/1", "op schema", None),
    ]
    response = client.get(f"{URL}?round={plan['open'].code}")
    assert response.context["filter"].errors
    assert rows(response) == []
    assert export_csv(client, f"round={plan['open'].code}")[1:] == []


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


@pytest.mark.parametrize("query", ["status=delayed", "overdue=on", "status=delayed&domain=OMG"])
def test_an_editor_cannot_count_another_domains_draft_through_a_filter(
    client, editor, coordinator, plan, query
):
    client.force_login(coordinator)
    assert names(client.get(f"{URL}?{query}")) == ["VV002/1"]  # the draft is there …

    client.force_login(editor)
    response = client.get(f"{URL}?{query}")
    assert names(response) == []  # … but not for this editor
    assert response.context["table"].paginator.count == 0
    assert "0 mijlpalen" in response.content.decode()
    assert export_csv(client, query)[1:] == []
    assert export_xlsx(client, query).max_row == 1


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_an_editors_export_leaves_out_another_domains_draft(client, editor, plan, export):
    client.force_login(editor)
    if export == "csv":
        table = export_csv(client)
    else:
        table = [[cell.value for cell in row] for row in export_xlsx(client).iter_rows()]
    header, *body = table
    status, forecast = header.index("Status"), header.index("Verwacht")
    assert [row[status] for row in body][:2] == ["gerealiseerd", "op schema"]
    assert body[2][0] == "VV002"
    assert body[2][status] in ("", None)
    assert body[2][forecast] in ("", None)
    flat = " ".join(str(value) for row in table for value in row)
    assert "in vertraging" not in flat
    assert "2031" not in flat


def test_a_status_without_a_fiche_in_the_open_round_is_hidden_from_an_editor(
    client, editor, domain, open_round
):
    """The status is the fiche's: even the own domain's is read through a fiche."""
    milestone = MilestoneFactory(project=ProjectFactory(domain=domain))
    MilestoneStatusFactory(round=open_round, milestone=milestone, status=MilestoneState.DELAYED)
    client.force_login(editor)
    assert rows(client.get(URL)) == [(f"{milestone.project.code}/{milestone.number}", None, None)]


def test_an_editor_sees_another_domains_closed_round_statuses(client, editor, plan):
    client.force_login(editor)
    response = client.get(f"{URL}?round={plan['closed'].code}")
    assert rows(response)[2] == ("VV002/1", "op schema", None)


# ---- Filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("due=30", ["VV001/2"]),
        ("due=90", ["VV001/2"]),
        ("due=365", ["VV001/2"]),
        ("overdue=on", ["VV002/1"]),
        ("status=realised", ["VV001/1"]),
        ("status=on_schedule", ["VV001/2"]),
        ("status=delayed", ["VV002/1"]),
        ("status=stopped", []),
        ("domain=MOW", ["VV001/1", "VV001/2"]),
        ("domain=OMG", ["VV002/1"]),
        ("speerpunt=2", ["VV002/1"]),
        ("q=fietsbrug", ["VV001/2"]),
        ("q=vv002", ["VV002/1"]),
        ("q=blue+deal", ["VV002/1"]),
        ("q=nergens", []),
        ("domain=MOW&status=realised", ["VV001/1"]),
    ],
)
def test_filters(client, coordinator, plan, query, expected):
    client.force_login(coordinator)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["table"].paginator.count == len(expected)


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


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["VV001/1", "VV002/1", "VV001/2"]),
        ("-deadline", ["VV001/2", "VV002/1", "VV001/1"]),
        ("-project", ["VV002/1", "VV001/2", "VV001/1"]),
        ("status", ["VV001/1", "VV001/2", "VV002/1"]),
        ("-status", ["VV002/1", "VV001/2", "VV001/1"]),
        ("description", ["VV001/1", "VV002/1", "VV001/2"]),
        ("-domain", ["VV002/1", "VV001/2", "VV001/1"]),  # ties reversed too
    ],
)
def test_sorting(client, coordinator, plan, sort, expected):
    client.force_login(coordinator)
    assert names(client.get(f"{URL}?sort={sort}")) == expected


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


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_exports_never_turn_a_description_into_a_formula(client, coordinator, text):
    MilestoneFactory(project=ProjectFactory(code="VV001"), description=text)
    client.force_login(coordinator)
    header, row = export_csv(client)
    assert row[header.index("Omschrijving")] == f"'{text}"
    cell = export_xlsx(client)["D2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")


# ---- Queries -------------------------------------------------------------------------


def grow(size, domain):
    open_round = ReportingRoundFactory(reference_date=days(40), state=RoundState.OPEN)
    for number in range(size):
        project = ProjectFactory(domain=domain)
        FicheFactory(round=open_round, project=project)
        MilestoneStatus.objects.create(
            round=open_round,
            milestone=MilestoneFactory(project=project, deadline=days(number - size // 2)),
            status=MilestoneState.DELAYED,
            forecast_date=days(number),
        )


@pytest.mark.parametrize("size", [5, 300])
@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_the_table_takes_a_fixed_number_of_queries(
    client, users, domain, size, role, django_assert_max_num_queries
):
    grow(size, domain)
    client.force_login(users[role])
    with django_assert_max_num_queries(15):
        response = client.get(f"{URL}?overdue=on&sort=status")
    assert response.context["table"].paginator.count == size // 2


@pytest.mark.parametrize("size", [5, 300])
def test_the_export_takes_a_fixed_number_of_queries(
    client, coordinator, domain, size, django_assert_max_num_queries
):
    grow(size, domain)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(f"{URL}?_export=csv")
    assert response.content.decode("utf-8-sig").count("\n") == size + 1
