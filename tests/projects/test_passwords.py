"""Password rules: at least 12 characters, and never the user's name inside, in add_user
and the admin site alike."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from projects.accounts.validators import UserAttributeContainedValidator
from projects.models import User
from projects.models.users import Role
from relance.demo.users import DEMO_PASSWORD, DEMO_USERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password", ["lezerlezer", "lezerlezerlezer", "Wachtwoord-LEZER-2026", "le-zer-le-zer-12"]
)
def test_a_password_holding_the_name_is_refused(password):
    user = User(username="lezer", email="lode@relance.example")
    with pytest.raises(ValidationError):
        UserAttributeContainedValidator().validate(password, user)
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_djangos_similarity_rule_alone_accepts_lezerlezer():
    """Why the validator is there: the similarity ratio of lezerlezer to lezer is 0.67."""
    from django.contrib.auth.password_validation import UserAttributeSimilarityValidator

    UserAttributeSimilarityValidator().validate("lezerlezer", User(username="lezer"))


def test_the_mail_domain_is_no_name():
    user = User(username="lode", email="lode.peeters@relance.example")
    validate_password("relance-werkt-2026", user)
    with pytest.raises(ValidationError):
        validate_password("peeters-werkt-2026", user)


def test_eleven_characters_are_too_few():
    with pytest.raises(ValidationError, match="12"):
        validate_password("kort-maar-x", User(username="koen"))
    validate_password("lang-genoeg-x", User(username="koen"))


@pytest.mark.parametrize(("username", "role", "codes", "first_name"), DEMO_USERS)
def test_the_demo_password_passes_the_rules(username, role, codes, first_name):
    user = User(username=username, first_name=first_name, email=f"{username}@relance.example")
    validate_password(DEMO_PASSWORD, user)


def test_add_user_refuses_the_name_in_the_password(monkeypatch):
    monkeypatch.setenv("RELANCE_PASSWORD", "koenkoenkoen-1")
    with pytest.raises(CommandError, match="gebruikersnaam"):
        call_command("add_user", "koen", "--role", "reader")
    assert not User.objects.exists()


def test_the_admin_password_form_applies_the_rules(client, admin_user):
    user = UserFactory(username="lezer", role=Role.READER)
    before = User.objects.get(pk=user.pk).password
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": "lezerlezer12", "password2": "lezerlezer12"})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).password == before


def test_passwords_are_stored_with_argon2id_and_older_hashes_upgraded_at_sign_in(client, settings):
    """The deployment's hashers (the suite's own fixture swaps in a fast one): a new
    password is Argon2id; one stored by PBKDF2 still signs in, and is stored again as
    Argon2id."""
    from django.contrib.auth.hashers import make_password

    from relance.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    password = "relance-werkt-2026"
    fresh = UserFactory(username="nieuw")
    fresh.set_password(password)
    assert fresh.password.startswith("argon2$argon2id$")

    older = UserFactory(username="ouder", role=Role.READER)
    User.objects.filter(pk=older.pk).update(
        password=make_password(password, hasher="pbkdf2_sha256")
    )
    response = client.post(reverse("login"), {"username": "ouder", "password": password})
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.password.startswith("argon2$argon2id$")
