"""manage.py add_user NAME --role ROLE [--domain CODE ...] [--email ADDR]"""

import pytest
from django.core.management import CommandError, call_command

from projects.models import User
from projects.models.users import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-geheim-42"


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("RELANCE_PASSWORD", PASSWORD)


def test_creates_an_editor_with_domains(domain, other_domain, capsys):
    call_command("add_user", "ria", "--role", "editor", "--domain", "mow", "--domain", "OMG",
                 "--email", "ria@relance.example")  # fmt: skip
    user = User.objects.get(username="ria")
    assert user.role == Role.EDITOR
    assert set(user.domains.values_list("code", flat=True)) == {"MOW", "OMG"}
    assert user.email == "ria@relance.example"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert "ria: aangemaakt" in capsys.readouterr().out


def test_refuses_an_editor_without_a_domain():
    with pytest.raises(CommandError, match="minstens één beleidsdomein"):
        call_command("add_user", "ria", "--role", "editor")
    assert not User.objects.filter(username="ria").exists()


def test_refuses_an_unknown_domain_and_names_the_known_ones(domain):
    with pytest.raises(CommandError, match=r"Onbekend beleidsdomein: XYZ\. Bekende codes: MOW"):
        call_command("add_user", "ria", "--role", "editor", "--domain", "XYZ")
    assert not User.objects.filter(username="ria").exists()


def test_refuses_domains_for_other_roles(domain):
    with pytest.raises(CommandError, match="Alleen een redacteur"):
        call_command("add_user", "koen", "--role", "coordinator", "--domain", "MOW")
    assert not User.objects.exists()


def test_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("add_user", "x", "--role", "boss")


def test_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("RELANCE_PASSWORD", "1234")
    with pytest.raises(CommandError, match="te kort|too short"):
        call_command("add_user", "koen", "--role", "reader")
    assert not User.objects.exists()


def test_a_new_user_needs_a_password(monkeypatch):
    monkeypatch.delenv("RELANCE_PASSWORD")
    with pytest.raises(CommandError, match="RELANCE_PASSWORD"):
        call_command("add_user", "koen", "--role", "reader")
    assert not User.objects.exists()


def test_updates_an_existing_user_keeping_the_password(domain, monkeypatch):
    user = UserFactory(username="koen", role=Role.EDITOR, domains=[domain])
    old_hash = user.password
    monkeypatch.delenv("RELANCE_PASSWORD")
    call_command("add_user", "koen", "--role", "coordinator")
    user.refresh_from_db()
    assert user.role == Role.COORDINATOR
    assert user.is_staff
    assert not user.domains.exists()
    assert user.password == old_hash


@pytest.mark.parametrize(
    ("role", "staff"), [("admin", True), ("coordinator", True), ("reader", False)]
)
def test_roles_and_admin_site_access(role, staff):
    call_command("add_user", "u", "--role", role)
    user = User.objects.get(username="u")
    assert user.role == role
    assert user.is_staff is staff
