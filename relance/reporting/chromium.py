"""Debian's headless Chromium, driven by Playwright, printing HTML to PDF (pdf.py).

A process prints its PDFs one at a time with one Chromium, never a browser Playwright
downloads, kept while there is work, in a thread of its own: Playwright's sync API runs an
event loop, which may not nest in the caller's, and is bound to the thread that started
it. Each PDF gets a fresh browser context, loads its HTML under a made-up origin, runs no
script, and may fetch nothing but what ``fetch`` serves: every other request is refused.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# The body and content type of a URL the page asks for; a ValueError (or OSError) refuses it.
Fetch = Callable[[str], tuple[bytes, str]]
_Job = tuple[str, str, Fetch, Future[bytes]]

ORIGIN = "https://relance.invalid"
DOCUMENT_URL = f"{ORIGIN}/document.html"
CHROMIUM_ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]


def chromium_args(*, sandbox: bool, euid: int) -> list[str]:
    """Chromium's arguments. Its sandbox stays on, a second wall around the page besides
    the refused network, unless the process runs as root (Chromium refuses the sandbox
    there) or RELANCE_CHROMIUM_SANDBOX is off (a container without user namespaces)."""
    if sandbox and euid != 0:
        return CHROMIUM_ARGS
    return [*CHROMIUM_ARGS, "--no-sandbox"]


# The longest a print may take (Playwright's default is 30 s; a report at a country's
# scale has thousands of pages).
TIMEOUT_MS = 30 * 60 * 1000

logger = logging.getLogger(__name__)


class PdfError(RuntimeError):
    """The PDF could not be printed (no Chromium, or Chromium failed)."""


class Printer:
    """One Chromium per process, kept between PDFs (a report package prints eight), in a
    thread of its own: Playwright's sync API runs an event loop, which may not nest in the
    caller's, and is bound to the thread that started it. The PDFs of a process are printed
    one after the other, each in a fresh browser context; the browser closes after
    IDLE_SECONDS without work, and is launched again when it died or another executable is
    asked for."""

    IDLE_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def print(self, html: str, *, executable: str, fetch: Fetch) -> bytes:
        future: Future[bytes] = Future()
        with self._lock:
            if self._thread is None or self._pid != os.getpid():  # none yet, or forked
                self._jobs = queue.Queue()
                self._thread = threading.Thread(
                    target=self._run, args=(self._jobs,), name="relance-pdf", daemon=True
                )
                self._pid = os.getpid()
                self._thread.start()
            self._jobs.put((html, executable, fetch, future))
        return future.result()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None and self._pid == os.getpid():
                self._jobs.put(None)
        if thread is not None and thread.is_alive():
            thread.join(timeout=30)

    def _retire(self, jobs: queue.Queue) -> bool:
        """Whether the thread serving ``jobs`` may end: nothing waits (under the lock, so
        that no job is put for a thread about to end)."""
        with self._lock:
            if not jobs.empty():
                return False
            if self._jobs is jobs:
                self._thread = None
            return True

    def _next(self, jobs: queue.Queue[_Job | None]) -> _Job | None:
        """The next job, or None once there is none for IDLE_SECONDS (or stop said so)."""
        while True:
            try:
                return jobs.get(timeout=self.IDLE_SECONDS)
            except queue.Empty:
                if self._retire(jobs):
                    return None

    def _run(self, jobs: queue.Queue[_Job | None]) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = _Browser(playwright)
                try:
                    while (job := self._next(jobs)) is not None:
                        html, executable, fetch, future = job
                        if not future.set_running_or_notify_cancel():
                            continue
                        try:
                            future.set_result(_print_page(browser.get(executable), html, fetch))
                        except Exception as error:
                            future.set_exception(_clear_error(error, executable))
                finally:
                    browser.close()
        except Exception as error:  # Playwright itself failed: whatever waits fails too
            with self._lock:
                if self._jobs is jobs:
                    self._thread = None
            while not jobs.empty():
                waiting = jobs.get_nowait()
                if waiting is not None and waiting[3].set_running_or_notify_cancel():
                    waiting[3].set_exception(_clear_error(error, waiting[1]))


class _Browser:
    """The printer's Chromium: launched when first needed, again when it died or another
    executable is asked for."""

    def __init__(self, playwright: Playwright) -> None:
        self.playwright = playwright
        self.browser: Browser | None = None
        self.executable = ""

    def get(self, executable: str) -> Browser:
        if (
            self.browser is None
            or not self.browser.is_connected()
            or (self.executable != executable)
        ):
            self.close()
            self.browser = self.playwright.chromium.launch(
                executable_path=executable,
                args=chromium_args(sandbox=settings.RELANCE_CHROMIUM_SANDBOX, euid=os.geteuid()),
                timeout=120_000,
            )
            self.executable = executable
        return self.browser

    def close(self) -> None:
        from playwright.sync_api import Error

        browser, self.browser = self.browser, None
        if browser is not None:
            try:
                browser.close()
            except Error:
                logger.warning("Chromium did not close cleanly", exc_info=True)


def _clear_error(error: Exception, executable: str) -> Exception:
    from playwright.sync_api import Error

    if isinstance(error, PdfError) or not isinstance(error, Error):
        return error
    if not os.access(executable, os.X_OK):
        message = (
            f"No Chromium at {executable} (RELANCE_CHROMIUM): the PDFs need Debian's "
            "chromium package."
        )
    else:
        message = f"Chromium could not print the PDF: {error.message}"
    failure = PdfError(message)
    failure.__cause__ = error
    return failure


def _print_page(browser: Browser, html: str, fetch: Fetch) -> bytes:
    """``html`` printed in a context of its own, which may fetch nothing but the static
    files (scripts off, service workers blocked)."""
    from playwright.sync_api import Route

    refused: list[str] = []

    def serve(route: Route) -> None:
        url = route.request.url
        if url == DOCUMENT_URL:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
            return
        try:
            body, content_type = fetch(url)
        except (ValueError, OSError):
            refused.append(url)
            route.abort("blockedbyclient")
            return
        route.fulfill(body=body, content_type=content_type)

    context = browser.new_context(java_script_enabled=False, service_workers="block")
    try:
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
        context.close()
    if refused:
        logger.warning("The PDF left out what it may not fetch: %s", ", ".join(refused[:5]))
    return pdf


PRINTER = Printer()
atexit.register(PRINTER.stop)
