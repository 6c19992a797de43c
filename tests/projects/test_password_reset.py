"""The password reset: public, limited per client address and per e-mail address, and the
same answer whether or not an account has the address."""

import pytest
from django.core import mail
from django.urls import reverse

from projects.models.users import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.RELANCE_RESET_RATE_ADDRESS = "4/hour"
    settings.RELANCE_RESET_RATE_ACCOUNT = "2/hour"


def ask(client, email, **headers):
    return client.post(reverse("password_reset"), {"email": email}, **headers)


def test_the_reset_page_is_public_and_linked_from_the_login_page(client):
    assert client.get(reverse("password_reset")).status_code == 200
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client):
    UserFactory(username="lezer", email="lode@relance.example", role=Role.READER)
    known = ask(client, "lode@relance.example")
    unknown = ask(client, "niemand@relance.example", REMOTE_ADDR="198.51.100.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [["lode@relance.example"]]


def test_one_account_gets_a_limited_number_of_mails(client):
    UserFactory(username="lezer", email="lode@relance.example", role=Role.READER)
    for attempt in range(2):
        assert (
            ask(client, "lode@relance.example", REMOTE_ADDR=f"198.51.100.{attempt}").status_code
            == 302
        )
    refused = ask(client, "LODE@relance.example", REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
    assert "te veel" in refused.content.decode().lower()
    assert len(mail.outbox) == 2


def test_an_unknown_address_is_limited_the_same_way(client):
    for attempt in range(2):
        ask(client, "niemand@relance.example", REMOTE_ADDR=f"198.51.100.{attempt}")
    assert ask(client, "niemand@relance.example", REMOTE_ADDR="198.51.100.9").status_code == 429


def test_one_client_address_is_limited_whatever_it_asks_for(client):
    UserFactory(username="lezer", email="lode@relance.example", role=Role.READER)
    for attempt in range(4):
        assert ask(client, f"iemand-{attempt}@relance.example").status_code == 302
    assert ask(client, "lode@relance.example").status_code == 429
    assert mail.outbox == []


def test_a_rotating_forwarded_for_does_not_lift_the_limit_without_a_proxy(client, settings):
    settings.RELANCE_PROXIES = 0
    for attempt in range(4):
        ask(
            client, f"iemand-{attempt}@relance.example", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )
    response = ask(client, "nog-iemand@relance.example", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert response.status_code == 429
