"""The RRF export: a round's RRF milestones and targets in the columns of the Recovery and
Resilience Scoreboard, as xlsx and CSV, at /rounds/<code>/rrf.* and by `export_rrf`; the
open round only for those who may read all of it."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from milestones.models import MilestoneState
from projects.models import Project
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance.rrf.scoreboard import COLUMNS, scoreboard_rows
from tests.factories import (
    FicheFactory,
    IndicatorDefinitionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)
from tests.relance.workbooks import snapshot

pytestmark = pytest.mark.django_db

# The Scoreboard's fields, in its order (shared/data/reference/rrf_scoreboard_fields.csv).
SCOREBOARD = [
    "Country",
    "Measure Reference",
    "Measure Title",
    "Milestone/Target Reference",
    "Milestone/Target Name",
    "Milestone/Target Description",
    "Milestone or Target",
    "Loans/Grants",
    "Completion Year-Quarter",
    "Unit of Measure",
    "Baseline",
    "Goal",
    "Assessment Status",
    "Milestone/Target Instalment Nr",
    "Disbursement Date",
    "Load Date",
]
TODAY = timezone.localdate().isoformat()


def rrf_plan(state=RoundState.CLOSED):
    """One round: an RRF project with three milestones (two with an RRF reference) and two
    targets (one reached), a project outside the RRF whose milestone has a reference all
    the same, and an RRF project without a fiche in the round."""
    reporting_round = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    fietsen = ProjectFactory(
        code="VV014", title="Fietsinfrastructuur", is_rrf=True, rrf_measure="I-2.09"
    )
    outside = ProjectFactory(code="VV020", title="Blue deal")
    absent = ProjectFactory(code="VV030", title="Later", is_rrf=True, rrf_measure="R-1.01")
    for project in (fietsen, outside):
        FicheFactory(round=reporting_round, project=project)
    realised = MilestoneFactory(
        project=fietsen,
        number=1,
        description="Gunning van de werken",
        rrf_reference="I-2.09-M1",
        rrf_quarter="2023-Q2",
        rrf_instalment=2,
    )
    delayed = MilestoneFactory(
        project=fietsen, number=2, description="Oplevering", rrf_reference="I-2.09-M2"
    )
    national = MilestoneFactory(project=fietsen, number=3, description="Enkel Vlaams")
    MilestoneStatusFactory(
        round=reporting_round,
        milestone=realised,
        status=MilestoneState.REALISED,
        realised_on=dt.date(2023, 5, 1),
        note="=Gegund aan de laagste bieder",
    )
    MilestoneStatusFactory(
        round=reporting_round,
        milestone=delayed,
        status=MilestoneState.DELAYED,
        forecast_date=dt.date(2024, 6, 30),
        delay_reason="Vergunning",
    )
    MilestoneStatusFactory(round=reporting_round, milestone=national)
    MilestoneStatusFactory(
        round=reporting_round,
        milestone=MilestoneFactory(project=outside, number=1, rrf_reference="X-1"),
    )
    MilestoneFactory(project=absent, number=1, rrf_reference="R-1.01-M1")
    km = IndicatorFactory(project=fietsen, code="OUT1")
    IndicatorDefinitionFactory(
        indicator=km,
        round=reporting_round,
        name="Km fietspad",
        unit="km",
        baseline=Decimal("0"),
        target=Decimal("300.0000"),
        rrf_reference="I-2.09-T1",
        rrf_quarter="2025-Q4",
        rrf_instalment=5,
    )
    IndicatorValueFactory(round=reporting_round, indicator=km, value=Decimal("310"), note="")
    waiting = IndicatorFactory(project=fietsen, code="OUT2")
    IndicatorDefinitionFactory(
        indicator=waiting,
        round=reporting_round,
        name="Wachttijd",
        unit="dagen",
        baseline=Decimal("40"),
        target=Decimal("12.5"),
        rrf_reference="I-2.09-T2",
    )
    IndicatorValueFactory(
        round=reporting_round, indicator=waiting, value=Decimal("20"), note="Daalt"
    )
    IndicatorDefinitionFactory(
        indicator=IndicatorFactory(project=fietsen, code="OUT3"), round=reporting_round
    )
    if state == RoundState.CLOSED:
        reporting_round.close(by=None)
    else:
        reporting_round.state = state
        reporting_round.save(update_fields=["state"])
    return reporting_round


EXPECTED = [
    ["Belgium", "I-2.09", "Fietsinfrastructuur", "I-2.09-M1", "Gunning van de werken",
     "=Gegund aan de laagste bieder", "Milestone", "Grants", "2023-Q2", "-", "-", "-",
     "Completed - not yet assessed", 2, "-", TODAY],
    ["Belgium", "I-2.09", "Fietsinfrastructuur", "I-2.09-M2", "Oplevering", "-", "Milestone",
     "Grants", "-", "-", "-", "-", "Delayed", "-", "-", TODAY],
    ["Belgium", "I-2.09", "Fietsinfrastructuur", "I-2.09-T1", "Km fietspad", "-", "Target",
     "Grants", "2025-Q4", "km", 0, 300, "Completed - not yet assessed", 5, "-", TODAY],
    ["Belgium", "I-2.09", "Fietsinfrastructuur", "I-2.09-T2", "Wachttijd", "Daalt", "Target",
     "Grants", "-", "dagen", 40, Decimal("12.5"), "In progress", "-", "-", TODAY],
]  # fmt: skip


def as_text(value):
    return str(value)


def export(client, user, reporting_round, file_format="csv"):
    client.force_login(user)
    return client.get(reverse(f"rounds:rrf-{file_format}", args=[reporting_round.code]))


def read_csv(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_columns_are_the_scoreboards_in_its_order():
    assert list(COLUMNS) == SCOREBOARD


def test_a_row_per_rrf_milestone_and_target_of_the_rounds_rrf_projects():
    rows = scoreboard_rows(rrf_plan(), load_date=timezone.localdate())

    assert [list(row.values) for row in rows] == EXPECTED


def test_the_csv_export_is_the_scoreboards_layout(client, reader):
    response = export(client, reader, rrf_plan())

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="rrf-scoreboard-2023-12.csv"' in response["Content-Disposition"]
    header, *body = read_csv(response.content)
    assert header == SCOREBOARD
    expected = [[as_text(value) for value in row] for row in EXPECTED]
    # A text a spreadsheet would run gets its apostrophe; the Scoreboard's "-" stays as it is.
    expected[0][5] = "'=Gegund aan de laagste bieder"
    assert body == expected


def test_the_xlsx_export_keeps_numbers_as_numbers_and_text_as_text(client, reader):
    response = export(client, reader, rrf_plan(), "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *body = read_xlsx(response.content)
    assert header == SCOREBOARD
    assert body == [[float(v) if isinstance(v, Decimal) else v for v in row] for row in EXPECTED]
    cell = load_workbook(io.BytesIO(response.content)).active["F2"]
    assert (cell.value, cell.data_type) == ("=Gegund aan de laagste bieder", "s")


def test_a_round_without_rrf_projects_gives_the_header_alone(client, reader):
    reporting_round = ReportingRoundFactory()
    FicheFactory(round=reporting_round, project=ProjectFactory())
    reporting_round.close(by=None)

    assert read_csv(export(client, reader, reporting_round).content) == [SCOREBOARD]


def test_a_milestone_without_a_status_in_the_round_has_no_assessment(client, reader):
    reporting_round = ReportingRoundFactory()
    project = ProjectFactory(is_rrf=True, rrf_measure="I-1.01")
    FicheFactory(round=reporting_round, project=project)
    MilestoneFactory(project=project, rrf_reference="I-1.01-M1", rrf_instalment=1)
    reporting_round.close(by=None)

    [_header, row] = read_csv(export(client, reader, reporting_round).content)
    assert (row[12], row[13]) == ("-", "1")


@pytest.mark.parametrize(
    ("status", "assessment"),
    [
        (MilestoneState.REALISED, "Completed - not yet assessed"),
        (MilestoneState.ON_SCHEDULE, "On track"),
        (MilestoneState.DELAYED, "Delayed"),
        (MilestoneState.FUTURE, "Not started"),
        (MilestoneState.STOPPED, "Cancelled"),
    ],
)
def test_each_milestone_status_has_its_assessment_status(status, assessment):
    reporting_round = ReportingRoundFactory()
    project = ProjectFactory(is_rrf=True, rrf_measure="I-1.01")
    FicheFactory(round=reporting_round, project=project)
    MilestoneStatusFactory(
        round=reporting_round,
        milestone=MilestoneFactory(project=project, rrf_reference="I-1.01-M1"),
        status=status,
        realised_on=dt.date(2020, 6, 1) if status == MilestoneState.REALISED else None,
    )

    [row] = scoreboard_rows(reporting_round, load_date=dt.date(2026, 1, 2))
    assert (row["Assessment Status"], row["Load Date"]) == (assessment, "2026-01-02")


# ---- Who may export ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR, Role.COORDINATOR, Role.ADMIN])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_signed_in_user_exports_a_closed_round(client, users, role, file_format):
    reporting_round = rrf_plan()

    response = export(client, users[role], reporting_round, file_format)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 404), (Role.EDITOR, 404), (Role.COORDINATOR, 200), (Role.ADMIN, 200)],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_open_round_only_for_those_who_read_all_of_it(
    client, users, domain, role, status, file_format
):
    reporting_round = rrf_plan(state=RoundState.OPEN)
    # The editor is the RRF project's own: still not all of the open round.
    Project.objects.filter(code="VV014").update(domain=domain)

    response = export(client, users[role], reporting_round, file_format)

    assert response.status_code == status
    if status == 200:
        assert (
            len(read_csv(response.content) if file_format == "csv" else read_xlsx(response.content))
            == 5
        )


@pytest.mark.parametrize("role", [Role.READER, Role.COORDINATOR, Role.ADMIN])
def test_a_round_in_preparation_is_not_found(client, role):
    reporting_round = rrf_plan(state=RoundState.DRAFT)

    assert export(client, UserFactory(role=role), reporting_round).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    reporting_round = rrf_plan()

    response = client.get(reverse("rounds:rrf-csv", args=[reporting_round.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_round_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/rounds/2099-12/rrf.csv").status_code == 404


def test_a_post_is_refused_and_changes_nothing(client, coordinator):
    reporting_round = rrf_plan(state=RoundState.OPEN)
    before = snapshot()
    client.force_login(coordinator)

    response = client.post(reverse("rounds:rrf-xlsx", args=[reporting_round.code]))

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("size", [1, 12])
def test_the_export_takes_the_same_queries_whatever_the_plans_size(
    client, coordinator, size, django_assert_num_queries
):
    reporting_round = ReportingRoundFactory()
    for _index in range(size):
        project = ProjectFactory(is_rrf=True, rrf_measure="I-1.01")
        FicheFactory(round=reporting_round, project=project)
        MilestoneStatusFactory(
            round=reporting_round,
            milestone=MilestoneFactory(project=project, rrf_reference="I-1.01-M1"),
        )
        IndicatorDefinitionFactory(
            indicator=IndicatorFactory(project=project),
            round=reporting_round,
            rrf_reference="I-1.01-T1",
        )
    reporting_round.close(by=None)
    client.force_login(coordinator)

    url = reverse("rounds:rrf-csv", args=[reporting_round.code])

    # The session, the user and their permissions (3), the round; the artefact asked for
    # (2 and 4 savepoints: select for update, insert), claimed (1 and 2 savepoints), the data
    # version as its build begins, the milestones and the targets, finished (2 and 2
    # savepoints), read again to be served.
    with django_assert_num_queries(23):
        response = client.get(url)
    assert len(read_csv(response.content)) == 1 + 2 * size
    # A closed round's is kept: the session, the user, the round and the artefact (and 2
    # savepoints).
    with django_assert_num_queries(8):
        assert client.get(url).content == response.content


# ---- The command ------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_command_writes_what_the_page_gives(client, coordinator, tmp_path, file_format):
    reporting_round = rrf_plan()
    target = tmp_path / f"rrf.{file_format}"
    out = io.StringIO()

    call_command("export_rrf", reporting_round.code, str(target), stdout=out)

    page = export(client, coordinator, reporting_round, file_format).content
    read = read_csv if file_format == "csv" else read_xlsx
    assert read(target.read_bytes()) == read(page)
    assert "4 rijen van meetmoment 2023-12" in out.getvalue()


def test_the_command_refuses_an_unknown_round_and_writes_nothing(tmp_path):
    target = tmp_path / "rrf.csv"

    with pytest.raises(CommandError, match="Onbekend meetmoment: 2099-12"):
        call_command("export_rrf", "2099-12", str(target))
    assert not target.exists()


def test_the_command_refuses_another_kind_of_file(tmp_path):
    rrf_plan()
    target = tmp_path / "rrf.pdf"

    with pytest.raises(CommandError, match=r"rrf\.pdf: de extensie moet \.xlsx of \.csv zijn"):
        call_command("export_rrf", "2023-12", str(target))
    assert not target.exists()
