"""The system check for the Chromium that prints the PDFs (relance.checks): an error in
production, a warning elsewhere, nothing when it is there."""

import stat

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from relance.checks import chromium_check


def test_a_missing_chromium_is_a_warning_in_development(settings, tmp_path):
    settings.PRODUCTION = False
    settings.RELANCE_CHROMIUM = str(tmp_path / "chromium")

    (message,) = chromium_check()

    assert message.level == checks.WARNING
    assert message.id == "relance.W001"
    assert str(tmp_path / "chromium") in message.msg
    assert "chromium package" in message.hint
    call_command("check")  # a warning does not stop the server


def test_a_missing_chromium_stops_production(settings, tmp_path):
    settings.PRODUCTION = True
    settings.RELANCE_CHROMIUM = str(tmp_path / "chromium")

    (message,) = chromium_check()

    assert message.level == checks.ERROR
    assert message.id == "relance.E001"
    with pytest.raises(SystemCheckError, match="relance.E001"):
        call_command("check")


def test_a_file_that_is_not_executable_is_no_chromium(settings, tmp_path):
    settings.PRODUCTION = True
    fake = tmp_path / "chromium"
    fake.write_text("not a browser")
    settings.RELANCE_CHROMIUM = str(fake)

    assert [m.id for m in chromium_check()] == ["relance.E001"]
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert chromium_check() == []


def test_debians_chromium_passes(settings):
    settings.PRODUCTION = True
    settings.RELANCE_CHROMIUM = "/usr/bin/chromium"

    assert chromium_check() == []


@pytest.mark.parametrize(
    ("sandbox", "euid", "sandboxed"),
    [(True, 1000, True), (True, 0, False), (False, 1000, False), (False, 0, False)],
)
def test_chromiums_sandbox_stays_on_but_as_root_or_when_switched_off(sandbox, euid, sandboxed):
    from relance.reporting.chromium import chromium_args

    args = chromium_args(sandbox=sandbox, euid=euid)

    assert ("--no-sandbox" not in args) is sandboxed
    assert "--headless" in args
