"""The progress report (and the indicator notes) as a PDF, printed by Debian's headless
Chromium through Playwright, without touching the network.

Chromium won on the numbers (benchmarks/pdf_renderers.md): it prints the report's two
hundred pages several times faster than WeasyPrint laid them out. A process prints its PDFs
one at a time with one Chromium (``settings.RELANCE_CHROMIUM``, never a downloaded one),
kept while there is work, in a thread of its own, so that Playwright's event loop never
meets the caller's; each PDF gets a fresh browser context (chromium.py).

The HTML is loaded under a made-up origin; every request the page makes goes through one
handler, which serves that origin's static files from disk (the app's static directories,
or STATIC_ROOT once collected) and refuses everything else. Scripts do not run.

The PDF is tagged (PDF/UA: a structure tree, /MarkInfo, the document's /Lang from
``<html lang>`` and its title from ``<title>``, shown as the window's title). Its outline
holds the two top levels of headings (the sections and the fiches), as the report's own
contents did; Chromium gives every heading, so the deeper ones are cut off afterwards, and
the XMP metadata PDF/UA asks for is added (pdfua.py).
Chromium has no ``string-set``: the running title at the foot of each page is the
document's ``<title>``, set here as a page-margin rule.

A closed round's report never changes, so its PDF is kept in MEDIA_ROOT/reports, under a
hash of the renderer, the HTML and the stylesheet it was made from: the same HTML always
gives the same PDF, whoever asks for it, and a change to the data, the template or the
stylesheet makes a new one.
"""

from __future__ import annotations

import hashlib
import html as html_module
import logging
import mimetypes
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

from .chromium import ORIGIN, PRINTER, PdfError
from .pdfua import finish

__all__ = ["ORIGIN", "PdfError", "cached_pdf", "print_html", "render_pdf", "static_response"]

STYLESHEET = "css/report.css"
# Part of a kept PDF's name: a PDF made by another renderer is made again.
RENDERER = "chromium-1"

logger = logging.getLogger(__name__)


def _static_file(name: str) -> str | None:
    try:
        found = finders.find(name)
        if isinstance(found, str):
            return found
        if staticfiles_storage.exists(name):
            return str(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return None


def static_response(url: str) -> tuple[bytes, str]:
    """The body and content type of one of the made-up origin's static files; a
    ValueError for any other URL."""
    parts = urlsplit(url)
    prefix = urlsplit(settings.STATIC_URL).path
    if f"{parts.scheme}://{parts.netloc}" == ORIGIN and parts.path.startswith(prefix):
        path = _static_file(unquote(parts.path[len(prefix) :]))
        if path is not None:
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return Path(path).read_bytes(), mime_type
    raise ValueError(f"The report fetches nothing but its own static files: {url}")


def _css_string(text: str) -> str:
    """``text`` as a CSS string: letters, digits and a few signs as they are, the rest
    escaped."""
    escaped = (c if c.isalnum() or c in " ·-,.:()" else f"\\{ord(c):x} " for c in text)
    return '"' + "".join(escaped) + '"'


def with_running_title(html: str) -> str:
    """``html`` with a rule putting its ``<title>`` at the foot of every page but the
    first (the cover): what WeasyPrint's ``string-set`` did, which Chromium lacks."""
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    if title is None:
        return html
    text = " ".join(html_module.unescape(title.group(1)).split())
    rule = (
        f"<style>@page {{ @bottom-left {{ content: {_css_string(text)}; }} }}"
        " @page :first { @bottom-left { content: none; } }</style>"
    )
    head_end = html.find("</head>")
    return html if head_end < 0 else html[:head_end] + rule + html[head_end:]


def print_html(html: str) -> bytes:
    """Chromium's PDF of ``html``, as it prints it (by this process's printer), with
    nothing but the static files to fetch."""
    return PRINTER.print(html, executable=settings.RELANCE_CHROMIUM, fetch=static_response)


def render_pdf(html: str) -> bytes:
    """The tagged PDF of ``html`` (a report or an indicator note, made with pdf=True)."""
    return finish(print_html(with_running_title(html)))


def cached_pdf(html: str, *, name: str) -> bytes:
    """The PDF of ``html``, made once and kept as ``reports/<name>-<hash>.pdf`` (older
    versions of ``name`` are removed). Only for what never changes: a closed round."""
    stylesheet = _static_file(STYLESHEET)
    digest = hashlib.sha256(RENDERER.encode())
    digest.update(html.encode())
    if stylesheet is not None:
        digest.update(Path(stylesheet).read_bytes())
    folder = Path(settings.MEDIA_ROOT) / "reports"
    target = folder / f"{name}-{digest.hexdigest()[:32]}.pdf"
    if target.exists():
        return target.read_bytes()
    pdf = render_pdf(html)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            handle.write(pdf)
        os.replace(handle.name, target)  # whole or not at all, even with two writers
        for older in folder.glob(f"{name}-{'[0-9a-f]' * 32}.pdf"):
            if older != target:
                older.unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not keep the report %s in %s", name, folder, exc_info=True)
    return pdf
