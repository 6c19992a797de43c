"""The progress report (and the indicator notes) as a PDF, printed by Debian's headless
Chromium through Playwright, without touching the network.

Chromium won on the numbers (benchmarks/pdf_renderers.md): it prints the report's two
hundred pages several times faster than WeasyPrint laid them out. Each PDF is printed by a
browser of its own (``settings.RELANCE_CHROMIUM``, never a downloaded one), in a thread of
its own, so that Playwright's event loop never meets the caller's.

The HTML is loaded under a made-up origin; every request the page makes goes through one
handler, which serves that origin's static files from disk (the app's static directories,
or STATIC_ROOT once collected) and refuses everything else. Scripts do not run.

The PDF is tagged (PDF/UA: a structure tree, /MarkInfo, the document's /Lang from
``<html lang>`` and its title from ``<title>``, shown as the window's title). Its outline
holds the two top levels of headings (the sections and the fiches), as the report's own
contents did; Chromium gives every heading, so the deeper ones are cut off afterwards.
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
import io
import logging
import mimetypes
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

ORIGIN = "https://relance.invalid"
DOCUMENT_URL = f"{ORIGIN}/document.html"
STYLESHEET = "css/report.css"
# Part of a kept PDF's name: a PDF made by another renderer is made again.
RENDERER = "chromium-1"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]
# The longest a print may take (Playwright's default is 30 s; a report at a country's
# scale has thousands of pages).
TIMEOUT_MS = 30 * 60 * 1000
OUTLINE_DEPTH = 2

logger = logging.getLogger(__name__)


class PdfError(RuntimeError):
    """The PDF could not be printed (no Chromium, or Chromium failed)."""


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
    """Chromium's PDF of ``html``, as it prints it. In a thread of its own: Playwright's
    sync API runs an event loop, which may not nest in the caller's."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="relance-pdf") as pool:
        return pool.submit(_print, html).result()


def _print(html: str) -> bytes:
    from playwright.sync_api import Error, Route, sync_playwright

    refused: list[str] = []

    def serve(route: Route) -> None:
        url = route.request.url
        if url == DOCUMENT_URL:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
            return
        try:
            body, content_type = static_response(url)
        except (ValueError, OSError):
            refused.append(url)
            route.abort("blockedbyclient")
            return
        route.fulfill(body=body, content_type=content_type)

    executable = settings.RELANCE_CHROMIUM
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, timeout=120_000
            )
            try:
                context = browser.new_context(java_script_enabled=False, service_workers="block")
                context.set_default_timeout(TIMEOUT_MS)
                context.route("**/*", serve)
                page = context.new_page()
                page.goto(DOCUMENT_URL, wait_until="load")
                pdf = page.pdf(
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    tagged=True,
                    outline=True,
                )
            finally:
                browser.close()
    except Error as error:
        if not os.access(executable, os.X_OK):
            raise PdfError(
                f"No Chromium at {executable} (RELANCE_CHROMIUM): the PDFs need Debian's "
                "chromium package."
            ) from error
        raise PdfError(f"Chromium could not print the PDF: {error.message}") from error
    if refused:
        logger.warning("The PDF left out what it may not fetch: %s", ", ".join(refused[:5]))
    return pdf


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfuaid:part>1</pdfuaid:part>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def finish(pdf: bytes, *, outline_depth: int = OUTLINE_DEPTH) -> bytes:
    """Chromium's tagged ``pdf`` made a PDF/UA-1 document: its outline cut below
    ``outline_depth`` levels, and the XMP metadata PDF/UA asks for (the identification, the
    title, the language), as an incremental update that appends only what changes.
    (pypdf's own incremental writer reads every object of the file first: seconds.)"""
    from pypdf import PdfReader
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        PdfObject,
    )

    # Strict: Chromium's cross-reference table is right, and pypdf would otherwise check
    # every entry of it against the file (most of the time this takes).
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    previous = re.findall(rb"startxref\s+(\d+)", pdf[-1024:])
    root = reader.trailer.raw_get("/Root")
    if not previous or not isinstance(root, IndirectObject):
        raise PdfError("Chromium's PDF has no cross-reference table to update.")
    changed: dict[int, tuple[int, PdfObject]] = {}

    def dictionary(value: object) -> DictionaryObject:
        if isinstance(value, IndirectObject):
            value = value.get_object()
        if not isinstance(value, DictionaryObject):
            raise PdfError(f"Chromium's PDF has {value!r} where a dictionary belongs.")
        return value

    def cut(reference: IndirectObject, level: int) -> int:
        """Cuts below the item ``reference`` (at ``level``); how many items stay under it."""
        item = dictionary(reference)
        if level >= outline_depth:
            if "/First" in item:
                for key in ("/First", "/Last", "/Count"):
                    item.pop(NameObject(key), None)
                changed[reference.idnum] = (reference.generation, item)
            return 0
        count = 0
        child = item.raw_get("/First") if "/First" in item else None
        while isinstance(child, IndirectObject):
            count += 1 + cut(child, level + 1)
            sibling = dictionary(child)
            child = sibling.raw_get("/Next") if "/Next" in sibling else None
        if "/Count" in item and count != abs(int(str(item["/Count"]))):
            # Open or closed, as Chromium made it.
            closed = int(str(item["/Count"])) < 0
            item[NameObject("/Count")] = NumberObject(-count if closed else count)
            changed[reference.idnum] = (reference.generation, item)
        return count

    catalog = dictionary(root)
    outlines = catalog.raw_get("/Outlines") if "/Outlines" in catalog else None
    if isinstance(outlines, IndirectObject):
        cut(outlines, 0)

    info = dictionary(reader.trailer.raw_get("/Info")) if "/Info" in reader.trailer else {}
    size = int(str(reader.trailer["/Size"]))
    metadata = DecodedStreamObject()
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    metadata.set_data(
        XMP.format(
            title=html_module.escape(str(info.get("/Title", ""))),
            language=html_module.escape(str(catalog.get("/Lang", ""))),
            producer=html_module.escape(str(info.get("/Producer", ""))),
        ).encode()
    )
    changed[size] = (0, metadata)
    catalog[NameObject("/Metadata")] = IndirectObject(size, 0, reader)
    changed[root.idnum] = (root.generation, catalog)

    out = io.BytesIO()
    # PDF/UA-1 is a PDF 1.7 profile; Chromium writes 1.4 (a subset). Same length: the
    # offsets stay right.
    out.write(pdf.replace(b"%PDF-1.4", b"%PDF-1.7", 1) if pdf.startswith(b"%PDF-1.4") else pdf)
    if not pdf.endswith(b"\n"):
        out.write(b"\n")
    offsets = []
    for number, (generation, item) in sorted(changed.items()):
        offsets.append((number, generation, out.tell()))
        out.write(f"{number} {generation} obj\n".encode())
        item.write_to_stream(out)
        out.write(b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for number, generation, offset in offsets:
        out.write(f"{number} 1\n{offset:010d} {generation:05d} n \n".encode())
    trailer = DictionaryObject(
        {
            NameObject(key): reader.trailer.raw_get(key)
            for key in ("/Root", "/Info", "/ID")
            if key in reader.trailer
        }
    )
    trailer[NameObject("/Size")] = NumberObject(size + 1)
    trailer[NameObject("/Prev")] = NumberObject(int(previous[-1]))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{table}\n%%EOF\n".encode())
    return out.getvalue()


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
