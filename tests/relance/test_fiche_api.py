"""The write API for the delivering entities (/api/rounds/<code>/fiches/<project>/): the
fiche form's rules, access, checks, history and locking, through a token."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from projects.tokens import issue_token
from tests.conftest import empty_cache
from tests.factories import (
    FicheFactory,
    IndicatorFactory,
    MilestoneFactory,
    ReportingRoundFactory,
    UserFactory,
)
from tests.relance.fiche_helpers import fiche_post, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    empty_cache()
    yield
    empty_cache()


def url(fiche, suffix=""):
    return f"/api/rounds/{fiche.round.code}/fiches/{fiche.project.code}/{suffix}"


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {issue_token(user=user)}"}


def patch(client, fiche, body, *, user, etag=None, suffix=""):
    headers = auth(user)
    if etag is not None:
        headers["HTTP_IF_MATCH"] = etag
    return client.patch(
        url(fiche, suffix), json.dumps(body), content_type="application/json", **headers
    )


def submit(client, fiche, user, etag):
    """POST .../submit/ as an API client sends it: no body."""
    return client.generic("POST", url(fiche, "submit/"), "", **auth(user), HTTP_IF_MATCH=etag)


def read(client, fiche, user):
    response = client.get(url(fiche), **auth(user))
    assert response.status_code == 200, response.content
    return response


def history(fiche):
    return list(
        fiche.history.order_by("history_id").values_list(
            "history_user", "history_change_reason", "version"
        )
    )


def test_an_editor_reads_their_fiche_with_an_etag(client, editor, fiche):
    response = read(client, fiche, editor)

    body = response.json()
    assert response["ETag"].startswith(f'"{fiche.version}-')
    assert body["project"] == fiche.project.code
    assert body["narrative"] == "Vorige toelichting"
    assert (body["committed_eur"], body["paid_eur"]) == ("100.00", "10.00")
    assert body["milestones"]["1"]["status"] == MilestoneState.REALISED
    assert body["milestones"]["1"]["realised_on"] == "2024-03-01"
    assert body["milestones"]["2"]["status"] == MilestoneState.ON_SCHEDULE
    assert body["indicator_values"]["OUT1"]["value"] is None
    assert body["editable"] is True
    # The same findings the fiche page shows on the stored fiche.
    assert all(finding["level"] in {"error", "warning"} for finding in body["findings"])


def test_a_read_with_the_current_etag_is_not_modified(client, editor, fiche, other_domain):
    """A client polling its fiches got the whole record each time, changed or not."""
    etag = read(client, fiche, editor)["ETag"]

    same = client.get(url(fiche), **auth(editor), HTTP_IF_NONE_MATCH=f'"old", {etag}')
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    # Compared weakly: a proxy may have weakened the tag on its way.
    weak = client.get(url(fiche), **auth(editor), HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert weak.status_code == 304

    patch(client, fiche, {"narrative": "Nieuw"}, user=editor, etag=etag)
    changed = client.get(url(fiche), **auth(editor), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["narrative"] == "Nieuw"
    assert changed["ETag"] != etag
    # The condition never opens a fiche to whom may not read it.
    other = UserFactory(role=Role.EDITOR, domains=[other_domain])
    refused = client.get(url(fiche), **auth(other), HTTP_IF_NONE_MATCH=changed["ETag"])
    assert refused.status_code == 403


def test_patch_saves_through_the_form_service_and_records_the_channel(client, editor, fiche):
    etag = read(client, fiche, editor)["ETag"]
    before = len(history(fiche))

    response = patch(
        client,
        fiche,
        {
            "narrative": "Via de API",
            "paid_eur": "150.00",
            "committed_eur": None,
            "milestones": {
                "2": {
                    "status": MilestoneState.DELAYED,
                    "forecast_date": "2031-01-31",
                    "delay_reason": "Weer",
                }
            },
        },
        user=editor,
        etag=etag,
    )

    assert response.status_code == 200, response.content
    fiche.refresh_from_db()
    assert fiche.narrative == "Via de API"
    assert fiche.version == 2
    finance = FinanceReport.objects.get(fiche=fiche)
    assert (finance.committed_eur, finance.paid_eur) == (None, Decimal("150.00"))
    statuses = {
        s.milestone.number: s
        for s in MilestoneStatus.objects.filter(round=fiche.round).select_related("milestone")
    }
    assert statuses[1].status == MilestoneState.REALISED
    assert (statuses[2].status, statuses[2].delay_reason) == (MilestoneState.DELAYED, "Weer")
    # The answer is the saved fiche with its new tag, and the rules' findings on it: a draft
    # without VAK, as the form shows it.
    body = response.json()
    assert response["ETag"] != etag
    assert response["ETag"].startswith('"2-')
    assert body["narrative"] == "Via de API"
    assert body["milestones"]["2"]["forecast_date"] == "2031-01-31"
    assert {"rule": "committed_missing", "level": "error", "field": "committed_eur"}.items() <= (
        next(f for f in body["findings"] if f["rule"] == "committed_missing").items()
    )
    # History as the form writes it, apart from the channel.
    records = history(fiche)
    assert len(records) == before + 1
    assert records[-1] == (editor.pk, "api", 2)
    assert statuses[2].history.latest("history_id").history_change_reason == "api"
    assert statuses[2].history.latest("history_id").history_user_id == editor.pk


def test_the_form_records_its_channel_too(client, editor, fiche):
    client.force_login(editor)

    response = client.post(f"/projects/{fiche.project.code}/fiche/", fiche_post(fiche))

    assert response.status_code == 302
    assert history(fiche)[-1] == (editor.pk, "formulier", 2)


def test_submit_refuses_an_incomplete_fiche_then_submits_a_complete_one(client, editor, fiche):
    Fiche.objects.filter(pk=fiche.pk).update(narrative="")
    etag = read(client, fiche, editor)["ETag"]
    before = snapshot(fiche)

    refused = submit(client, fiche, editor, etag)

    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete"
    assert refused.json()["errors"]["narrative"] == ["De toelichting is leeg."]
    assert snapshot(fiche) == before

    etag = patch(client, fiche, {"narrative": "Alles volgens plan."}, user=editor, etag=etag)[
        "ETag"
    ]
    response = submit(client, fiche, editor, etag)

    assert response.status_code == 200, response.content
    fiche.refresh_from_db()
    assert (fiche.review_state, fiche.submitted_by) == (ReviewState.SUBMITTED, editor)
    assert response.json()["editable"] is False
    assert fiche.events.get().action == "submitted"
    assert history(fiche)[-1][:2] == (editor.pk, "api")


def _unchanged_after(fiche, request):
    before = (snapshot(fiche), history(fiche))
    response = request()
    assert (snapshot(fiche), history(fiche)) == before
    return response


def test_a_stale_if_match_is_412_and_changes_nothing(client, editor, fiche):
    stale = read(client, fiche, editor)["ETag"]
    assert patch(client, fiche, {"narrative": "Eerst"}, user=editor, etag=stale).status_code == 200

    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Daarna"}, user=editor, etag=stale)
    )

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    fiche.refresh_from_db()
    assert fiche.narrative == "Eerst"


@pytest.mark.parametrize("if_match", [None, "", "*"])
def test_without_if_match_is_428_and_changes_nothing(client, editor, fiche, if_match):
    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Blind"}, user=editor, etag=if_match)
    )

    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


def test_another_domains_editor_is_refused(client, fiche, other_domain):
    outsider = UserFactory(role=Role.EDITOR, domains=[other_domain])
    etag = read(client, fiche, UserFactory(role=Role.COORDINATOR))["ETag"]

    assert client.get(url(fiche), **auth(outsider)).status_code == 403
    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Ingebroken"}, user=outsider, etag=etag)
    )
    assert response.status_code == 403
    submitted = _unchanged_after(fiche, lambda: submit(client, fiche, outsider, etag))
    assert submitted.status_code == 403


def test_a_readers_token_is_refused(client, reader, coordinator, fiche):
    etag = read(client, fiche, coordinator)["ETag"]

    assert client.get(url(fiche), **auth(reader)).status_code == 403
    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Lezer"}, user=reader, etag=etag)
    )
    assert response.status_code == 403


def test_without_a_token_or_with_a_wrong_one_is_401(client, editor, fiche):
    etag = read(client, fiche, editor)["ETag"]

    anonymous = client.get(url(fiche))
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    wrong = _unchanged_after(
        fiche,
        lambda: client.patch(
            url(fiche),
            json.dumps({"narrative": "Geraden"}),
            content_type="application/json",
            HTTP_AUTHORIZATION="Token " + "0" * 40,
            HTTP_IF_MATCH=etag,
        ),
    )
    assert wrong.status_code == 401


def test_a_closed_round_is_read_as_open_data_and_never_written(client, closed_round, editor):
    fiche = closed_round.fiches.select_related("project", "round").get()

    published = client.get(url(fiche))

    assert published.status_code == 200
    assert published.json()["project"] == fiche.project.code
    assert "budget_eur" in published.json()  # the open data row
    coordinator = UserFactory(role=Role.COORDINATOR)
    response = _unchanged_after(
        fiche,
        lambda: patch(client, fiche, {"narrative": "Te laat"}, user=coordinator, etag='"1-x"'),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "round_closed"


def test_a_draft_round_is_not_found(client, coordinator, project):
    fiche = FicheFactory(project=project, round=ReportingRoundFactory(state=RoundState.DRAFT))

    assert client.get(url(fiche), **auth(coordinator)).status_code == 404
    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Vroeg"}, user=coordinator, etag='"1-x"')
    )
    assert response.status_code == 404


def test_a_submitted_fiche_is_no_longer_the_editors(client, editor, fiche):
    Fiche.objects.filter(pk=fiche.pk).update(review_state=ReviewState.SUBMITTED)
    etag = read(client, fiche, editor)["ETag"]

    response = _unchanged_after(
        fiche, lambda: patch(client, fiche, {"narrative": "Na indienen"}, user=editor, etag=etag)
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"paid_eur": "-5.00"}, "paid_eur"),
        ({"paid_eur": 5}, "paid_eur"),
        ({"committed_eur": "1.234"}, "committed_eur"),
        ({"owner_status": "action_required"}, "owner_status"),
        ({"narrative": 12}, "narrative"),
        ({"narative": "typo"}, "narative"),
        ({"milestones": {"2": {"status": "gone"}}}, "milestones.2.status"),
        ({"milestones": {"9": {"status": "on_schedule"}}}, "milestones.9"),
        ({"milestones": {"1": {"realised_on": None}}}, "milestones.1.realised_on"),
        ({"milestones": {"1": {"realised_on": "2999-01-01"}}}, "milestones.1.realised_on"),
        # A delay's missing date is a draft's to lack (checked on submit); one not after the
        # deadline is refused.
        (
            {"milestones": {"2": {"status": "delayed", "forecast_date": "2001-01-01"}}},
            "milestones.2.forecast_date",
        ),
        ({"indicator_values": {"OUT1": {"value": "1e5"}}}, "indicator_values.OUT1.value"),
        ({"indicator_values": {"NOPE": {"value": "1"}}}, "indicator_values.NOPE"),
    ],
)
def test_an_invalid_value_is_400_naming_the_field(client, editor, fiche, body, field):
    etag = read(client, fiche, editor)["ETag"]

    response = _unchanged_after(fiche, lambda: patch(client, fiche, body, user=editor, etag=etag))

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"], response.json()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"paid_eur": "-5.00"}, "Een bedrag kan niet negatief zijn."),
        ({"committed_eur": "-1"}, "Een bedrag kan niet negatief zijn."),
        ({"paid_eur": "abc"}, 'Geef een getal als tekst, bijvoorbeeld "1250000.00".'),
        ({"paid_eur": "-abc"}, 'Geef een getal als tekst, bijvoorbeeld "1250000.00".'),
    ],
)
def test_a_negative_amount_is_refused_as_negative(client, editor, fiche, body, message):
    """A minus before a well-written amount was answered as if the amount were not a number."""
    etag = read(client, fiche, editor)["ETag"]

    response = _unchanged_after(fiche, lambda: patch(client, fiche, body, user=editor, etag=etag))

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {next(iter(body)): [message]}


@pytest.mark.parametrize("body", ["{not json", "[]", '"tekst"'])
def test_a_body_that_is_no_object_is_400(client, editor, fiche, body):
    etag = read(client, fiche, editor)["ETag"]

    response = _unchanged_after(
        fiche,
        lambda: client.patch(
            url(fiche), body, content_type="application/json", **auth(editor), HTTP_IF_MATCH=etag
        ),
    )

    assert response.status_code == 400


def test_a_form_save_after_the_get_makes_the_api_write_stale(client, editor, fiche):
    etag = read(client, fiche, editor)["ETag"]
    client.force_login(editor)
    assert (
        client.post(
            f"/projects/{fiche.project.code}/fiche/", fiche_post(fiche, narrative="Formulier")
        ).status_code
        == 302
    )
    client.logout()

    response = patch(client, fiche, {"narrative": "API"}, user=editor, etag=etag)

    assert response.status_code == 412
    fiche.refresh_from_db()
    assert fiche.narrative == "Formulier"


def test_an_api_save_makes_an_open_form_stale(client, editor, fiche):
    opened = fiche_post(fiche, narrative="Formulier")  # the form as opened, at version 1
    etag = read(client, fiche, editor)["ETag"]
    assert patch(client, fiche, {"narrative": "API"}, user=editor, etag=etag).status_code == 200

    client.force_login(editor)
    response = client.post(f"/projects/{fiche.project.code}/fiche/", opened)

    assert response.status_code == 409
    fiche.refresh_from_db()
    assert fiche.narrative == "API"


def test_the_write_api_is_rate_limited_per_token(client, editor, coordinator, fiche, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "fiche_api": "2/minute",
        },
    }

    statuses = [client.get(url(fiche), **auth(editor)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    # Another token has its own count.
    assert client.get(url(fiche), **auth(coordinator)).status_code == 200


def test_api_token_command_prints_and_rotates(editor):
    first, again, rotated = StringIO(), StringIO(), StringIO()
    call_command("api_token", editor.username, stdout=first)
    call_command("api_token", editor.username, stdout=again)
    call_command("api_token", editor.username, "--rotate", stdout=rotated)

    assert first.getvalue() == again.getvalue()
    assert rotated.getvalue().strip() != first.getvalue().strip()
    assert Token.objects.get(user=editor).key == rotated.getvalue().strip()


def test_a_rotated_token_no_longer_signs_in(client, editor, fiche):
    old = issue_token(user=editor)
    issue_token(user=editor, rotate=True)

    response = client.get(url(fiche), HTTP_AUTHORIZATION=f"Token {old}")

    assert response.status_code == 401


def _queries(client, fiche, user):
    etag = read(client, fiche, user)["ETag"]
    with CaptureQueriesContext(connection) as reading:
        read(client, fiche, user)
    with CaptureQueriesContext(connection) as writing:
        assert (
            patch(client, fiche, {"narrative": "Teller"}, user=user, etag=etag).status_code == 200
        )
    return len(reading), len(writing)


def test_queries_stay_the_same_as_the_fiche_grows(client, editor, fiche):
    small = _queries(client, fiche, editor)
    for number in range(3, 13):
        MilestoneFactory(project=fiche.project, number=number, deadline=dt.date(2031, 1, 1))
    for number in range(2, 6):
        IndicatorFactory(project=fiche.project, code=f"OUT{number}", defined_in=[fiche.round])

    bigger = _queries(client, fiche, editor)

    # Reading is constant; so is writing, for rows without a status or value to write (the
    # fiche form's service saves one row per milestone status and indicator value given).
    assert bigger == small
