"""/audit/: who changed what and when, per field, through which channel; for coordinators
and admins only; filtered by user, project, round, date range and channel; paged, at a
query count that does not grow with the history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Fiche
from relance.audit.channels import Channel
from relance.audit.entries import SOURCES
from relance.fiches.services import FicheInput, save_fiche
from relance.workbook import import_workbook
from tests.factories import FicheFactory, FinanceReportFactory, ProjectFactory
from tests.relance.fiche_helpers import fiche_post
from tests.relance.workbooks import errors, xlsx

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


def rows(response) -> list[dict]:
    return [row.record for row in response.context["table"].page.object_list]


def changed(row) -> dict[str, tuple[str, str]]:
    return {change.field: (change.old, change.new) for change in row["changes"]}


@pytest.fixture
def saved_by_form(client, editor, fiche):
    """The editor saves the fiche through its form: a new narrative and money."""
    client.force_login(editor)
    post = fiche_post(fiche, narrative="Nieuwe toelichting", paid_eur="20")
    assert client.post(reverse("fiche", args=[fiche.project.code]), post).status_code == 302
    client.logout()
    return fiche


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"), [("reader", 403), ("editor", 403), ("coordinator", 200), ("admin", 200)]
)
def test_only_coordinators_and_admins_read_the_audit(client, users, role, status):
    client.force_login(users[role])
    assert client.get(AUDIT).status_code == status


def test_the_menu_offers_the_audit_to_those_who_may_read_it(client, users):
    client.force_login(users["coordinator"])
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(users["editor"])
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_a_form_save_shows_who_what_when_per_field(client, saved_by_form, editor, coordinator):
    client.force_login(coordinator)

    response = client.get(AUDIT, {"project": saved_by_form.project.code})

    assert response.status_code == 200
    by_kind = {row["e_kind"]: row for row in rows(response) if row["e_type"] == "~"}
    fiche_row, money_row = by_kind["fiche"], by_kind["finance"]
    assert fiche_row["e_user"] == editor.username
    assert fiche_row["channel"] == Channel.FORM
    assert fiche_row["e_round"] == saved_by_form.round.code
    assert changed(fiche_row)["toelichting"] == ("Vorige toelichting", "Nieuwe toelichting")
    assert changed(money_row)["vereffend, VEK (euro)"] == ("10,00", "20,00")
    page = response.content.decode()
    assert "Nieuwe toelichting" in page
    assert "Vorige toelichting" in page
    assert "formulier" in page


def test_an_import_shows_as_an_import(client, admin_user):
    fiche = FicheFactory(project__code="VV006", narrative="Oud")
    FinanceReportFactory(fiche=fiche, committed_eur=Decimal("1.00"))
    result = import_workbook(
        xlsx({"rapportering": [[fiche.round.code, "VV006", fiche.status, 2, None, "Nieuw"]]}),
        user=admin_user,
    )
    assert result.ok, errors(result)
    client.force_login(admin_user)

    response = client.get(AUDIT, {"channel": Channel.IMPORT})

    [fiche_row] = [row for row in rows(response) if row["e_kind"] == "fiche"]
    assert fiche_row["channel"] == Channel.IMPORT
    assert fiche_row["e_user"] == admin_user.username
    assert changed(fiche_row)["toelichting"] == ("Oud", "Nieuw")
    assert {row["channel"] for row in rows(response)} == {Channel.IMPORT}


def test_an_api_write_shows_as_the_api(client, admin_user, fiche):
    """The API's writes go through save_fiche with their channel (the API's views are
    another issue's; the service records what it is told)."""
    data = FicheInput(
        version=fiche.version,
        owner_status=fiche.owner_status,
        narrative="Via de API",
        committed_eur=None,
        paid_eur=None,
    )
    save_fiche(fiche=fiche, data=data, by=admin_user, channel=Channel.API)
    client.force_login(admin_user)

    response = client.get(AUDIT, {"channel": Channel.API})

    kinds = {row["e_kind"]: row for row in rows(response)}
    assert kinds["fiche"]["channel"] == Channel.API
    assert changed(kinds["fiche"])["toelichting"] == ("Vorige toelichting", "Via de API")


def test_the_filters_narrow_the_trail(client, saved_by_form, editor, coordinator):
    other = FicheFactory(round=saved_by_form.round, project=ProjectFactory(code="VV900"))
    other.narrative = "Elders"
    other.save()
    client.force_login(coordinator)
    everything = {row["e_id"] for row in rows(client.get(AUDIT)) if row["e_kind"] == "fiche"}

    by_user = rows(client.get(AUDIT, {"user": editor.username}))
    by_project = rows(client.get(AUDIT, {"project": "VV900"}))
    by_round = rows(client.get(AUDIT, {"round": saved_by_form.round.code}))
    today = timezone.localdate().isoformat()
    by_date = rows(client.get(AUDIT, {"since": today, "until": today}))
    before = rows(client.get(AUDIT, {"until": "2000-01-01"}))

    assert by_user
    assert {row["e_user"] for row in by_user} == {editor.username}
    assert {row["e_project"] for row in by_project} == {"VV900"}
    assert {row["e_round"] for row in by_round} == {saved_by_form.round.code}
    assert {row["e_id"] for row in by_date if row["e_kind"] == "fiche"} == everything
    assert before == []


@pytest.mark.parametrize(
    "params",
    [{"since": "2024-13-45"}, {"since": "2025-01-02", "until": "2025-01-01"}, {"user": "nobody"}],
)
def test_a_bad_filter_is_a_clear_error(client, coordinator, params):
    client.force_login(coordinator)
    response = client.get(AUDIT, params)
    assert response.status_code == 400
    assert response.context["filter"].form.errors


def make_history(fiches: list[Fiche], changes: int) -> None:
    for fiche in fiches:
        for number in range(changes):
            fiche.narrative = f"Versie {number}"
            fiche._change_reason = "formulier"
            fiche.save()


def audit_queries(client, page: int = 1) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AUDIT, {"page": page})
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_history(client, coordinator, open_round):
    client.force_login(coordinator)
    small = [FicheFactory(round=open_round) for _ in range(2)]
    make_history(small, 2)
    few = audit_queries(client)
    make_history([FicheFactory(round=open_round) for _ in range(20)], 6)
    many = audit_queries(client)
    assert many == few
    assert audit_queries(client, page=2) == few
    # A count, a page, and at most two queries per kind of record on the page, whatever
    # the history's size; the session, the user and the filters' choices around them.
    assert few <= 2 + 2 * len(SOURCES) + 8
