"""The admin site: admins manage users within the role rules; others cannot escalate."""

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from projects.models import User
from projects.models.users import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change(client, user, **data):
    form = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "language": "nl",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
        **data,
    }
    return client.post(reverse("admin:projects_user_change", args=[user.pk]), form)


@pytest.fixture
def superuser():
    return UserFactory(username="root", role=Role.ADMIN, is_superuser=True)


# Roles are a superuser's to give (issue 15): the role rules below hold for them.
def test_superuser_gives_an_editor_a_domain(client, superuser, domain):
    client.force_login(superuser)
    user = UserFactory(role=Role.READER)
    response = change(
        client, user, groups=[Group.objects.get(name=Role.EDITOR).pk], domains=[domain.pk]
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.role == Role.EDITOR
    assert list(user.domains.all()) == [domain]


def test_superuser_cannot_make_an_editor_without_a_domain(client, superuser):
    client.force_login(superuser)
    user = UserFactory(role=Role.READER)
    response = change(client, user, groups=[Group.objects.get(name=Role.EDITOR).pk])
    assert response.status_code == 200
    assert "minstens één beleidsdomein" in response.content.decode()
    assert User.objects.get(pk=user.pk).role == Role.READER


def test_superuser_cannot_give_two_roles(client, superuser):
    client.force_login(superuser)
    user = UserFactory(role=Role.READER)
    groups = Group.objects.filter(name__in=[Role.READER, Role.ADMIN]).values_list("pk", flat=True)
    response = change(client, user, groups=list(groups))
    assert response.status_code == 200
    assert "Kies één rol" in response.content.decode()
    assert User.objects.get(pk=user.pk).role == Role.READER


def test_admin_cannot_make_anyone_superuser(client, admin_user):
    client.force_login(admin_user)
    response = change(
        client, admin_user, is_superuser="on", groups=[Group.objects.get(name=Role.ADMIN).pk]
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=admin_user.pk).is_superuser


def test_coordinators_read_the_plan_but_cannot_change_users(client, coordinator, reader):
    client.force_login(coordinator)
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
    before = User.objects.get(pk=reader.pk).is_staff
    response = change(client, reader, is_staff="on")
    assert response.status_code == 403
    assert User.objects.get(pk=reader.pk).is_staff == before


def test_admin_cannot_give_domains_without_the_editor_role(client, admin_user, domain):
    client.force_login(admin_user)
    user = UserFactory(role=Role.READER)
    response = change(client, user, groups=[], domains=[domain.pk])
    assert response.status_code == 200
    assert "Alleen een redacteur" in response.content.decode()
    assert not User.objects.get(pk=user.pk).domains.exists()


def test_round_data_is_read_only_in_the_admin(client, admin_user, open_round):
    from tests.factories import FicheFactory

    fiche = FicheFactory(round=open_round, narrative="Zoals ingediend")
    client.force_login(admin_user)
    assert client.get(reverse("admin:projects_fiche_change", args=[fiche.pk])).status_code == 200
    response = client.post(
        reverse("admin:projects_fiche_change", args=[fiche.pk]),
        {"round": open_round.pk, "project": fiche.project.pk, "status": "attention",
         "narrative": "Via de admin"},
    )  # fmt: skip
    assert response.status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:projects_fiche_import")
    fiche.refresh_from_db()
    assert (fiche.narrative, fiche.version) == ("Zoals ingediend", 1)
