"""The review screen: the fiche read with the changes since the previous round marked, the
decision beside it with "next" through the desk's queue, and the coordinator's logged edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Fiche, ReviewAction, ReviewEvent, ReviewState
from projects.models.users import Role
from tests.factories import UserFactory
from tests.relance.desk_plan import desk_plan
from tests.relance.fiche_helpers import complete, fiche_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(domain, other_domain):
    return desk_plan([domain, other_domain], unchanged=2, changed=2)


def review_page(client, fiche, **query):
    return client.get(reverse("fiche-review", args=[fiche.project.code]), query)


def test_the_review_screen_marks_what_changed(client, coordinator, plan):
    client.force_login(coordinator)
    response = review_page(client, plan.changed[0])
    assert response.status_code == 200
    rows = {row.field: row for row in response.context["fiche_rows"]}
    assert [f for f, row in rows.items() if row.changed] == ["paid_eur"]
    assert (rows["paid_eur"].before, rows["paid_eur"].after) == ("€ 600,00", "€ 450,00")
    second = response.context["milestone_rows"][1]
    assert [r.field for r in second.rows if r.changed] == [
        "status",
        "forecast_date",
        "delay_reason",
    ]
    assert [r.after for r in second.rows if r.field == "status"] == ["in vertraging"]
    assert not response.context["milestone_rows"][0].changed
    page = response.content.decode()
    assert page.count("diff-changed") == 4
    assert "fiche-version" not in page  # it reads the fiche; it is not the form
    assert "Goedkeuren en volgende" in page


def test_an_unchanged_fiche_reads_unchanged(client, coordinator, plan):
    client.force_login(coordinator)
    response = review_page(client, plan.unchanged[0])
    assert response.context["changed_count"] == 0
    assert "Niets gewijzigd sinds het vorige meetmoment." in response.content.decode()


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_the_review_screen_is_for_coordinators(client, plan, domain, role):
    client.force_login(UserFactory(role=role, domains=[domain] if role == Role.EDITOR else []))
    assert review_page(client, plan.changed[0]).status_code == 403


def test_approving_leads_to_the_next_fiche_in_the_filtered_queue(
    client, coordinator, plan, other_domain
):
    client.force_login(coordinator)
    mine = [f for f in plan.unchanged + plan.changed if f.project.domain == other_domain]
    first, second = mine
    response = client.post(
        reverse("fiche-approve", args=[first.project.code]),
        {"version": first.version, "next": "desk", "domain": other_domain.code},
    )
    first.refresh_from_db()
    assert first.review_state == ReviewState.APPROVED
    response = client.get(response["Location"])
    assert response.status_code == 302
    expected = reverse("fiche-review", args=[second.project.code])
    assert response["Location"] == f"{expected}?domain={other_domain.code}"
    # The last one: back on the desk, empty.
    response = client.post(
        reverse("fiche-return", args=[second.project.code]),
        {"version": second.version, "next": "desk", "domain": other_domain.code, "comment": "Nee"},
    )
    second.refresh_from_db()
    assert (second.review_state, second.review_comment) == (ReviewState.RETURNED, "Nee")
    response = client.get(response["Location"])
    assert response["Location"] == reverse("rounds:desk", args=[plan.open.code]) + (
        f"?domain={other_domain.code}"
    )


def test_returning_without_a_comment_keeps_the_review_screen(client, coordinator, plan):
    client.force_login(coordinator)
    fiche = plan.changed[0]
    response = client.post(
        reverse("fiche-return", args=[fiche.project.code]),
        {"version": fiche.version, "next": "desk", "comment": "  "},
    )
    assert response.status_code == 400
    assert response.templates[0].name == "relance/fiche_review.html"
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.SUBMITTED
    assert not ReviewEvent.objects.filter(fiche=fiche).exists()


# -- the coordinator's edit ------------------------------------------------------------------


def test_a_coordinators_edit_of_a_submitted_fiche_is_logged(client, coordinator, plan):
    client.force_login(coordinator)
    fiche = plan.changed[0]
    response = client.post(
        reverse("fiche", args=[fiche.project.code]), fiche_post(fiche, narrative="Bijgewerkt.")
    )
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.narrative, fiche.review_state) == ("Bijgewerkt.", ReviewState.SUBMITTED)
    event = ReviewEvent.objects.get(fiche=fiche)
    assert (event.action, event.by) == (ReviewAction.EDITED, coordinator)


def test_editing_an_approved_fiche_takes_the_approval_back(client, coordinator, plan):
    client.force_login(coordinator)
    fiche = plan.unchanged[0]
    client.post(reverse("fiche-approve", args=[fiche.project.code]), {"version": fiche.version})
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.APPROVED
    client.post(reverse("fiche", args=[fiche.project.code]), fiche_post(fiche, narrative="Anders."))
    fiche.refresh_from_db()
    assert (fiche.narrative, fiche.review_state) == ("Anders.", ReviewState.SUBMITTED)
    event = ReviewEvent.objects.filter(fiche=fiche).first()
    assert event.action == ReviewAction.EDITED
    assert "goedkeuring vervalt" in event.comment
    # Back in the queue, and no longer "unchanged".
    queue = client.get(reverse("rounds:desk", args=[plan.open.code])).context["queue"]
    assert [f.unchanged for f in queue if f.pk == fiche.pk] == [False]


def test_an_editors_own_save_is_no_review_step(client, editor, fiche):
    client.force_login(editor)
    client.post(reverse("fiche", args=[fiche.project.code]), fiche_post(fiche, narrative="X"))
    assert not ReviewEvent.objects.filter(fiche=fiche).exists()
    client.post(reverse("fiche", args=[fiche.project.code]), {**complete(fiche), "submit": "1"})
    assert list(ReviewEvent.objects.filter(fiche=fiche).values_list("action", flat=True)) == [
        ReviewAction.SUBMITTED
    ]
    assert Fiche.objects.get(pk=fiche.pk).review_state == ReviewState.SUBMITTED
