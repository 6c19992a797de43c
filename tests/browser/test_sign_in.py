"""Signing in, switching language and signing out, as a person does it."""

import pytest

from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_BUTTON = "main form[action$='/accounts/login/'] button[type=submit]"


def test_reader_signs_in_switches_language_and_signs_out(page):
    UserFactory(username="lezer", first_name="Lode", role=Role.READER)

    page.goto("/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "lezer")
    page.fill("input[name=password]", PASSWORD)
    page.click(LOGIN_BUTTON)
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "Vlaamse Veerkracht" in page.content()

    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"

    page.click(".user-chip")
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url("**/accounts/login/")
    assert page.console_errors == []


def test_visitors_choose_english_on_the_login_page(page):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_wrong_password_shows_a_message_and_keeps_the_name(page):
    UserFactory(username="lezer", role=Role.READER)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "lezer")
    page.fill("input[name=password]", "fout")
    with page.expect_navigation():
        page.click(LOGIN_BUTTON)
    assert "/accounts/login/" in page.url
    assert page.input_value("input[name=username]") == "lezer"
    assert page.locator(".alert-danger, .errorlist, .invalid-feedback").count() >= 1
