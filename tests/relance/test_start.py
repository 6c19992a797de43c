"""Where each role starts after signing in, the admin's home, and the in-app notices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import ReviewAction, ReviewEvent
from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory
from tests.relance.desk_plan import desk_plan

pytestmark = pytest.mark.django_db


def landing(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == user
    return response.redirect_chain[-1][0]


def test_a_coordinator_lands_on_the_open_rounds_desk(client, coordinator, open_round):
    assert landing(client, coordinator) == reverse("rounds:desk", args=[open_round.code])


def test_without_an_open_round_a_coordinator_lands_on_the_dashboard(client, coordinator):
    assert landing(client, coordinator) == reverse("home")


def test_an_admin_lands_on_imports_and_users(client, admin_user, open_round):
    assert landing(client, admin_user) == reverse("admin-home")


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_others_land_on_the_dashboard(client, domain, role):
    user = UserFactory(role=role, domains=[domain] if role == Role.EDITOR else [])
    assert landing(client, user) == reverse("home")


def test_the_admin_home_shows_uploads_imports_and_users(client, admin_user, coordinator):
    client.force_login(admin_user)
    response = client.get(reverse("admin-home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("workbook-import") in page
    assert reverse("admin:projects_user_changelist") in page
    assert reverse("home") in page
    roles = {row["groups__name"]: row["count"] for row in response.context["roles"]}
    assert roles[Role.COORDINATOR] == 1


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR, Role.COORDINATOR])
def test_the_admin_home_is_the_admins(client, domain, role):
    client.force_login(UserFactory(role=role, domains=[domain] if role == Role.EDITOR else []))
    assert client.get(reverse("admin-home")).status_code == 403


def test_the_desk_holds_the_coordinators_notices(client, coordinator, domain, other_domain):
    plan = desk_plan([domain, other_domain], unchanged=1, changed=1)
    fiche = plan.changed[0]
    ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.SUBMITTED, by=None)
    client.force_login(coordinator)
    response = client.get(reverse("rounds:desk", args=[plan.open.code]))
    notices = response.context["notices"]
    assert [n.url for n in notices] == [reverse("fiche-review", args=[fiche.project.code])]
    assert fiche.project.code in notices[0].text
    # Someone without reminders (no address) gets no mail, so no notices either.
    quiet = UserFactory(role=Role.COORDINATOR, email="")
    client.force_login(quiet)
    assert client.get(reverse("rounds:desk", args=[plan.open.code])).context["notices"] == []
