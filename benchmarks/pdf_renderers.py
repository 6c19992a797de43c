"""The report PDF against Chromium printing the same HTML (issue 16: within 2x).

Times, on the progress report of one closed round of the database ``DATABASE_URL`` names
(the latest closed round by default), in the same run and alternately:

- ``render_pdf``: what the application does (relance/reporting/pdf.py), from cold:
  Playwright launches Debian's Chromium, loads the HTML under its made-up origin, prints it
  tagged with an outline, and pypdf finishes the PDF (outline cut, XMP);
- bare Chromium: ``chromium --headless --print-to-pdf`` of the same HTML, saved to a file
  with the stylesheet's URL pointing at the static directory on disk (file://).

    DATABASE_URL=... python -m benchmarks.pdf_renderers [ROUND_CODE] [--repeat N]

Prints the median wall time of each, the pages and size of each PDF, and the ratio;
``make bench`` takes the same measurement at 1x (``measure``). Neither touches the network.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TARGET_RATIO = 2.0


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _bare_chromium(html: str, folder: Path) -> bytes:
    source = folder / "report.html"
    source.write_text(html.replace('"/static/', f'"file://{ROOT}/static/'), encoding="utf-8")
    target = folder / "report.pdf"
    target.unlink(missing_ok=True)
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    return target.read_bytes()


def report_html_of(code: str | None = None) -> tuple[str, str, float]:
    """The Dutch report HTML of the round ``code`` (the latest closed one by default), its
    code, and the seconds it took to build."""
    from projects.models import ReportingRound
    from relance.reporting.package import report_html
    from relance.reporting.report import build_report

    rounds = ReportingRound.objects.closed().order_by("-reference_date")
    reporting_round = rounds.get(code=code) if code else rounds.first()
    assert reporting_round is not None, "no closed round: load a plan first"
    started = time.perf_counter()
    html = report_html(build_report(reporting_round, language="nl"), pdf=True, language="nl")
    return html, reporting_round.code, time.perf_counter() - started


def measure(html: str, repeat: int = 3) -> dict:
    """``render_pdf`` and bare Chromium on ``html``, alternately, ``repeat`` times each.
    ``render_pdf`` starts cold each time, as bare Chromium does: the process's Chromium is
    stopped first (a worker that printed a minute ago would reuse its own)."""
    from relance.reporting.chromium import PRINTER
    from relance.reporting.pdf import render_pdf

    timings: dict[str, list[float]] = {"render_pdf": [], "chromium": []}
    made: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="relance-pdf-bench-") as folder:
        for _ in range(repeat):
            PRINTER.stop()
            started = time.perf_counter()
            made["render_pdf"] = render_pdf(html)
            timings["render_pdf"].append(time.perf_counter() - started)
            started = time.perf_counter()
            made["chromium"] = _bare_chromium(html, Path(folder))
            timings["chromium"].append(time.perf_counter() - started)
    medians = {name: statistics.median(runs) for name, runs in timings.items()}
    return {
        "html_mb": len(html.encode()) / 1e6,
        "seconds": medians["render_pdf"],
        "chromium_seconds": medians["chromium"],
        "ratio": medians["render_pdf"] / medians["chromium"],
        "runs": timings,
        "pages": {name: _pages(pdf) for name, pdf in made.items()},
        "pdf_mb": {name: len(pdf) / 1e6 for name, pdf in made.items()},
    }


def line(measured: dict) -> str:
    """The benchmark table's line for the report PDF."""
    verdict = "met" if measured["ratio"] <= TARGET_RATIO else "MISSED"
    return (
        f"report PDF {measured['round']} ({measured['pages']['render_pdf']} pages): "
        f"render_pdf {measured['seconds']:.1f} s, chromium --print-to-pdf "
        f"{measured['chromium_seconds']:.1f} s, ratio {measured['ratio']:.2f}x "
        f"(target ≤ {TARGET_RATIO:.0f}x): {verdict}"
    )


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")
    import django

    django.setup()
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    codes = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    html, code, html_seconds = report_html_of(codes[0] if codes else None)
    measured = {**measure(html, repeat), "round": code}
    print(f"round {code}: HTML {measured['html_mb']:.1f} MB in {html_seconds:.1f} s")
    print("| renderer | median s | runs | pages | PDF MB |")
    print("|---|---|---|---|---|")
    for name, runs in measured["runs"].items():
        print(
            f"| {name} | {statistics.median(runs):.1f} | {', '.join(f'{r:.1f}' for r in runs)}"
            f" | {measured['pages'][name]} | {measured['pdf_mb'][name]:.1f} |"
        )
    print(line(measured))


if __name__ == "__main__":
    main(sys.argv[1:])
