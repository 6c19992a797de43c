"""The progress report as a PDF, through WeasyPrint, without touching the network.

The report's HTML is laid out under a made-up origin; the only URLs WeasyPrint may fetch
are that origin's static files, served from disk (the app's static directories, or
STATIC_ROOT once collected). Anything else is refused, and WeasyPrint leaves it out.

Laying out some two hundred pages takes WeasyPrint a good many seconds. A closed round's
report never changes, so its PDF is kept in MEDIA_ROOT/reports, under a hash of the HTML
and the stylesheet it was made from: the same HTML always gives the same PDF, whoever asks
for it, and a change to the data, the template or the stylesheet makes a new one.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML, Document, URLFetcher
from weasyprint.urls import URLFetcherResponse

ORIGIN = "https://relance.invalid"
STYLESHEET = "css/report.css"

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


class StaticFilesFetcher(URLFetcher):
    """Serves the static files of the report's made-up origin; refuses every other URL."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        prefix = urlsplit(settings.STATIC_URL).path
        if f"{parts.scheme}://{parts.netloc}" == ORIGIN and parts.path.startswith(prefix):
            path = _static_file(unquote(parts.path[len(prefix) :]))
            if path is not None:
                mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                with open(path, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        raise ValueError(f"The report fetches nothing but its own static files: {url}")


def render_document(html: str) -> Document:
    """The laid-out pages of ``html``: for the PDF, and for tests that read the pages."""
    return HTML(string=html, base_url=f"{ORIGIN}/", url_fetcher=StaticFilesFetcher()).render()


# Tagged for accessibility: PDF/UA-1 (WeasyPrint's variant, which turns on pdf_tags); the
# template gives the language (html lang) and the title it needs.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    pdf = render_document(html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return pdf


def cached_pdf(html: str, *, name: str) -> bytes:
    """The PDF of ``html``, made once and kept as ``reports/<name>-<hash>.pdf`` (older
    versions of ``name`` are removed). Only for what never changes: a closed round."""
    stylesheet = _static_file(STYLESHEET)
    digest = hashlib.sha256(html.encode())
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
