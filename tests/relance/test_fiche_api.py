"""The write API for the delivering entities (/api/rounds/<code>/fiches/<project>/): the
fiche form's rules, access, checks, history and locking, through a token."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, ReviewState
from projects.models.users import Role
from projects.tokens import issue_token
from tests.factories import FicheFactory, UserFactory
from tests.relance.fiche_helpers import complete, fiche_post, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


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
    assert response["ETag"] != etag and response["ETag"].startswith('"2-')
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
    assert history(fiche)[-1] == (editor.pk, "form", 2)


def test_submit_refuses_an_incomplete_fiche_then_submits_a_complete_one(client, editor, fiche):
    Fiche.objects.filter(pk=fiche.pk).update(narrative="")
    etag = read(client, fiche, editor)["ETag"]
    before = snapshot(fiche)

    refused = client.post(url(fiche, "submit/"), **auth(editor), HTTP_IF_MATCH=etag)

    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete"
    assert refused.json()["errors"]["narrative"] == ["De toelichting is leeg."]
    assert snapshot(fiche) == before

    etag = patch(client, fiche, {"narrative": "Alles volgens plan."}, user=editor, etag=etag)[
        "ETag"
    ]
    response = client.post(url(fiche, "submit/"), **auth(editor), HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    fiche.refresh_from_db()
    assert (fiche.review_state, fiche.submitted_by) == (ReviewState.SUBMITTED, editor)
    assert response.json()["editable"] is False
    assert fiche.events.get().action == "submitted"
    assert history(fiche)[-1][:2] == (editor.pk, "api")
