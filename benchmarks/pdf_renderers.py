"""The report PDF's two candidate renderers on the same HTML: WeasyPrint (what the
application uses, relance/reporting/pdf.py) and Debian's headless Chromium
(``--print-to-pdf``), each timed on the progress report of one round of the database
``DATABASE_URL`` names (the demo plan's December 2023 by default: 1x).

    DATABASE_URL=... python -m benchmarks.pdf_renderers [ROUND_CODE] [--repeat N]

Prints the median wall time of each, the number of pages and the size of each PDF, and
their ratio. Chromium fetches the report's stylesheet from the static directory on disk
(file://), as WeasyPrint does through its own fetcher; neither touches the network.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _pages(pdf: bytes) -> str:
    """The page objects in the PDF's plain text ("?" when they are in compressed object
    streams, as in WeasyPrint's tagged PDF)."""
    return str(len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) or "?")


def _chromium(html: str, folder: Path) -> bytes:
    source = folder / "report.html"
    source.write_text(html.replace('"/static/', f'"file://{ROOT}/static/'), encoding="utf-8")
    target = folder / "report.pdf"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return target.read_bytes()


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    import django

    django.setup()
    from projects.models import ReportingRound
    from relance.reporting.package import report_html
    from relance.reporting.pdf import render_pdf
    from relance.reporting.report import build_report

    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    codes = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    rounds = ReportingRound.objects.closed().order_by("-reference_date")
    reporting_round = rounds.get(code=codes[0]) if codes else rounds.first()
    assert reporting_round is not None, "no closed round: load the demo plan first"
    started = time.perf_counter()
    html = report_html(build_report(reporting_round, language="nl"), pdf=True, language="nl")
    html_seconds = time.perf_counter() - started
    timings: dict[str, list[float]] = {"weasyprint": [], "chromium": []}
    made: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            started = time.perf_counter()
            made["weasyprint"] = render_pdf(html)
            timings["weasyprint"].append(time.perf_counter() - started)
            started = time.perf_counter()
            made["chromium"] = _chromium(html, Path(folder))
            timings["chromium"].append(time.perf_counter() - started)
    print(f"round {reporting_round.code}: HTML {len(html) / 1e6:.1f} MB in {html_seconds:.1f} s")
    print("| renderer | median s | runs | pages | PDF MB |")
    print("|---|---|---|---|---|")
    for name, runs in timings.items():
        print(
            f"| {name} | {statistics.median(runs):.1f} | {', '.join(f'{r:.1f}' for r in runs)}"
            f" | {_pages(made[name])} | {len(made[name]) / 1e6:.1f} |"
        )
    ratio = statistics.median(timings["weasyprint"]) / statistics.median(timings["chromium"])
    print(f"WeasyPrint / Chromium: {ratio:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
