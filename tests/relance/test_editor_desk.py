"""The editor's home, "Mijn fiches": what it lists in which order, the progress, where
signing in lands, and save-and-next through the list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from milestones.models import MilestoneState
from projects.models import Fiche, ReviewAction, ReviewEvent, ReviewState
from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    PASSWORD,
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.relance.fiche_helpers import complete, fiche_post, snapshot

pytestmark = pytest.mark.django_db

DESK = reverse("my-fiches")


def desk_fiche(reporting_round, domain, code, **fields):
    project = ProjectFactory(code=code, title=f"Project {code}", domain=domain)
    milestone = MilestoneFactory(project=project, number=1)
    MilestoneStatusFactory(
        round=reporting_round, milestone=milestone, status=MilestoneState.ON_SCHEDULE
    )
    return FicheFactory(round=reporting_round, project=project, **fields)


@pytest.fixture
def desk(domain, other_domain, open_round):
    """The editor's domain: one fiche in each stage, listed in an order that is not the
    codes'; and a fiche of another domain, never listed."""
    fiches = {
        "not_started": desk_fiche(open_round, domain, "A01"),
        "draft": desk_fiche(open_round, domain, "B02", version=3),
        "submitted": desk_fiche(open_round, domain, "C03", review_state=ReviewState.SUBMITTED),
        "returned": desk_fiche(
            open_round,
            domain,
            "D04",
            version=5,
            review_state=ReviewState.RETURNED,
            review_comment="Het VEK ontbreekt.",
        ),
        "approved": desk_fiche(open_round, domain, "E05", review_state=ReviewState.APPROVED),
        "carried": desk_fiche(
            open_round, domain, "F06", review_state=ReviewState.APPROVED, carried_forward=True
        ),
        "other": desk_fiche(open_round, other_domain, "G07"),
    }
    return fiches


def listed_codes(html: str, section: str) -> list[str]:
    block = re.search(rf'id="{section}">(.*?)</ul>', html, re.S)
    assert block, section
    return re.findall(r"/projects/(\w+)/fiche/", block.group(1))


def test_returned_first_then_drafts_then_not_started_then_the_submitted(client, editor, desk):
    client.force_login(editor)
    html = client.get(DESK).content.decode()
    assert listed_codes(html, "desk-to-do") == ["D04", "B02", "A01"]
    assert listed_codes(html, "desk-done") == ["C03", "E05"]
    assert "Het VEK ontbreekt." in html  # the coordinator's comment beside the returned one
    assert "G07" not in html
    assert "F06" not in html
    assert "2 van 5 ingediend" in html
    assert 'value="2" max="5"' in html


def test_the_deadline_and_the_dashboard_link_are_on_the_page(client, editor, desk, open_round):
    open_round.deadline = open_round.reference_date
    open_round.save()
    client.force_login(editor)
    html = client.get(DESK).content.decode()
    assert "indienen uiterlijk" in html
    assert f'href="{reverse("home")}"' in html


def test_the_query_count_does_not_grow_with_the_fiches(
    client, editor, desk, domain, open_round, django_assert_num_queries
):
    client.force_login(editor)
    client.get(DESK)  # warm the session and the user's caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(DESK).status_code == 200
        return len(queries)

    small = count()
    for number in range(20):
        desk_fiche(open_round, domain, f"X{number:02}", version=2)
    with django_assert_num_queries(small):
        client.get(DESK)


@pytest.mark.parametrize(
    ("role", "lands_on"),
    # A coordinator lands on the open round's review desk (tests/relance/test_start.py).
    [
        (Role.EDITOR, r"/mijn-fiches/"),
        (Role.COORDINATOR, r"/rounds/\d{4}-\d{2}/desk/"),
        (Role.READER, r"/"),
    ],
)
def test_signing_in_lands_an_editor_on_mijn_fiches(client, users, desk, role, lands_on):
    response = client.post(
        reverse("login"), {"username": users[role].username, "password": PASSWORD}, follow=True
    )
    assert re.fullmatch(lands_on, response.redirect_chain[-1][0])


def test_without_an_open_round_the_editor_lands_on_the_dashboard(client, editor, closed_round):
    client.force_login(editor)
    assert client.get(reverse("start")).url == reverse("home")
    assert "geen open meetmoment" in client.get(DESK).content.decode()


def test_the_menu_links_mijn_fiches_for_editors_only(client, users, desk):
    client.force_login(users[Role.EDITOR])
    assert f'href="{DESK}"' in client.get(reverse("home")).content.decode()
    client.force_login(users[Role.COORDINATOR])
    html = client.get(DESK).content.decode()
    assert "D04" not in html  # a coordinator has no own domains' list
    assert f'href="{DESK}"' not in client.get(reverse("home")).content.decode()


def test_save_and_next_goes_to_the_next_fiche_of_the_list(client, editor, desk):
    client.force_login(editor)
    returned = desk["returned"]
    response = client.post(
        reverse("fiche", args=["D04"]),
        {**fiche_post(returned, narrative="Aangevuld"), "save": "next"},
    )
    assert response.url == reverse("fiche", args=["B02"])
    returned.refresh_from_db()
    assert returned.narrative == "Aangevuld"
    # The last one of the list goes round to the top: the returned one, still a draft.
    response = client.post(
        reverse("fiche", args=["A01"]), {**fiche_post(desk["not_started"]), "save": "next"}
    )
    assert response.url == reverse("fiche", args=["D04"])


def test_submit_and_next_submits_then_moves_on(client, editor, desk):
    client.force_login(editor)
    draft = desk["draft"]
    response = client.post(reverse("fiche", args=["B02"]), {**complete(draft), "submit": "next"})
    assert response.url == reverse("fiche", args=["A01"])
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED


def test_an_incomplete_submission_stays_on_its_fiche(client, editor, desk):
    client.force_login(editor)
    draft = desk["draft"]
    post = {**fiche_post(draft, narrative=""), "submit": "next"}
    response = client.post(reverse("fiche", args=["B02"]), post)
    assert response.url == reverse("fiche", args=["B02"])
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT


def test_after_the_last_fiche_the_editor_is_back_on_mijn_fiches(client, editor, domain):
    reporting_round = ReportingRoundFactory(state=RoundState.OPEN)
    only = desk_fiche(reporting_round, domain, "A01")
    client.force_login(editor)
    response = client.post(reverse("fiche", args=["A01"]), {**complete(only), "submit": "next"})
    assert response.url == DESK
    assert Fiche.objects.get(pk=only.pk).review_state == ReviewState.SUBMITTED


def test_save_and_next_of_another_domain_is_refused_and_changes_nothing(client, editor, desk):
    client.force_login(editor)
    other = desk["other"]
    before = snapshot(other)
    response = client.post(
        reverse("fiche", args=["G07"]),
        {**fiche_post(other, narrative="Niet van mij"), "save": "next"},
    )
    assert response.status_code == 403
    assert snapshot(other) == before


def test_the_buttons_show_for_an_editor_only(client, editor, coordinator, desk):
    client.force_login(editor)
    assert "Opslaan en volgende" in client.get(reverse("fiche", args=["B02"])).content.decode()
    client.force_login(coordinator)
    assert "Opslaan en volgende" not in client.get(reverse("fiche", args=["B02"])).content.decode()


def test_mijn_fiches_shows_an_editor_only_their_domains_fiches(client, users, desk):
    """Whoever else opens the page sees no fiche at all (the reader none of the open round)."""
    for role in (Role.READER, Role.COORDINATOR, Role.ADMIN):
        client.force_login(users[role])
        html = client.get(DESK).content.decode()
        assert "/fiche/" not in html, role


def test_mijn_fiches_holds_the_editors_notices(client, editor, desk):
    """What is due for the editor, as the daily reminder mail has it: a returned fiche."""
    returned = desk["returned"]
    ReviewEvent.objects.create(fiche=returned, action=ReviewAction.RETURNED, by=None)
    client.force_login(editor)
    notices = client.get(DESK).context["notices"]
    assert reverse("fiche", args=[returned.project.code]) in [n.url for n in notices]
    assert any(returned.project.code in n.text for n in notices)
