"""/open-data/: a public page with a zip per closed round (a CSV per table, the workbook of
the round, a data dictionary), never a draft, formula-safe, in a fixed number of queries."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from milestones.models import Milestone
from projects.models import Indicator, Project
from projects.models.users import Role
from relance.artefacts.services import run_artefact
from relance.models import Artefact, ArtefactKind, ArtefactState
from relance.opendata import archive
from relance.opendata.tables import TABLES
from relance.workbook.sheets import ABOUT_SHEET
from tests.conftest import empty_cache
from tests.factories import (
    FicheFactory,
    FinanceReportFactory,
    IndicatorDefinitionFactory,
    IndicatorValueFactory,
    MilestoneStatusFactory,
    ReportingRoundFactory,
    UserFactory,
)
from tests.relance.open_data_plan import DRAFT, PUBLISHED, make_plan, unpacked

pytestmark = pytest.mark.django_db

NAMES = [
    "LEESMIJ-README.txt",
    "LICENSE",
    "woordenboek.csv",
    "meetmoment.csv",
    "projecten.csv",
    "rapportering.csv",
    "mijlpalen.csv",
    "mijlpaalstatus.csv",
    "indicatoren.csv",
    "indicatorwaarden.csv",
    "werkboek-2023-12.xlsx",
]
HEADERS = {
    "woordenboek.csv": ["bestand", "kolom", "type", "omschrijving", "description"],
    "meetmoment.csv": ["code", "naam", "referentiedatum", "deadline", "gesloten_op"],
    "projecten.csv": [
        "code", "titel", "speerpunt", "speerpunt_naam", "cluster", "cluster_naam",
        "beleidsdomein", "beleidsdomein_naam", "entiteit", "budget_eur", "rrf",
        "rrf_maatregel", "startdatum", "einddatum", "klimaatcoefficient", "digitaalcoefficient",
    ],
    "rapportering.csv": [
        "meetmoment", "project", "status", "budget_eur", "vastgelegd_eur", "vereffend_eur",
        "toelichting",
    ],
    "mijlpalen.csv": ["project", "nummer", "omschrijving", "deadline", "rrf_referentie",
                      "rrf_kwartaal", "rrf_schijf"],
    "mijlpaalstatus.csv": [
        "meetmoment", "project", "mijlpaal", "status", "realisatiedatum", "verwachte_datum",
        "aantal_keer_uitgesteld", "reden_vertraging", "toelichting",
    ],
    "indicatoren.csv": [
        "project", "code", "naam", "soort", "eenheid", "basiswaarde", "streefwaarde",
        "streefdatum", "rrf_referentie", "rrf_kwartaal", "rrf_schijf",
    ],
    "indicatorwaarden.csv": ["meetmoment", "project", "indicator", "waarde", "toelichting"],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_throttle():
    empty_cache()
    yield
    empty_cache()


@pytest.fixture
def plan():
    return make_plan()


# The artefact's share of a first download's queries (relance/artefacts/services.py),
# with the data version read as it is asked for and as its build begins.
ARTEFACT_QUERIES = 17


def download(client, code="2023-12"):
    response = client.get(f"/open-data/{code}.zip")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def read_csv(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        text = zipped.read(name).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_page_lists_each_closed_round_for_anonymous_visitors(client, plan):
    response = client.get("/open-data/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/open-data/2023-12.zip"' in html
    assert 'href="/open-data/2022-12.zip"' in html
    assert "2024-12" not in html
    assert "2025-12" not in html
    assert DRAFT not in html
    assert 'href="/api/schema/"' in html
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_the_page_says_so_when_nothing_is_published(client):
    ReportingRoundFactory()

    response = client.get("/open-data/")

    assert response.status_code == 200
    assert ".zip" not in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_open_data_in_its_footer(client, plan, signed_in):
    if signed_in:
        client.force_login(UserFactory(role=Role.READER))
    page = "/projects/" if signed_in else "/accounts/login/"

    html = client.get(page).content.decode()

    assert 'href="/open-data/"' in html


@pytest.mark.parametrize("state", ["opened", "draft"])
def test_the_zip_of_an_open_or_draft_round_is_not_found(client, plan, state):
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.get(f"/open-data/{getattr(plan, state).code}.zip")

    assert response.status_code == 404
    assert not Artefact.objects.exists()


def test_the_zip_is_built_once_then_served_from_its_file(client, plan):
    first = download(client)
    with CaptureQueriesContext(connection) as queries:
        again = download(client)

    assert again == first
    assert Artefact.objects.get(kind=ArtefactKind.OPEN_DATA).state == ArtefactState.DONE
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "projects_fiche" not in read  # nothing rebuilt
    assert "milestones_" not in read


def test_with_a_worker_the_zip_answers_503_until_the_worker_has_built_it(
    client, plan, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = [client.get("/open-data/2023-12.zip") for _ in range(2)]

    assert [r.status_code for r in refused] == [503, 503]
    assert all(int(r["Retry-After"]) > 0 for r in refused)
    assert queue() == 1  # one build, whoever asks
    artefact = Artefact.objects.get(kind=ArtefactKind.OPEN_DATA)

    run_artefact(artefact.pk)  # what the worker does with the message

    with zipfile.ZipFile(io.BytesIO(download(client))) as zipped:
        assert zipped.testzip() is None
        assert "rapportering.csv" in zipped.namelist()


def test_an_unknown_round_is_not_found(client, plan):
    assert client.get("/open-data/1999-12.zip").status_code == 404


def test_the_zip_is_a_download_with_every_file(client, plan):
    response = client.get("/open-data/2023-12.zip")
    data = b"".join(response.streaming_content)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="relance-open-data-2023-12.zip"'
    )
    assert int(response["Content-Length"]) == len(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert zipped.namelist() == NAMES
        assert zipped.testzip() is None


def test_every_csv_has_its_headers(client, plan):
    data = download(client)

    for name, headers in HEADERS.items():
        assert read_csv(data, name)[0] == headers, name


def test_the_round_bound_files_hold_only_that_round(client, plan):
    Project.objects.filter(code="VV002").update(budget_eur=Decimal("9.99"))
    data = download(client)

    fiches = read_csv(data, "rapportering.csv")[1:]
    assert fiches == [
        ["2023-12", "VV001", "in_progress", "1000000.00", "250000.50", "1000.05",
         f"{PUBLISHED} VV001 2023-12"],
        ["2023-12", "VV002", "realised", "2000000.00", "500001.00", "2000.10",
         f"{PUBLISHED} VV002 2023-12"],
        ["2023-12", "VV003", "attention", "3000000.00", "750001.50", "3000.15",
         f"{PUBLISHED} VV003 2023-12"],
    ]  # fmt: skip
    statuses = read_csv(data, "mijlpaalstatus.csv")[1:]
    assert {row[0] for row in statuses} == {"2023-12"}
    assert statuses[:2] == [
        ["2023-12", "VV001", "1", "realised", "2023-12-31", "", "0", "", ""],
        ["2023-12", "VV001", "2", "delayed", "", "2026-06-30", "0", "", ""],
    ]
    assert read_csv(data, "indicatorwaarden.csv")[1:] == [
        ["2023-12", code, "OUT1", "42.5", ""] for code in ("VV001", "VV002", "VV003")
    ]
    assert read_csv(data, "meetmoment.csv")[1][:4] == [
        "2023-12", "December 2023", "2023-12-31", "2024-01-31",
    ]  # fmt: skip
    projects = read_csv(data, "projecten.csv")
    assert projects[1][:2] == ["VV001", "Project VV001"]
    assert projects[1][9:12] == ["1000000.00", "ja", "I-2.09"]
    assert projects[2][9:11] == ["9.99", "nee"]
    assert len(read_csv(data, "mijlpalen.csv")) == 1 + 6


def test_no_draft_text_in_any_byte_of_the_zip(client, plan):
    data = download(client)
    files = dict(unpacked(data))

    assert "werkboek-2023-12.xlsx/xl/workbook.xml" in files  # the workbook is searched too
    everything = b"".join(files.values())
    assert PUBLISHED.encode() in everything
    assert DRAFT.encode() not in everything


def test_text_that_a_spreadsheet_would_run_is_made_safe(client):
    plan = make_plan(size=1)
    # The plan's own rows may change after a round closes; the round's rows may not.
    Project.objects.filter(code="VV001").update(title='=HYPERLINK("http://evil.example")')
    Milestone.objects.filter(number=1).update(description="+31 procent")
    later = ReportingRoundFactory(reference_date=dt.date(2030, 12, 31))
    indicator = Indicator.objects.get(code="OUT1")
    IndicatorDefinitionFactory(
        indicator=indicator, round=later, name="@SUM(A1)", unit="\tstuks", baseline=Decimal("-5")
    )
    fiche = FicheFactory(round=later, project=plan.projects[0], narrative="-1 mijlpaal")
    FinanceReportFactory(fiche=fiche)
    MilestoneStatusFactory(
        round=later, milestone=Milestone.objects.get(number=2), note="=1+1", delay_reason="\r"
    )
    IndicatorValueFactory(round=later, indicator=indicator, value=Decimal("-2.5"))
    later.close(by=None)

    data = download(client, "2030-12")

    assert read_csv(data, "projecten.csv")[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert read_csv(data, "mijlpalen.csv")[1][2] == "'+31 procent"
    indicator = read_csv(data, "indicatoren.csv")[1]
    assert (indicator[2], indicator[4], indicator[5]) == ("'@SUM(A1)", "'\tstuks", "-5")
    assert read_csv(data, "rapportering.csv")[1][6] == "'-1 mijlpaal"
    status = read_csv(data, "mijlpaalstatus.csv")[1]
    assert (status[7], status[8]) == ("'\r", "'=1+1")
    assert read_csv(data, "indicatorwaarden.csv")[1][3] == "-2.5"


def test_the_workbook_of_the_round_opens(client, plan):
    data = download(client)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        workbook = load_workbook(io.BytesIO(zipped.read("werkboek-2023-12.xlsx")), read_only=True)

    assert workbook.sheetnames[:5] == [
        ABOUT_SHEET,
        "beleidsdomeinen",
        "speerpunten",
        "clusters",
        "projecten",
    ]
    rounds = list(workbook["meetmomenten"].iter_rows(values_only=True))
    assert [row[0] for row in rounds[1:]] == ["2023-12"]
    reporting = list(workbook["rapportering"].iter_rows(values_only=True))
    assert len(reporting) == 1 + 3
    assert {row[0] for row in reporting[1:]} == {"2023-12"}


def test_the_dictionary_describes_every_column_in_both_languages(client, plan):
    data = download(client)
    dictionary = read_csv(data, "woordenboek.csv")[1:]
    described = [(row[0], row[1]) for row in dictionary]

    columns = [
        (name, column) for name in HEADERS if name != "woordenboek.csv"
        for column in read_csv(data, name)[0]
    ]  # fmt: skip
    assert described == columns
    assert all(kind and dutch and english for _file, _column, kind, dutch, english in dictionary)
    status = next(row for row in dictionary if row[:2] == ["rapportering.csv", "status"])
    assert "attention (bijzondere aandacht nodig)" in status[3]
    assert "attention (needs attention)" in status[4]


def test_the_readme_names_the_round_in_both_languages(client, plan):
    with zipfile.ZipFile(io.BytesIO(download(client))) as zipped:
        readme = zipped.read("LEESMIJ-README.txt").decode()

    assert "2023-12" in readme
    assert "NEDERLANDS" in readme
    assert "ENGLISH" in readme
    for name in NAMES[1:]:
        assert name in readme


def test_a_large_zip_spills_to_disk_and_stays_whole(client, plan, monkeypatch):
    monkeypatch.setattr("relance.opendata.archive.SPOOL_BYTES", 1024)

    data = download(client)

    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert zipped.testzip() is None
        assert zipped.namelist() == NAMES


def test_an_open_round_is_never_written(plan):
    with pytest.raises(ValueError, match="not closed"):
        archive.write_archive(plan.opened, io.BytesIO())


def test_downloads_are_throttled(client, plan, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open_data": "100/minute", "open_data_download": "2/minute"},
    }
    assert [client.get("/open-data/2023-12.zip").status_code for _ in range(2)] == [200, 200]

    refused = client.get("/open-data/2022-12.zip")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_tables_are_the_documented_ones():
    assert [table.filename for table in TABLES] == [
        name for name in HEADERS if name != "woordenboek.csv"
    ]


@pytest.mark.parametrize("size", [2, 12])
def test_the_zip_takes_the_same_queries_as_the_plan_grows(
    client, django_assert_max_num_queries, size
):
    make_plan(size=size)

    # the round; each CSV table; the workbook's round check and its ten sheets; asking for,
    # claiming and keeping the artefact (three transactions, with their savepoints)
    with django_assert_max_num_queries(1 + len(TABLES) + 1 + 10 + ARTEFACT_QUERIES):
        data = download(client)

    assert len(read_csv(data, "rapportering.csv")) == 1 + size
