"""The second factor (django-otp): required for coordinators and admins where
RELANCE_REQUIRE_TWO_FACTOR is on (production), not by default in development."""

from binascii import unhexlify

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from projects.accounts.two_factor import enrol_authenticator, new_secret
from projects.models.users import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.RELANCE_REQUIRE_TWO_FACTOR = True


def code(key: str, steps_ahead: int = 0) -> str:
    totp = TOTP(unhexlify(key))
    totp.drift = steps_ahead
    return f"{totp.token():06d}"


def sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def enrolled(user):
    key = new_secret()
    device, codes = enrol_authenticator(user=user, key=key, token=code(key))
    return key, codes


def test_development_signs_in_with_the_password_alone(client, coordinator):
    sign_in(client, "coordinator")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_production_sends_coordinators_and_admins_to_enrol(client, role):
    UserFactory(username="koen", role=role)
    sign_in(client, "koen")
    for url in ["/", "/projects/", "/admin/", "/exports/workbook.xlsx", "/rounds/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two-factor-setup")), url


@pytest.mark.usefixtures("required")
def test_a_refused_post_writes_nothing_before_the_second_factor(client, coordinator):
    sign_in(client, "coordinator")
    response = client.post(
        reverse("rounds:create"),
        {"code": "2030-06", "name": "Juni 2030", "reference_date": "2030-06-30",
         "deadline": "2030-07-15"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))
    from projects.models import ReportingRound

    assert not ReportingRound.objects.filter(code="2030-06").exists()


@pytest.mark.usefixtures("required")
def test_readers_and_editors_need_no_second_factor(client, reader, editor):
    for user in (reader, editor):
        sign_in(client, user.username)
        assert client.get(reverse("home")).status_code == 200
        client.logout()


@pytest.mark.usefixtures("required")
def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes_once(client, coordinator):
    sign_in(client, "coordinator")
    page = client.get(reverse("two-factor-setup"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "otpauth://totp/" in html
    key = client.session["relance_two_factor_key"]

    wrong = client.post(reverse("two-factor-setup"), {"token": "000000"})
    assert "klopt niet" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()

    done = client.post(reverse("two-factor-setup") + "?next=/rounds/", {"token": code(key)})
    assert done.status_code == 200
    codes = list(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert all(token in done.content.decode() for token in codes)
    assert TOTPDevice.objects.get(user=coordinator).confirmed
    # Verified in this session; the codes are not shown again.
    assert client.get(reverse("home")).status_code == 200
    again = client.get(reverse("two-factor-setup")).content.decode()
    assert not any(token in again for token in codes)


@pytest.mark.usefixtures("required")
def test_the_code_is_asked_after_the_password_at_every_sign_in(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code below
    key, _codes = enrolled(coordinator)
    sign_in(client, "coordinator")
    response = client.get("/rounds/")
    assert response["Location"] == f"{reverse('two-factor-verify')}?next=/rounds/"

    wrong = client.post(reverse("two-factor-verify"), {"token": "123456", "next": "/rounds/"})
    assert wrong.status_code == 200
    assert client.get("/rounds/").status_code == 302

    right = client.post(
        reverse("two-factor-verify"), {"token": code(key, steps_ahead=1), "next": "/rounds/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/rounds/"
    assert client.get("/rounds/").status_code == 200


@pytest.mark.usefixtures("required")
def test_a_recovery_code_works_once(client, coordinator):
    _key, codes = enrolled(coordinator)
    sign_in(client, "coordinator")
    response = client.post(reverse("two-factor-verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9

    client.logout()
    sign_in(client, "coordinator")
    again = client.post(reverse("two-factor-verify"), {"token": codes[0]})
    assert again.status_code == 200
    assert "al gebruikt" in again.content.decode()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.usefixtures("required")
def test_an_enrolled_user_cannot_enrol_another_app_without_the_code(client, coordinator):
    enrolled(coordinator)
    device = TOTPDevice.objects.get(user=coordinator)
    sign_in(client, "coordinator")
    response = client.get(reverse("two-factor-setup"))
    assert response["Location"].startswith(reverse("two-factor-verify"))
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [device]


@pytest.mark.usefixtures("required")
def test_the_admin_site_login_also_asks_the_second_factor(client, admin_user):
    enrolled(admin_user)
    response = client.post(reverse("admin:login"), {"username": "beheerder", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("two-factor-verify"))


def test_production_settings_require_the_second_factor():
    from tests.relance.test_settings import manage

    script = "from django.conf import settings; print(settings.RELANCE_REQUIRE_TWO_FACTOR)"
    production = manage(
        "shell", "-c", script, RELANCE_ENV="production", SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="relance.example",
    )  # fmt: skip
    assert production.stdout.split()[-1] == "True", production.stderr
    development = manage("shell", "-c", script)
    assert development.stdout.split()[-1] == "False", development.stderr
