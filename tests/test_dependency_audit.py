"""`make lint` audits the dependencies with pip-audit, and never calls unchecked clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "audit_dependencies.py"

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.8", "vulns": []}]}
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.8"]}],
        }
    ]
}
UNREACHABLE = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    ]
}


def audit(tmp_path, report, *, required=False):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    env = {**os.environ, "RELANCE_AUDIT_REQUIRED": "1" if required else "0"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--from-json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_make_lint_runs_the_audit():
    lint = (ROOT / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    assert "scripts/audit_dependencies.py" in lint
    assert "pip-audit" in (ROOT / "pyproject.toml").read_text()


def test_a_vulnerable_package_fails_the_audit(tmp_path):
    done = audit(tmp_path, VULNERABLE)
    assert done.returncode == 1
    assert "PYSEC-2025-1" in done.stderr
    assert "5.2.8" in done.stderr


def test_every_package_checked_and_none_vulnerable_passes(tmp_path):
    done = audit(tmp_path, CLEAN)
    assert done.returncode == 0
    assert "1 packages checked, no known vulnerabilities" in done.stdout


@pytest.mark.parametrize("required", [False, True])
def test_an_unreachable_database_is_not_called_clean(tmp_path, required):
    done = audit(tmp_path, UNREACHABLE, required=required)
    assert "NOT AUDITED" in done.stdout + done.stderr
    assert "no known vulnerabilities" not in done.stdout
    assert done.returncode == (1 if required else 0)
