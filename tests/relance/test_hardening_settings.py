"""The settings behind issue 15's hardening: the CSP's form targets, where uploads live,
and Django's upload limits."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_forms_may_only_post_to_the_application(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "form-action 'self'" in policy


def test_uploads_live_outside_the_tracked_tree_by_default():
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.MEDIA_ROOT)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "relance.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    media_root = Path(done.stdout.strip())
    assert media_root == ROOT / "var" / "media"
    assert "/var/" in (ROOT / ".gitignore").read_text().split()


def test_django_reads_no_large_body_into_memory(settings):
    # Files past this stream to a temporary file; the request's declared size is bounded.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.RELANCE_UPLOAD_MAX_BYTES > settings.RELANCE_WORKBOOK_MAX_BYTES
    assert settings.MIDDLEWARE.index("relance.middleware.RequestSizeLimitMiddleware") < (
        settings.MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware")
    )
