#!/usr/bin/env python3
"""Audit the installed dependencies for known vulnerabilities with pip-audit, honestly.

pip-audit asks a vulnerability database (PyPI's JSON API by default) about every installed
package. Where that database cannot be reached (a machine that sees only a package mirror),
pip-audit skips each package and still says "No known vulnerabilities found". This script
reads its JSON report instead and says which of three things happened:

- a package has a known vulnerability: it lists them and fails (exit 1);
- some packages could not be checked: it says NOT AUDITED with their count, and fails only
  when RELANCE_AUDIT_REQUIRED=1 (set it where the database is reachable: the release CI);
- every package was checked and none is vulnerable: exit 0.

Usage: audit_dependencies.py [--from-json REPORT]   (default: run pip-audit now)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def run_pip_audit() -> dict:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(pip_audit), "--skip-editable", "--progress-spinner", "off",
            "--format", "json", "--output", str(report),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if not report.exists():
            # pip-audit itself failed (no network at all, say): nothing was checked.
            return {"dependencies": [], "error": (done.stderr or done.stdout).strip()[-500:]}
        return json.loads(report.read_text())


def verdict(report: dict, *, required: bool) -> tuple[int, str]:
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d.get('version', '')}: "
            + ", ".join(f"{v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or '?'})"
                        for v in d["vulns"])
            for d in vulnerable
        ]  # fmt: skip
        return 1, "pip-audit: known vulnerabilities:\n" + "\n".join(lines)
    if report.get("error") or not dependencies or skipped:
        reason = report.get("error") or (skipped[0]["skip_reason"] if skipped else "no report")
        message = (
            f"pip-audit: NOT AUDITED: {len(skipped)} of {len(dependencies)} packages could not "
            f"be checked; the vulnerability database is not reachable from here ({reason}). "
            "Run `make lint` where it is, with RELANCE_AUDIT_REQUIRED=1."
        )
        return (1 if required else 0), message
    return 0, f"pip-audit: {len(dependencies)} packages checked, no known vulnerabilities."


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--from-json":
        report = json.loads(Path(argv[1]).read_text())
    elif not argv:
        report = run_pip_audit()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    code, message = verdict(report, required=os.environ.get("RELANCE_AUDIT_REQUIRED") == "1")
    print(message, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
