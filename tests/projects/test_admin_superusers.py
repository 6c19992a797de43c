"""Only a superuser changes a superuser, or grants staff, superuser, a role or permissions.
Every admin change form is walked as the admin role; the refused writes change nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from projects.models import User
from projects.models.users import Role
from tests.factories import FicheFactory, MilestoneStatusFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", role=Role.ADMIN, is_superuser=True)


def snapshot(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.password, user.email, user.is_active, user.is_staff, user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )  # fmt: skip


def change_form(user, **data):
    return {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "language": "nl",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
        **data,
    }


def test_admin_cannot_change_a_superuser(client, admin_user, superuser):
    before = snapshot(superuser)
    client.force_login(admin_user)
    url = reverse("admin:projects_user_change", args=[superuser.pk])
    response = client.post(url, change_form(superuser, email="overname@example.org"))
    assert response.status_code == 403
    assert snapshot(superuser) == before


def test_admin_cannot_reset_a_superusers_password_nor_sign_in_as_them(
    client, admin_user, superuser
):
    before = snapshot(superuser)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "nieuw-geheim-2026", "password2": "nieuw-geheim-2026"}
    )
    assert response.status_code == 403
    assert snapshot(superuser) == before
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "root", "password": "nieuw-geheim-2026"})
    assert signed_in.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_cannot_delete_a_superuser(client, admin_user, superuser):
    client.force_login(admin_user)
    assert (
        client.post(
            reverse("admin:projects_user_delete", args=[superuser.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("admin:projects_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert User.objects.filter(pk=superuser.pk).exists()


def test_admin_cannot_grant_staff_superuser_role_or_permissions(client, admin_user):
    reader = UserFactory(username="lezer", role=Role.READER)
    before = snapshot(reader)
    client.force_login(admin_user)
    permission = Permission.objects.get(codename="import_workbook")
    response = client.post(
        reverse("admin:projects_user_change", args=[reader.pk]),
        change_form(
            reader, is_staff="on", is_superuser="on",
            groups=[Group.objects.get(name=Role.ADMIN).pk], user_permissions=[permission.pk],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert snapshot(reader) == before


def test_admin_still_changes_an_ordinary_users_password_and_email(client, admin_user):
    reader = UserFactory(username="lezer", role=Role.READER)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:projects_user_change", args=[reader.pk]),
        change_form(reader, email="lode@relance.example"),
    )
    assert response.status_code == 302
    url = reverse("admin:auth_user_password_change", args=[reader.pk])
    response = client.post(
        url, {"password1": "nieuw-geheim-2026", "password2": "nieuw-geheim-2026"}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.email, reader.check_password("nieuw-geheim-2026")) == (
        "lode@relance.example",
        True,
    )


def test_admin_cannot_change_the_roles_groups(client, admin_user):
    group = Group.objects.get(name=Role.READER)
    before = sorted(group.permissions.values_list("pk", flat=True))
    client.force_login(admin_user)
    everything = list(Permission.objects.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = client.post(url, {"name": "reader", "permissions": everything})
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before
    assert client.post(reverse("admin:auth_group_add"), {"name": "baas"}).status_code == 403
    assert not Group.objects.filter(name="baas").exists()


def test_a_superuser_may_do_all_of_it(client, superuser):
    reader = UserFactory(username="lezer", role=Role.READER)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:projects_user_change", args=[reader.pk]),
        change_form(reader, groups=[Group.objects.get(name=Role.COORDINATOR).pk], is_staff="on"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=reader.pk).role == Role.COORDINATOR


def state(model, pk):
    """A row as the database holds it, with a user's groups and permissions."""
    row = model._default_manager.filter(pk=pk).values().get()
    if model is User:
        user = User.objects.get(pk=pk)
        row["groups"] = sorted(user.groups.values_list("pk", flat=True))
        row["permissions"] = sorted(user.user_permissions.values_list("pk", flat=True))
    return row


def test_every_admin_change_form_as_the_admin_role(client, admin_user, superuser):
    """Each registered model's change form, for a row of it (every user): shown, read-only
    or refused, never an error; where the admin role may not change the row, a POST is
    refused and the row stays as it was. Then every user's password form."""
    fiche = FicheFactory()
    MilestoneStatusFactory(round=fiche.round, milestone__project=fiche.project)
    UserFactory(username="lezer", role=Role.READER)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    client.force_login(admin_user)
    walked, refused = set(), set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        rows = model._default_manager.all() if model is User else model._default_manager.all()[:1]
        for row in rows:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            response = client.get(url)
            assert response.status_code in (200, 403), (opts.label, response.status_code)
            walked.add(opts.label)
            if model_admin.has_change_permission(request, row):
                continue
            before = state(model, row.pk)
            assert client.post(url, {}).status_code == 403, opts.label
            assert state(model, row.pk) == before, opts.label
            refused.add(opts.label)
    assert {"projects.User", "projects.Project", "projects.Fiche", "auth.Group"} <= walked
    assert {"projects.User", "projects.Fiche", "auth.Group"} <= refused

    for user in User.objects.all():
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        expected = 403 if user.is_superuser else 200
        assert client.get(url).status_code == expected, user.username
        before = state(User, user.pk)
        data = {"password1": "ander-geheim-2026", "password2": "ander-geheim-2026"}
        response = client.post(url, data)
        if user.is_superuser:
            assert response.status_code == 403
            assert state(User, user.pk) == before
