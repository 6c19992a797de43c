"""API tokens: made on first use, shown on /account/ to their own user only, rotated with a
confirmation, and then the old one signs no one in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from projects.models.users import Role
from projects.tokens import issue_token, token_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_account_shows_no_token_until_one_is_made(client, editor):
    client.force_login(editor)

    page = client.get("/account/")

    assert page.status_code == 200
    assert "U hebt nog geen token." in page.content.decode()
    assert not Token.objects.exists()  # reading the page makes none

    response = client.post("/account/api-token/")

    assert response.status_code == 302
    key = token_of(editor)
    assert key
    assert key in client.get("/account/").content.decode()


def test_account_shows_ones_own_token_and_nobody_elses(client, editor, coordinator):
    own, other = issue_token(user=editor), issue_token(user=coordinator)
    client.force_login(editor)

    body = client.get("/account/").content.decode()

    assert own in body
    assert other not in body


def test_rotating_needs_the_confirmation(client, editor):
    key = issue_token(user=editor)
    client.force_login(editor)

    refused = client.post("/account/api-token/")

    assert refused.status_code == 302
    assert token_of(editor) == key

    client.post("/account/api-token/", {"confirm": "on"})

    assert token_of(editor) not in (None, key)
    assert Token.objects.filter(user=editor).count() == 1


def test_anonymous_cannot_make_or_rotate_a_token(client, editor):
    key = issue_token(user=editor)

    response = client.post("/account/api-token/", {"confirm": "on"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert list(Token.objects.values_list("key", flat=True)) == [key]


def test_the_token_page_takes_only_post(client, editor):
    client.force_login(editor)

    assert client.get("/account/api-token/").status_code == 405
    assert not Token.objects.exists()


def test_the_admin_site_lists_no_tokens(client):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    issue_token(user=admin)
    client.force_login(admin)

    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert "authtoken" not in client.get("/admin/").content.decode()


def test_the_command_refuses_an_unknown_or_inactive_user():
    UserFactory(username="weg", is_active=False)

    with pytest.raises(CommandError, match="Onbekende gebruiker"):
        call_command("api_token", "niemand", stdout=StringIO())
    with pytest.raises(CommandError, match="gedeactiveerd"):
        call_command("api_token", "weg", stdout=StringIO())
    assert not Token.objects.exists()
