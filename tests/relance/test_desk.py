"""The coordinators' review desk: "unchanged", the diff, bulk approval and its access, the
queue's filters, "next" after a decision, the logged coordinator edit, and query counts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import MilestoneStatus
from projects.models import (
    Fiche,
    ReviewAction,
    ReviewEvent,
    ReviewState,
)
from projects.models.users import Role
from relance.fiches import review_desk as desk
from relance.fiches.snapshots import snapshot, snapshots
from tests.factories import PolicyDomainFactory, UserFactory
from tests.relance.desk_plan import FORECAST, desk_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(domain, other_domain):
    return desk_plan([domain, other_domain], unchanged=2, changed=2)


def states(fiches):
    return {
        f.pk: (f.review_state, f.version)
        for f in Fiche.objects.filter(pk__in=[f.pk for f in fiches])
    }


# -- "unchanged" and the diff ----------------------------------------------------------------


def test_unchanged_means_same_status_money_narrative_and_milestones(plan):
    views = snapshots(plan.unchanged + plan.changed)
    assert [desk.is_unchanged(views[f.pk]) for f in plan.unchanged] == [True, True]
    assert [desk.is_unchanged(views[f.pk]) for f in plan.changed] == [False, False]
    assert desk.unchanged_ids(plan.unchanged + plan.changed) == {f.pk for f in plan.unchanged}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner_status": "completed"}, "owner_status"),
        ({"committed_eur": Decimal("1000.01")}, "committed_eur"),
        ({"paid_eur": None}, "paid_eur"),
        ({"narrative": "Loopt volgens plan!"}, "narrative"),
    ],
)
def test_any_one_field_changed_is_a_change(plan, change, field):
    view = snapshot(plan.unchanged[0])
    changed = replace(view, **change)
    assert [c.field for c in desk.changes(changed)] == [field]
    assert not desk.is_unchanged(changed)


def test_the_diff_names_each_milestone_field_that_moved(plan):
    found = desk.changes(snapshot(plan.changed[0]))
    assert [(c.field, c.milestone, c.before, c.after) for c in found] == [
        ("paid_eur", None, Decimal("600.00"), Decimal("450.00")),
        ("status", 2, "on_schedule", "delayed"),
        ("forecast_date", 2, None, FORECAST),
        ("delay_reason", 2, None, "Vergunning"),
    ]


def test_a_realisation_date_alone_is_a_change(plan):
    fiche = plan.unchanged[0]
    MilestoneStatus.objects.filter(round=fiche.round, milestone__project=fiche.project).update(
        realised_on=dt.date(2024, 1, 1)
    )
    assert [(c.field, c.milestone) for c in desk.changes(snapshot(fiche))] == [
        ("realised_on", 1),
        ("realised_on", 2),
    ]


def test_without_a_previous_fiche_nothing_is_unchanged(fiche):
    view = snapshot(fiche)
    assert desk.changes(view) is None
    assert not desk.is_unchanged(view)


# -- bulk approval ---------------------------------------------------------------------------


def bulk(client, plan, fiches, **extra):
    return client.post(
        reverse("rounds:desk-approve", args=[plan.open.code]),
        {"fiche": [str(f.pk) for f in fiches], **extra},
    )


def test_a_coordinator_approves_the_unchanged_in_one_step(client, coordinator, plan):
    client.force_login(coordinator)
    response = bulk(client, plan, plan.unchanged, domain="", findings="")
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:desk", args=[plan.open.code])
    for fiche in plan.unchanged:
        fiche.refresh_from_db()
        assert (fiche.review_state, fiche.reviewed_by) == (ReviewState.APPROVED, coordinator)
        event = ReviewEvent.objects.get(fiche=fiche)
        assert (event.action, event.by) == (ReviewAction.APPROVED, coordinator)
        assert "ongewijzigd" in event.comment
        assert fiche.history.first().history_user == coordinator
    assert all(s == ReviewState.SUBMITTED for s, _v in states(plan.changed).values())


def test_bulk_approval_of_a_changed_fiche_approves_nothing(client, coordinator, plan):
    client.force_login(coordinator)
    before = states(plan.unchanged + plan.changed)
    response = bulk(client, plan, [plan.unchanged[0], plan.changed[0]])
    assert response.status_code == 302
    assert states(plan.unchanged + plan.changed) == before
    assert not ReviewEvent.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert plan.changed[0].project.code in page
    assert "Er is niets goedgekeurd" in page


@pytest.mark.parametrize("ids", [["abc"], ["1" * 12], [], ["999999"]])
def test_bulk_approval_refuses_bad_ids(client, coordinator, plan, ids):
    client.force_login(coordinator)
    before = states(plan.unchanged)
    response = client.post(reverse("rounds:desk-approve", args=[plan.open.code]), {"fiche": ids})
    assert response.status_code == 302
    assert states(plan.unchanged) == before
    assert not ReviewEvent.objects.exists()


def test_bulk_approval_refuses_a_fiche_of_another_round(client, coordinator, plan):
    client.force_login(coordinator)
    old = Fiche.objects.filter(round=plan.closed).first()
    before = states([old, *plan.unchanged])
    bulk(client, plan, [old, plan.unchanged[0]])
    assert states([old, *plan.unchanged]) == before
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_bulk_approval_is_refused_to_others(client, plan, domain, role):
    user = UserFactory(role=role, domains=[domain] if role == Role.EDITOR else [])
    client.force_login(user)
    before = states(plan.unchanged)
    assert bulk(client, plan, plan.unchanged).status_code == 403
    assert states(plan.unchanged) == before
    assert not ReviewEvent.objects.exists()
    assert client.get(reverse("rounds:desk", args=[plan.open.code])).status_code == 403


def test_bulk_approval_needs_a_post_and_a_login(client, plan):
    before = states(plan.unchanged)
    response = bulk(client, plan, plan.unchanged)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert states(plan.unchanged) == before


def test_bulk_approval_in_a_closed_round_is_refused(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.post(
        reverse("rounds:desk-approve", args=[plan.closed.code]),
        {"fiche": [str(f.pk) for f in Fiche.objects.filter(round=plan.closed)]},
    )
    assert response.status_code == 302
    assert not ReviewEvent.objects.filter(action=ReviewAction.APPROVED).exists()


# -- the desk --------------------------------------------------------------------------------


def desk_page(client, plan, **query):
    return client.get(reverse("rounds:desk", args=[plan.open.code]), query)


def test_the_desk_lists_the_queue_with_what_changed(client, coordinator, plan):
    client.force_login(coordinator)
    response = desk_page(client, plan)
    assert response.status_code == 200
    queue = response.context["queue"]
    assert [f.pk for f in queue] == [f.pk for f in plan.unchanged + plan.changed]
    assert [f.unchanged for f in queue] == [True, True, False, False]
    page = response.content.decode()
    assert page.count('name="fiche"') == 2


def test_an_unchanged_fiche_with_findings_is_not_chosen_beforehand(client, coordinator, plan):
    """Bulk approval starts from the unchanged fiches that nothing flags: one whose
    milestone is past its deadline yet on schedule may still be chosen, by hand."""
    late = plan.unchanged[0]
    late.project.milestones.filter(number=2).update(deadline=dt.date(2024, 6, 30))
    client.force_login(coordinator)

    response = desk_page(client, plan)

    queue = {fiche.pk: fiche for fiche in response.context["queue"]}
    assert queue[late.pk].unchanged
    assert queue[late.pk].has_findings
    quiet = plan.unchanged[1]
    assert queue[quiet.pk].unchanged
    assert not queue[quiet.pk].has_findings
    page = response.content.decode()
    assert re.search(rf'value="{late.pk}" id="pick-{late.pk}" aria-label=', page)
    assert re.search(rf'value="{quiet.pk}" id="pick-{quiet.pk}" checked aria-label=', page)


def test_the_desk_filters_by_domain(client, coordinator, plan, other_domain):
    client.force_login(coordinator)
    queue = desk_page(client, plan, domain=other_domain.code).context["queue"]
    assert {f.project.domain.code for f in queue} == {other_domain.code}
    assert len(queue) == 2
    # A domain that does not exist: an empty queue; no domain code at all: all of it.
    assert desk_page(client, plan, domain="XYZ").context["queue"] == []
    assert len(desk_page(client, plan, domain="a b;--").context["queue"]) == 4


def test_the_desks_domain_filter_names_each_domain_in_the_readers_language(
    client, coordinator, plan, other_domain
):
    other_domain.name_en = "The other domain in English"
    other_domain.save(update_fields=["name_en"])
    client.force_login(coordinator)
    url = reverse("rounds:desk", args=[plan.open.code])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert f"{other_domain.code} · The other domain in English" in english
    assert f"{other_domain.code} · {other_domain.name}" in dutch


def test_the_desk_filters_by_findings(client, coordinator, plan):
    client.force_login(coordinator)
    every = desk_page(client, plan).context["queue"]
    with_findings = {f.pk for f in every if f.has_findings}
    assert with_findings
    assert with_findings != {f.pk for f in every}
    assert {f.pk for f in desk_page(client, plan, findings="yes").context["queue"]} == (
        with_findings
    )
    assert {f.pk for f in desk_page(client, plan, findings="no").context["queue"]} == (
        {f.pk for f in every} - with_findings
    )
    assert len(desk_page(client, plan, findings="maybe").context["queue"]) == len(every)


def test_the_desk_takes_the_same_queries_for_a_bigger_plan(
    client, coordinator, django_assert_num_queries
):
    domains = [PolicyDomainFactory(code=f"DQ{letter}") for letter in "ABC"]
    plan = desk_plan(domains, unchanged=11, changed=11)
    everything = plan.unchanged + plan.changed
    shown = [plan.unchanged[0].pk, plan.changed[0].pk]
    # First two fiches in the queue, the rest still drafts; then all 22.
    Fiche.objects.filter(round=plan.open).exclude(pk__in=shown).update(
        review_state=ReviewState.DRAFT
    )
    client.force_login(coordinator)
    desk_page(client, plan)  # the session and the permissions, cached
    with CaptureQueriesContext(connection) as counted:
        assert len(desk_page(client, plan).context["queue"]) == 2
    Fiche.objects.filter(pk__in=[f.pk for f in everything]).update(
        review_state=ReviewState.SUBMITTED
    )
    with django_assert_num_queries(len(counted)):
        assert len(desk_page(client, plan).context["queue"]) == 22
    assert len(counted) < 25


# -- a queue longer than a page -----------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("relance.views.desk.DESK_PAGE", 2)


def test_the_desk_shows_a_page_of_the_queue_and_counts_all_of_it(
    client, coordinator, plan, small_pages
):
    client.force_login(coordinator)
    everything = [f.pk for f in plan.unchanged + plan.changed]

    first = desk_page(client, plan)
    assert [f.pk for f in first.context["queue"]] == everything[:2]
    page = first.content.decode()
    assert "4 ingediende fiches wachten op beoordeling" in page
    assert "Pagina 1 van 2" in page
    assert "?page=2" in page
    # Only the page's unchanged fiches can be approved together.
    assert f'value="{plan.unchanged[1].pk}"' in page

    second = desk_page(client, plan, page=2)
    assert [f.pk for f in second.context["queue"]] == everything[2:]
    assert [f.unchanged for f in second.context["queue"]] == [False, False]
    assert 'name="fiche"' not in second.content.decode()
    assert "bulk-approve-button" not in second.content.decode()
    # Past the last page, the last; not a number, the first.
    assert [f.pk for f in desk_page(client, plan, page=9).context["queue"]] == everything[2:]
    assert [f.pk for f in desk_page(client, plan, page="x²").context["queue"]] == everything[:2]


def test_the_pages_keep_the_filter(client, coordinator, plan, other_domain, monkeypatch):
    monkeypatch.setattr("relance.views.desk.DESK_PAGE", 1)
    client.force_login(coordinator)
    mine = [f.pk for f in plan.unchanged + plan.changed if f.project.domain == other_domain]

    first = desk_page(client, plan, domain=other_domain.code)
    assert [f.pk for f in first.context["queue"]] == mine[:1]
    assert first.context["total"] == 2
    assert f"?domain={other_domain.code}&amp;page=2" in first.content.decode()
    second = desk_page(client, plan, domain=other_domain.code, page=2)
    assert [f.pk for f in second.context["queue"]] == mine[1:]
    # The findings filter shows a page of what it keeps, and counts all of it.
    monkeypatch.setattr("relance.views.desk.DESK_PAGE", 50)
    kept = [f.pk for f in desk_page(client, plan, findings="yes").context["queue"]]
    assert len(kept) > 1
    monkeypatch.setattr("relance.views.desk.DESK_PAGE", 1)
    shown = desk_page(client, plan, findings="yes", page=2)
    assert [f.pk for f in shown.context["queue"]] == kept[1:2]
    assert shown.context["total"] == len(kept)
    assert "?findings=yes&amp;page=1" in shown.content.decode()


def test_next_reads_the_filtered_queue_a_page_at_a_time(client, coordinator, plan, monkeypatch):
    monkeypatch.setattr("relance.views.desk.DESK_PAGE", 1)
    client.force_login(coordinator)
    # The unchanged fiches come first and have no findings: "next" of the fiches with
    # findings reads past them, a page of one at a time.
    with_findings = desk_page(client, plan, findings="yes").context["queue"]
    assert with_findings
    response = client.get(reverse("rounds:desk-next", args=[plan.open.code]), {"findings": "yes"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("fiche-review", args=[with_findings[0].project.code]) + "?findings=yes"
    )


def test_the_desk_takes_the_same_queries_for_a_queue_of_many_pages(
    client, coordinator, small_pages
):
    domains = [PolicyDomainFactory(code=f"DP{letter}") for letter in "ABC"]
    plan = desk_plan(domains, unchanged=11, changed=11)
    everything = plan.unchanged + plan.changed
    # Three fiches in the queue (two pages), then all 22 (eleven pages).
    Fiche.objects.filter(round=plan.open).exclude(pk__in=[f.pk for f in everything[:3]]).update(
        review_state=ReviewState.DRAFT
    )
    client.force_login(coordinator)
    desk_page(client, plan)  # the session and the permissions, cached
    with CaptureQueriesContext(connection) as few:
        assert desk_page(client, plan).context["total"] == 3
    Fiche.objects.filter(pk__in=[f.pk for f in everything]).update(
        review_state=ReviewState.SUBMITTED
    )
    with CaptureQueriesContext(connection) as many:
        response = desk_page(client, plan, page=5)
    assert response.context["total"] == 22
    assert len(response.context["queue"]) == 2
    assert len(many) == len(few)


@pytest.mark.parametrize("view", ["rounds:desk", "rounds:desk-next"])
def test_a_closed_rounds_desk_sends_to_the_rounds_page(client, coordinator, plan, view):
    """Nothing is reviewed in a closed round: its desk offered the open round's review
    screens ("Begin bij de eerste" opened the open round's fiche)."""
    client.force_login(coordinator)
    response = client.get(reverse(view, args=[plan.closed.code]), follow=True)
    assert response.redirect_chain == [(plan.closed.get_absolute_url(), 302)]
    assert f"Meetmoment {plan.closed.code} is niet open" in response.content.decode()


def test_the_open_rounds_desk_still_answers(client, coordinator, plan):
    client.force_login(coordinator)
    assert desk_page(client, plan).status_code == 200
    response = client.get(reverse("rounds:desk-next", args=[plan.open.code]))
    assert response["Location"].startswith(
        reverse("fiche-review", args=[plan.unchanged[0].project.code])
    )
