"""The second factor as a coordinator meets it in production: enrolling an authenticator
app at the first sign-in, then a recovery code at the next."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_BUTTON = "main form[action$='/accounts/login/'] button[type=submit]"


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(LOGIN_BUTTON)


def test_a_coordinator_enrols_then_signs_in_with_a_recovery_code(page, settings):
    settings.RELANCE_REQUIRE_TWO_FACTOR = True
    UserFactory(username="koen", first_name="Koen", role=Role.COORDINATOR)

    sign_in(page, "koen")
    page.wait_for_url("**/accounts/two-factor/?next=/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    secret = page.inner_text(".two-factor-secret").replace(" ", "")
    code = TOTP(b32decode(secret)).token()
    page.fill("input[name=token]", f"{code:06d}")
    page.click("main form button[type=submit]")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("text=Ik heb ze bewaard, verder")
    page.wait_for_url("**/")
    assert "Vlaamse Veerkracht" in page.content()

    page.click(".user-chip")
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url("**/accounts/login/")

    sign_in(page, "koen")
    page.wait_for_url("**/accounts/two-factor/verify/?next=/")
    page.fill("input[name=token]", codes[0])
    page.click("main form[action$='/verify/'] button[type=submit]")
    page.wait_for_url("**/")
    assert "herstelcode" in page.content()
    assert page.console_errors == []
