"""Lockout after repeated failures (django-axes on the shared cache), per user name and per
client address, the address being the one the configured proxies report."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory
from tests.relance import test_settings

pytestmark = pytest.mark.django_db

LIMIT = 5


def manage(*args, **env):
    """manage.py in a process of its own, with REDIS_URL only when given."""
    return test_settings.manage(*args, **{"REDIS_URL": "", **env})


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def test_the_right_password_is_refused_once_the_limit_is_reached(client):
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(1, LIMIT):
        response = sign_in(client, "lezer", f"fout-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    response = sign_in(client, "lezer", "fout-laatste")
    assert response.status_code == 429
    assert "geblokkeerd" in response.content.decode()

    response = sign_in(client, "lezer", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_below_the_limit_the_right_password_still_signs_in(client):
    reader = UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT - 1):
        sign_in(client, "lezer", f"fout-{attempt}")
    response = sign_in(client, "lezer", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_one_address_is_locked_out_whatever_names_it_tries(client):
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, f"onbekend-{attempt}", "fout")
    response = sign_in(client, "lezer", PASSWORD)
    assert response.status_code == 429


def test_one_name_is_locked_out_from_every_address(client):
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, "lezer", "fout", REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    response = sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429


def test_a_rotating_forwarded_for_without_a_proxy_does_not_lift_the_limit(client, settings):
    settings.RELANCE_PROXIES = 0
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, f"naam-{attempt}", "fout", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    other = UserFactory(username="redacteur", role=Role.READER)
    response = sign_in(client, other.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_one_proxy_only_the_address_it_saw_counts(client, settings):
    settings.RELANCE_PROXIES = 1
    UserFactory(username="redacteur", role=Role.READER)
    # The client writes what it likes before the proxy's entry; the proxy's entry is theirs.
    for attempt in range(LIMIT):
        forwarded = f"203.0.113.{attempt}, 192.0.2.10"
        sign_in(client, f"naam-{attempt}", "fout", HTTP_X_FORWARDED_FOR=forwarded)
    locked = sign_in(client, "redacteur", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.10")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    other = sign_in(client, "redacteur", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.11")
    assert other.status_code == 302


def test_the_lockout_speaks_english_too(client):
    for attempt in range(LIMIT):
        sign_in(client, "lezer", f"fout-{attempt}")
    response = sign_in(client, "lezer", "fout", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Signing in is blocked" in response.content.decode()


def test_an_admin_lifts_a_lockout_with_the_command(client):
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, "lezer", "fout", REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    assert sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 429
    call_command("axes_reset_username", "lezer")
    assert sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 302


def test_an_admin_lifts_a_lockout_in_the_admin_site(client, admin_user):
    reader = UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, "lezer", "fout", REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:projects_user_changelist"),
        {"action": "unlock", "_selected_action": [reader.pk]},
    )
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 302


def test_the_admin_sites_login_counts_and_locks_out_too(client, admin_user):
    for attempt in range(LIMIT):
        client.post(
            reverse("admin:login"), {"username": "beheerder", "password": f"fout-{attempt}"}
        )
    response = client.post(reverse("admin:login"), {"username": "beheerder", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.skipif(
    settings.CACHES["default"]["BACKEND"] != REDIS_CACHE,
    reason="the shared cache is Redis where REDIS_URL is set (CI sets it)",
)
def test_another_process_sees_and_lifts_the_lockout(client):
    """Web processes share the lockout: manage.py in a process of its own lifts it here."""
    UserFactory(username="lezer", role=Role.READER)
    for attempt in range(LIMIT):
        sign_in(client, "lezer", "fout", REMOTE_ADDR=f"198.51.100.{attempt + 1}")
    assert sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 429
    result = manage("axes_reset_username", "lezer", REDIS_URL=settings.REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert sign_in(client, "lezer", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 302


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        (
            {"RELANCE_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "r.example"},
            REDIS_CACHE,
        ),
        ({"REDIS_URL": "redis://127.0.0.1:6379/6"}, REDIS_CACHE),
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
    ],
    ids=["production", "redis-url-set", "development"],
)
def test_the_cache_is_redis_in_production_and_local_only_in_development(env, backend):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", script, **env)
    assert result.stdout.split()[-1] == backend, result.stderr
