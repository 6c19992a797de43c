"""A draft may stay incomplete (completeness is checked on submit); a failed save lists its
errors at the top, each linked to its field; every field has an accessible name of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import ReviewState
from relance.fiches import checks
from tests.relance.fiche_helpers import complete, fiche_post, snapshot

pytestmark = pytest.mark.django_db


def url(fiche):
    return reverse("fiche", args=[fiche.project.code])


@pytest.mark.parametrize(
    "changes",
    [
        {"status": MilestoneState.DELAYED, "forecast_date": "", "delay_reason": ""},
        {"status": MilestoneState.DELAYED, "forecast_date": "", "delay_reason": "Beroep"},
        {"status": MilestoneState.DELAYED, "forecast_date": "31/12/2031", "delay_reason": ""},
    ],
)
def test_a_draft_keeps_a_delay_whose_date_or_reason_is_still_unknown(
    client, editor, fiche, changes
):
    client.force_login(editor)
    response = client.post(url(fiche), fiche_post(fiche, milestones={2: changes}))
    assert response.status_code == 302
    status = MilestoneStatus.objects.get(round=fiche.round, milestone__number=2)
    assert status.status == MilestoneState.DELAYED
    assert status.delay_reason == changes["delay_reason"]
    assert (status.forecast_date is None) == (changes["forecast_date"] == "")
    # The stored fiche shows what is missing among the page's checks.
    page = client.get(url(fiche)).content.decode()
    assert "Geef de" in page


def test_submitting_it_is_still_refused_and_it_stays_a_draft(client, editor, fiche):
    client.force_login(editor)
    delayed = {"status": MilestoneState.DELAYED, "forecast_date": "", "delay_reason": ""}
    post = {**complete(fiche), **_milestone(fiche, 2, delayed), "submit": "1"}
    response = client.post(url(fiche), post, follow=True)
    page = response.content.decode()
    assert "nog niet ingediend" in page
    assert "Geef de nieuwe verwachte datum." in page
    assert "Geef de reden van de vertraging." in page
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.DRAFT


def _milestone(fiche, number, changes):
    """The milestone rows of ``fiche_post`` with milestone ``number`` changed."""
    post = fiche_post(fiche, milestones={number: changes})
    return {key: value for key, value in post.items() if key.startswith("ms-")}


def test_a_realised_milestone_without_its_date_stays_a_row_error(client, editor, fiche):
    """The database's invariant: a realised milestone has its date, draft or not."""
    client.force_login(editor)
    before = snapshot(fiche)
    post = fiche_post(fiche, milestones={2: {"status": MilestoneState.REALISED}})
    response = client.post(url(fiche), post)
    assert response.status_code == 400
    assert snapshot(fiche) == before


def test_only_the_completeness_rules_are_left_to_the_submission():
    assert {"delayed_without_forecast"} == checks.COMPLETENESS_RULES
    assert "realised_without_date" in checks.MILESTONE_RULES


def test_the_error_summary_links_each_error_to_its_field(client, editor, fiche):
    client.force_login(editor)
    post = fiche_post(
        fiche,
        committed_eur="veel",
        milestones={
            1: {"status": MilestoneState.REALISED, "realised_on": ""},
            2: {"status": MilestoneState.DELAYED, "forecast_date": "2001-01-01"},
        },
    )
    response = client.post(url(fiche), post)
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<section[^>]*id="error-summary"(.*?)</section>', page, re.S)
    assert summary
    assert 'tabindex="-1"' in summary.group(0)
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>: ([^<]+)</li>', summary.group(1))
    anchors = [anchor for anchor, _label, _message in links]
    assert anchors == ["id_fiche-committed_eur", "id_ms-0-realised_on", "id_ms-1-forecast_date"]
    labels = [label for _anchor, label, _message in links]
    assert labels[1].startswith("Realisatiedatum van mijlpaal 1")
    assert labels[2].startswith("Nieuwe datum van mijlpaal 2")
    assert "3 fouten" in summary.group(1)
    for anchor in anchors:  # each link leads to a field on the page
        assert f'id="{anchor}"' in page


def test_no_summary_after_a_good_save_or_on_a_fresh_page(client, editor, fiche):
    client.force_login(editor)
    assert 'id="error-summary"' not in client.get(url(fiche)).content.decode()
    response = client.post(url(fiche), fiche_post(fiche, narrative="Goed"), follow=True)
    assert 'id="error-summary"' not in response.content.decode()


def test_every_field_of_the_fiche_has_a_name_of_its_own(client, editor, fiche):
    client.force_login(editor)
    page = client.get(url(fiche)).content.decode()
    form = re.search(r'<form method="post" novalidate id="fiche-form".*?</form>', page, re.S)
    assert form
    names = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", form.group(0)):
        if 'type="hidden"' in tag or 'type="submit"' in tag:
            continue
        label = re.search(r'aria-label="([^"]+)"', tag)
        if label:
            names.append(label.group(1))
        else:
            field_id = re.search(r'id="([^"]+)"', tag)
            assert field_id, tag
            text = re.search(rf'<label[^>]*for="{field_id.group(1)}"[^>]*>(.*?)</label>', page)
            assert text, f"{field_id.group(1)} has no label"
            names.append(text.group(1).strip())
    assert Counter(names).most_common(1)[0][1] == 1, Counter(names)
    assert any(name.startswith("Status van mijlpaal 2: ") for name in names)
    assert "Waarde nu van indicator OUT1" in names


def test_a_delay_not_after_the_deadline_is_still_refused(client, editor, fiche):
    client.force_login(editor)
    before = snapshot(fiche)
    delayed = {"status": MilestoneState.DELAYED, "forecast_date": dt.date(2001, 1, 1).isoformat()}
    response = client.post(url(fiche), fiche_post(fiche, milestones={2: delayed}))
    assert response.status_code == 400
    assert snapshot(fiche) == before


@pytest.mark.parametrize(
    ("token", "kept"), [("0b7c1d2e-aaaa-4bbb-8ccc-123456789abc", True), ("<x>", False), ("", False)]
)
def test_a_save_names_its_page_token_on_the_pages_after_it(client, editor, fiche, token, kept):
    client.force_login(editor)
    response = client.post(
        url(fiche), {**fiche_post(fiche, narrative="Bewaard"), "draft_token": token}
    )
    assert response.status_code == 302
    page = client.get(url(fiche)).content.decode()
    meta = re.search(r'<meta name="relance-saved-drafts" content="([^"]*)">', page)
    assert meta
    assert (token in meta.group(1).split()) is kept


def test_a_refused_save_names_no_token(client, editor, fiche):
    client.force_login(editor)
    token = "0b7c1d2e-aaaa-4bbb-8ccc-123456789abc"
    response = client.post(url(fiche), {**fiche_post(fiche, paid_eur="veel"), "draft_token": token})
    assert response.status_code == 400
    assert token not in client.get(url(fiche)).content.decode()
