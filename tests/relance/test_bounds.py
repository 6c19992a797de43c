"""Every number anyone can type is bounded to what the database stores and gives back.

For each numeric input on each path (the fiche form, the review steps, the list filters,
the API's parameters, the workbook), the maximum is stored and read back identical from the
database, and one past it is a clear error with the database unchanged: never a 500. The
same tests run on SQLite and on PostgreSQL (DATABASE_URL).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    IndicatorDefinition,
    IndicatorValue,
    Project,
    ReportingRound,
    Speerpunt,
)
from relance.workbook import import_workbook, parsing
from relance.workbook.parsing import CellError
from tests.conftest import empty_cache
from tests.factories import ClusterFactory, FicheFactory, SpeerpuntFactory

from .fiche_helpers import fiche_post, snapshot
from .workbooks import errors, plan_rows, xlsx
from .workbooks import snapshot as plan_snapshot

pytestmark = pytest.mark.django_db

MONEY_MAX = "9999999999999.99"
QUANTITY_MAX = "99999999999.9999"
VERSION_MAX = "2147483647"
HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    empty_cache()


def post_fiche(client, fiche, **fields):
    post = fiche_post(fiche)
    post.update(fields)
    return client.post(reverse("fiche", args=[fiche.project.code]), post)


# -- the fiche form --------------------------------------------------------------------------


def _money(fiche, name):
    return getattr(FinanceReport.objects.get(fiche=fiche), name)


def _value(fiche):
    return IndicatorValue.objects.get(round=fiche.round).value


def _definition(fiche, name):
    return getattr(IndicatorDefinition.objects.get(round=fiche.round, indicator__code="OUT1"), name)


def _new_definition(fiche, name):
    return getattr(IndicatorDefinition.objects.get(round=fiche.round, indicator__code="OUT9"), name)


def _committed(fiche):
    return _money(fiche, "committed_eur")


def _target(fiche):
    return _definition(fiche, "target")


NEW_ROW = {"ind-1-code": "OUT9", "ind-1-name": "Nieuw", "ind-1-kind": "output"}

# field, extra POST data, how to read it back, the maximum (or minimum) as typed, as stored
STORED = [
    ("fiche-committed_eur", {}, _committed, "9999999999999,99", MONEY_MAX),
    ("fiche-committed_eur", {}, _committed, "0", "0.00"),
    ("fiche-paid_eur", {}, lambda f: _money(f, "paid_eur"), MONEY_MAX, MONEY_MAX),
    ("iv-0-value", {}, _value, "99999999999,9999", QUANTITY_MAX),
    ("iv-0-value", {}, _value, "-99999999999.9999", f"-{QUANTITY_MAX}"),
    ("ind-0-baseline", {}, lambda f: _definition(f, "baseline"), QUANTITY_MAX, QUANTITY_MAX),
    ("ind-0-target", {}, lambda f: _definition(f, "target"), QUANTITY_MAX, QUANTITY_MAX),
    ("ind-0-target", {}, _target, f"-{QUANTITY_MAX}", f"-{QUANTITY_MAX}"),
    ("ind-1-target", NEW_ROW, lambda f: _new_definition(f, "target"), QUANTITY_MAX, QUANTITY_MAX),
    ("ind-1-baseline", NEW_ROW, lambda f: _new_definition(f, "baseline"), "0,0001", "0.0001"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "extra", "read", "typed", "stored"), STORED)
def test_the_fiche_forms_extremes_are_stored_and_given_back(
    client, editor, fiche, field, extra, read, typed, stored
):
    client.force_login(editor)

    response = post_fiche(client, fiche, **extra, **{field: typed})

    assert response.status_code == 302, response.content.decode()[:2000]
    value = read(fiche)
    assert value == Decimal(stored)
    assert f"{value:f}".rstrip("0").rstrip(".") == stored.rstrip("0").rstrip(".")


PAST = [
    ("fiche-committed_eur", {}, "10000000000000"),
    ("fiche-committed_eur", {}, "10000000000000,00"),
    ("fiche-committed_eur", {}, "-0,01"),
    ("fiche-committed_eur", {}, "1,001"),
    ("fiche-paid_eur", {}, "10000000000000.00"),
    ("fiche-paid_eur", {}, HUGE),
    ("iv-0-value", {}, "100000000000"),
    ("iv-0-value", {}, "-100000000000"),
    ("iv-0-value", {}, "0,00001"),
    ("iv-0-value", {}, "9999999999999999.99999999"),
    ("ind-0-baseline", {}, "100000000000"),
    ("ind-0-target", {}, "9999999999999999.99999999"),
    ("ind-0-target", {}, "1e400"),
    ("ind-1-target", NEW_ROW, "100000000000"),
    ("fiche-version", {}, "2147483648"),
    ("fiche-version", {}, HUGE),
    ("fiche-version", {}, "0"),
    ("ms-0-milestone", {}, HUGE),
    ("ms-0-milestone", {}, "9223372036854775808"),
    ("iv-0-indicator", {}, HUGE),
    ("iv-0-indicator", {}, "9223372036854775808"),
    ("ind-0-id", {}, HUGE),
    ("ind-0-id", {}, "9223372036854775808"),
]


@pytest.mark.parametrize(("field", "extra", "typed"), PAST)
def test_one_past_the_fiche_forms_range_is_a_clear_error(
    client, editor, fiche, field, extra, typed
):
    client.force_login(editor)
    before = snapshot(fiche)
    definitions = list(IndicatorDefinition.objects.order_by("pk").values())

    response = post_fiche(client, fiche, **extra, **{field: typed})

    assert response.status_code == 400
    assert "De fiche is niet opgeslagen" in response.content.decode()
    assert snapshot(fiche) == before
    assert list(IndicatorDefinition.objects.order_by("pk").values()) == definitions


def test_the_highest_version_is_stale_not_a_crash(client, editor, fiche):
    client.force_login(editor)
    before = snapshot(fiche)

    response = post_fiche(client, fiche, **{"fiche-version": VERSION_MAX})

    assert response.status_code == 409
    assert snapshot(fiche) == before


@pytest.mark.parametrize("version", [VERSION_MAX, "2147483648", HUGE, "²", "-1", "1.5"])
@pytest.mark.parametrize("step", ["fiche-approve", "fiche-return", "fiche-unflag"])
def test_a_review_step_with_a_version_past_the_range_is_refused(
    client, coordinator, fiche, version, step
):
    Fiche.objects.filter(pk=fiche.pk).update(review_state="submitted")
    client.force_login(coordinator)
    before = snapshot(fiche)

    response = client.post(
        reverse(step, args=[fiche.project.code]),
        {"version": version, "comment": "Graag aanvullen", "reason": "Opgelost"},
    )

    assert response.status_code == 400
    assert snapshot(fiche) == before


def test_the_reported_draft_target_no_longer_breaks_open_data(client, editor, fiche):
    """The issue's case: this target passed the form and made every page answer 500."""
    client.force_login(editor)

    response = post_fiche(client, fiche, **{"ind-0-target": "9999999999999999.99999999"})

    assert response.status_code == 400
    assert "Zorg dat er" in response.content.decode() or "cijfers" in response.content.decode()
    assert _definition(fiche, "target") == Decimal("300")
    assert client.get(f"/api/projects/{fiche.project.code}/").status_code == 200


# -- query parameters ------------------------------------------------------------------------


@pytest.fixture
def structure():
    """A project in the highest speerpunt (99) and the highest cluster (32767)."""
    speerpunt = SpeerpuntFactory(number=99)
    cluster = ClusterFactory(number=32767, speerpunt=speerpunt)
    fiche = FicheFactory(project__cluster=cluster, round__state="open")
    Milestone.objects.create(
        project=fiche.project, number=32767, description="Hoogste", deadline=dt.date(2030, 1, 1)
    )
    return speerpunt


@pytest.fixture
def closed(structure):
    reporting_round = ReportingRound.objects.get()
    MilestoneStatus.objects.create(
        round=reporting_round, milestone=Milestone.objects.get(), status="on_schedule"
    )
    reporting_round.close(by=None)
    return reporting_round


# path, the highest value, one past it
API_FILTERS = [
    ("/api/projects/?speerpunt={}", "99", "100"),
    ("/api/projects/?cluster={}", "32767", "32768"),
    ("/api/rounds/{round}/fiches/?speerpunt={}", "99", "100"),
    ("/api/rounds/{round}/fiches/?cluster={}", "32767", "32768"),
    ("/api/rounds/{round}/milestones/?speerpunt={}", "99", "100"),
]


@pytest.mark.parametrize(("path", "highest", "past"), API_FILTERS)
def test_an_api_filter_takes_the_highest_value_and_refuses_one_past_it(
    client, closed, path, highest, past
):
    response = client.get(path.format(highest, round=closed.code))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1

    name = path.split("?")[1].split("=")[0]
    for value in (past, "0", HUGE, "-1", "1.5", "abc", "1e400", "NaN", "²"):
        response = client.get(path.format(value, round=closed.code))
        assert response.status_code == 400, value
        assert name in response.json(), value


@pytest.mark.parametrize(("size", "rows"), [("1000", 1), (HUGE, 1), ("abc", 1), ("-5", 1)])
def test_page_size_is_capped_never_an_error(client, closed, size, rows):
    response = client.get(f"/api/projects/?page_size={size}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


LIST_FILTERS = [
    ("/projects/", "speerpunt", "99", "100"),
    ("/projects/", "cluster", "32767", "32768"),
    ("/milestones/", "speerpunt", "99", "100"),
]


@pytest.mark.parametrize(("path", "name", "highest", "past"), LIST_FILTERS)
def test_a_list_filter_takes_the_highest_value(
    client, coordinator, structure, path, name, highest, past
):
    client.force_login(coordinator)

    response = client.get(f"{path}?{name}={highest}")

    assert response.status_code == 200
    assert len(list(response.context["table"].data)) == 1


@pytest.mark.parametrize("value", ["past", HUGE, "0", "-1", "abc", "²", "1e400"])
@pytest.mark.parametrize(("path", "name", "highest", "past"), LIST_FILTERS)
def test_a_list_filter_past_the_range_shows_nothing_and_says_why(
    client, coordinator, structure, path, name, highest, past, value
):
    client.force_login(coordinator)

    response = client.get(f"{path}?{name}={past if value == 'past' else value}")

    assert response.status_code == 200
    assert list(response.context["table"].data) == []
    assert response.context["filter"].form.errors[name]


@pytest.mark.parametrize("value", ["100", HUGE, "-1", "abc", "²"])
def test_the_dashboards_speerpunt_past_the_range_is_dropped(client, reader, closed, value):
    client.force_login(reader)

    assert client.get(f"/?speerpunt={value}").status_code == 200


@pytest.mark.parametrize("value", ["100", HUGE, "-1", "abc", "²", "1" * 5000])
def test_the_reports_speerpunt_past_the_range_is_not_found(client, reader, closed, value):
    client.force_login(reader)

    response = client.get(reverse("rounds:report-page", args=[closed.code]), {"speerpunt": value})

    assert response.status_code == 404


def test_the_reports_highest_speerpunt_is_found(client, reader, closed):
    client.force_login(reader)

    response = client.get(reverse("rounds:report-page", args=[closed.code]), {"speerpunt": "99"})

    assert response.status_code == 200


# -- the workbook's parsers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "cell", "expected"),
    [
        (parsing.amount, 9999999999999.99, MONEY_MAX),
        (parsing.amount, "9999999999999,99", MONEY_MAX),
        (parsing.amount, 1234567.89, "1234567.89"),
        (parsing.amount, 0.1 + 0.2, "0.30"),  # float noise, as Excel shows it
        (parsing.amount, "12,3400", "12.34"),
        (parsing.quantity, 99999999999.9999, QUANTITY_MAX),
        (parsing.quantity, "-99999999999,9999", f"-{QUANTITY_MAX}"),
        (parsing.quantity, 0.1 + 0.2, "0.3"),
        (parsing.quantity, 120.5, "120.5"),
        (parsing.quantity, "0.0001", "0.0001"),
        (parsing.whole_number, 9223372036854775807, "9223372036854775807"),
        (parsing.whole_number, "32767", "32767"),
        (parsing.whole_number, 3.0, "3"),
    ],
)
def test_a_parser_reads_its_maximum_exactly(parse, cell, expected):
    assert parse(cell) == Decimal(expected)


@pytest.mark.parametrize(
    ("parse", "cell", "message"),
    [
        (parsing.amount, 10000000000000.0, "bedrag te groot"),
        (parsing.amount, "10000000000000,00", "bedrag te groot"),
        (parsing.amount, 1e300, "bedrag te groot"),
        (parsing.amount, "9" * 40, "bedrag te groot"),
        (parsing.amount, "9" * 5000, "geen getal"),
        (parsing.amount, "1,001", "meer dan twee decimalen"),
        (parsing.amount, float("inf"), "geen getal"),
        (parsing.quantity, 100000000000.0, "getal te groot"),
        (parsing.quantity, "-100000000000", "getal te groot"),
        (parsing.quantity, "9999999999999999.99999999", "getal te groot"),
        (parsing.quantity, "0,00001", "meer dan vier decimalen"),
        (parsing.quantity, "1.00000000000000000000000000001", "meer dan vier decimalen"),
        (parsing.quantity, 1.23456, "meer dan vier decimalen"),
        (parsing.quantity, float("nan"), "geen getal"),
        (parsing.whole_number, 9223372036854775808, "getal te groot"),
        (parsing.whole_number, "9" * 41, "getal te groot"),
        (parsing.whole_number, 1e300, "getal te groot"),
        (parsing.whole_number, "²", "geen geheel getal"),
        (parsing.whole_number, Decimal("Infinity"), "geen geheel getal"),
    ],
)
def test_a_parser_refuses_one_past_its_range_in_words(parse, cell, message):
    with pytest.raises(CellError, match=message):
        parse(cell)


# -- the workbook import ---------------------------------------------------------------------


def _plan(change, *, indicators=False):
    """The small plan of the workbook tests with ``change(rows)`` made, without its
    indicator sheets unless asked (their columns are the workbook's own business)."""
    rows = plan_rows()
    if not indicators:
        del rows["indicatoren"], rows["indicatorwaarden"]
    change(rows)
    return rows


def _cell(sheet, row, column):
    def change(value):
        def apply(rows):
            rows[sheet][row][column] = value

        return apply

    return change


def _speerpunt(value):
    def apply(rows):
        rows["speerpunten"][0][0] = value
        rows["clusters"][0][1] = value

    return apply


def _cluster(value):
    def apply(rows):
        rows["clusters"][0][0] = value
        for project in rows["projecten"]:
            project[2] = value

    return apply


def _milestone(value):
    def apply(rows):
        rows["mijlpalen"][1][1] = value
        rows["mijlpaalstatus"][1][2] = value

    return apply


def _read_budget():
    return Project.objects.get(code="VV014").budget_eur


def _read_committed():
    return FinanceReport.objects.get(fiche__project__code="VV014").committed_eur


def _read_value():
    return IndicatorValue.objects.get().value


TOO_MUCH = "(hoogstens 9999999999999,99)"
TOO_BIG = "(hoogstens 99999999999,9999 in absolute waarde)"
WORKBOOK_CASES = [
    # the change, the maximum, as stored, read back; one past it, the error
    (_cell("projecten", 0, 5), 9999999999999.99, MONEY_MAX, _read_budget,
     10000000000000.0, f"projecten!2: budget_eur: bedrag te groot: 10000000000000 {TOO_MUCH}"),
    (_cell("projecten", 0, 5), "9999999999999,99", MONEY_MAX, _read_budget,
     "10000000000000,00",
     f"projecten!2: budget_eur: bedrag te groot: 10000000000000,00 {TOO_MUCH}"),
    (_cell("rapportering", 0, 3), 9999999999999.99, MONEY_MAX, _read_committed,
     HUGE, f"rapportering!2: vastgelegd_eur: bedrag te groot: {HUGE} {TOO_MUCH}"),
    (_cell("rapportering", 0, 3), "0", "0.00", _read_committed,
     -0.01, "rapportering!2: vastgelegd_eur: negatief bedrag: -0.01"),
    (_speerpunt, 99, "99", lambda: Speerpunt.objects.get().number,
     100, "speerpunten!2: nummer: 100 ligt niet tussen 1 en 99"),
    (_cluster, 32767, "32767", lambda: Cluster.objects.get().number,
     32768, "clusters!2: nummer: 32768 ligt niet tussen 1 en 32767"),
    (_milestone, 32767, "32767", lambda: Milestone.objects.order_by("number").last().number,
     32768, "mijlpalen!3: nummer: 32768 ligt niet tussen 1 en 32767"),
    (_milestone, "32767", "32767", lambda: Milestone.objects.order_by("number").last().number,
     HUGE, f"mijlpalen!3: nummer: getal te groot: {HUGE}"),
]  # fmt: skip
INDICATOR_CASES = [
    (_cell("indicatorwaarden", 0, 3), 99999999999.9999, QUANTITY_MAX, _read_value,
     100000000000.0, f"indicatorwaarden!2: waarde: getal te groot: 100000000000 {TOO_BIG}"),
    (_cell("indicatorwaarden", 0, 3), "-99999999999,9999", f"-{QUANTITY_MAX}", _read_value,
     "0,00001", "indicatorwaarden!2: waarde: meer dan vier decimalen: 0,00001"),
]  # fmt: skip


def _highest_then_one_past(change, highest, stored, read, past, message, *, indicators=False):
    result = import_workbook(xlsx(_plan(change(highest), indicators=indicators)))
    assert result.ok, errors(result)
    assert Decimal(read()) == Decimal(stored)
    assert str(read()) == stored

    before = plan_snapshot()
    result = import_workbook(xlsx(_plan(change(past), indicators=indicators)))

    assert message in errors(result)
    assert not result.written
    assert plan_snapshot() == before


@pytest.mark.parametrize(("change", "highest", "stored", "read", "past", "message"), WORKBOOK_CASES)
def test_a_workbook_columns_maximum_is_stored_and_one_past_it_refused(
    change, highest, stored, read, past, message
):
    _highest_then_one_past(change, highest, stored, read, past, message)


@pytest.mark.parametrize(
    ("change", "highest", "stored", "read", "past", "message"), INDICATOR_CASES
)
def test_a_workbooks_indicator_value_is_bounded(change, highest, stored, read, past, message):
    _highest_then_one_past(change, highest, stored, read, past, message, indicators=True)
