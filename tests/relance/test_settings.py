"""Configuration from the environment: safe defaults, and production refuses to guess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "RELANCE_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_stops_and_names_the_missing_secret(missing):
    env = {"RELANCE_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "relance.example"}
    del env[missing]
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the environment variable {missing}" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage(
        *("check", "--deploy", "--fail-level", "WARNING"),
        RELANCE_ENV="production",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="relance.example",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_secret_may_start_with_a_dollar():
    result = manage(
        *("check", "--deploy", "--fail-level", "WARNING"),
        RELANCE_ENV="production",
        SECRET_KEY="$" + get_random_secret_key(),
        ALLOWED_HOSTS="relance.example",
    )
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_is_refused():
    result = manage("check", RELANCE_ENV="staging")
    assert result.returncode != 0
    assert "RELANCE_ENV must be 'development' or 'production'" in result.stderr


def test_development_needs_nothing_set():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_settings_follow_the_brief(settings):
    assert settings.TIME_ZONE == "Europe/Brussels"
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.CELERY_TASK_SERIALIZER == "json"
