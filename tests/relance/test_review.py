"""The coordinators' review: approve, return with a comment, flag orange or red, lift."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import (
    Fiche,
    FollowUpAction,
    ProjectStatus,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.users import Role
from tests.relance.fiche_helpers import complete, fiche_post, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, editor, fiche):
    client.force_login(editor)
    client.post(reverse("fiche", args=[fiche.project.code]), {**complete(fiche), "submit": "1"})
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.SUBMITTED
    return fiche


def act(client, fiche, action, data=None):
    """Take a review step on the fiche as it is stored now (its version seen)."""
    fiche.refresh_from_db()
    data = {"version": fiche.version, **(data or {})}
    return client.post(reverse(f"fiche-{action}", args=[fiche.project.code]), data)


FLAG = {
    "level": "action_required",
    "motivation": "De aanbesteding is mislukt.",
    "actions-TOTAL_FORMS": "3",
    "actions-INITIAL_FORMS": "0",
    "actions-0-description": "Nieuwe aanbesteding uitschrijven",
    "actions-0-owner": "Agentschap Wegen en Verkeer",
    "actions-0-due_date": "2030-03-31",
}


def test_coordinator_approves_a_submitted_fiche(client, coordinator, submitted):
    client.force_login(coordinator)
    assert act(client, submitted, "approve").status_code == 302
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.reviewed_by) == (ReviewState.APPROVED, coordinator)
    assert ReviewEvent.objects.filter(fiche=submitted, action="approved").exists()


def test_returning_needs_a_comment_and_reopens_the_fiche(client, coordinator, editor, submitted):
    client.force_login(coordinator)
    before = snapshot(submitted)
    response = act(client, submitted, "return", {"comment": " "})
    assert response.status_code == 400
    assert snapshot(submitted) == before

    assert act(client, submitted, "return", {"comment": "Bedragen nakijken"}).status_code == 302
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.review_comment) == (
        ReviewState.RETURNED,
        "Bedragen nakijken",
    )
    # The owner can edit again, and sees why.
    client.force_login(editor)
    page = client.get(reverse("fiche", args=[submitted.project.code])).content.decode()
    assert "Bedragen nakijken" in page
    response = client.post(
        reverse("fiche", args=[submitted.project.code]),
        fiche_post(submitted, narrative="Nagekeken"),
    )
    assert response.status_code == 302


def test_only_a_submitted_fiche_can_be_approved(client, coordinator, fiche):
    client.force_login(coordinator)
    before = snapshot(fiche)
    response = act(client, fiche, "approve")
    assert response.status_code == 400
    assert "Alleen een ingediende fiche" in response.content.decode()
    assert snapshot(fiche) == before


def test_a_flag_becomes_the_projects_status_until_lifted(client, coordinator, fiche):
    client.force_login(coordinator)
    assert act(client, fiche, "flag", FLAG).status_code == 302
    fiche.refresh_from_db()
    assert fiche.status == ProjectStatus.ACTION_REQUIRED
    flag = StatusFlag.objects.get(fiche=fiche)
    assert (flag.motivation, flag.raised_by) == ("De aanbesteding is mislukt.", coordinator)
    action = FollowUpAction.objects.get(flag=flag)
    assert (action.owner, action.due_date) == ("Agentschap Wegen en Verkeer", dt.date(2030, 3, 31))
    page = client.get(fiche.project.get_absolute_url()).content.decode()
    assert ProjectStatus.ACTION_REQUIRED.css_class in page  # shows everywhere with its colour

    response = act(client, fiche, "unflag", {"reason": ""})
    assert response.status_code == 400
    assert act(client, fiche, "unflag", {"reason": "Nieuwe aanbesteding gegund"}).status_code == 302
    fiche.refresh_from_db()
    assert fiche.status == fiche.owner_status
    assert StatusFlag.objects.get(fiche=fiche).lift_reason == "Nieuwe aanbesteding gegund"
    assert list(ReviewEvent.objects.filter(fiche=fiche).values_list("action", flat=True)) == [
        "flag_lifted", "flagged",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"motivation": ""}, "id_motivation_error"),
        (
            {"actions-0-description": "", "actions-0-owner": "", "actions-0-due_date": ""},
            "minstens één opvolgingsactie",
        ),
        ({"actions-0-owner": ""}, "wat, wie en tegen wanneer"),
        ({"level": "green"}, "geen beschikbare keuze"),
    ],
)
def test_a_flag_needs_motivation_and_complete_actions(client, coordinator, fiche, change, message):
    client.force_login(coordinator)
    before = snapshot(fiche)
    response = act(client, fiche, "flag", {**FLAG, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if change.get("motivation") != "":
        assert "De aanbesteding is mislukt." in page  # what was typed stays
    assert snapshot(fiche) == before


def test_one_flag_at_a_time(client, coordinator, fiche):
    client.force_login(coordinator)
    act(client, fiche, "flag", FLAG)
    before = snapshot(fiche)
    response = act(client, fiche, "flag", {**FLAG, "level": "attention"})
    assert response.status_code == 400
    assert snapshot(fiche) == before


@pytest.mark.parametrize("action", ["approve", "return", "flag", "unflag"])
@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_only_coordinators_review(client, users, submitted, role, action):
    client.force_login(users[role])
    before = snapshot(submitted)
    data = {"comment": "x", "reason": "x", **FLAG}
    assert act(client, submitted, action, data).status_code == 403
    assert snapshot(submitted) == before


def test_review_steps_move_the_version_so_open_forms_go_stale(client, coordinator, editor, fiche):
    client.force_login(editor)
    open_form = fiche_post(fiche, narrative="Mijn tekst")
    client.force_login(coordinator)
    act(client, fiche, "flag", FLAG)
    client.force_login(editor)
    assert client.post(reverse("fiche", args=[fiche.project.code]), open_form).status_code == 409
    assert Fiche.objects.get(pk=fiche.pk).narrative != "Mijn tekst"


def test_the_project_page_shows_review_history(client, coordinator, reader, submitted):
    client.force_login(coordinator)
    act(client, submitted, "return", {"comment": "Bedragen nakijken"})
    page = client.get(submitted.project.get_absolute_url()).content.decode()
    assert "Bedragen nakijken" in page


def test_a_review_step_on_a_changed_fiche_is_refused(client, coordinator, editor, submitted):
    """Approving what one did not see: the owner's fiche was returned and resubmitted."""
    client.force_login(coordinator)
    seen = submitted.version
    act(client, submitted, "return", {"comment": "Nakijken"})
    client.force_login(editor)
    client.post(
        reverse("fiche", args=[submitted.project.code]), {**complete(submitted), "submit": "1"}
    )
    client.force_login(coordinator)
    before = snapshot(submitted)
    response = client.post(
        reverse("fiche-approve", args=[submitted.project.code]), {"version": seen}
    )
    assert response.status_code == 400
    assert "gewijzigd sinds u ze opende" in response.content.decode()
    assert snapshot(submitted) == before
