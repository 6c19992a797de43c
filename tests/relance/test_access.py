"""Login is required by default; only the login page and /health/ are public."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRIVATE = ["/", "/projects/VV001/", "/admin/"]


@pytest.mark.parametrize("url", ["/", "/projects/VV001/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_admin_site_sends_anonymous_visitors_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_login_page_is_public_and_dutch(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Aanmelden" in response.content.decode()


def test_signing_in_leads_to_the_overview(client, reader):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": "lezer", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == reader


def test_a_wrong_password_is_refused_with_a_message(client, reader):
    response = client.post(reverse("login"), {"username": "lezer", "password": "fout"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["user"].is_authenticated


def test_health_is_public_and_says_only_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("role", ["reader", "editor", "coordinator"])
def test_health_details_are_not_for_other_signed_in_users(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("health")).json() == {"status": "ok"}


def test_health_reports_the_database_to_an_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "ok" in body["redis"]


def test_health_reports_redis_down_without_failing(client, settings, admin_user):
    client.force_login(admin_user)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["redis"]["ok"] is False


def test_signed_in_users_see_the_overview(client, reader):
    client.force_login(reader)
    response = client.get(reverse("home"))
    assert response.status_code == 200


def test_readers_and_editors_have_no_admin_site(client, reader, editor):
    for user in (reader, editor):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302


def test_language_switch_to_english(client, reader):
    client.force_login(reader)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
