"""Headless Chromium (Debian's `chromium`, driven by Playwright): open a page, record what it logged.

`visit(url)` opens the URL in a fresh profile, waits for the page to settle, hides it (navigating away
makes the Faro SDK flush its queue, with Web Vitals such as CLS that are only final then) and returns a
frozen `BrowserVisit`: console messages, uncaught page errors and every Faro request with its answer.
`Recorder` does the recording for callers that drive the page themselves (the browser tests).

A Faro request is one to the app's Faro path (a path ending in `faro_path`, default `/faro`) or any
POST whose JSON body is a Faro payload (`meta.sdk`): a collector URL pointing elsewhere is recorded too.
Nothing here downloads a browser: without Chromium or Playwright, `BrowserUnavailable` says what is missing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

CHROMIUM_ENV = "BOT_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"  # Debian's chromium package
# No sandbox (containers, root), no GPU, and nothing that phones home: the only network is the app's.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CORS_MARK = "CORS policy"
CSP_MARK = "Content Security Policy"
UNANSWERED = "no answer seen before the visit ended"


class BrowserUnavailable(Exception):
    """Chromium or Playwright is not installed; the message says which and how to get it."""


@dataclass(frozen=True)
class ConsoleEntry:
    level: str  # Chromium's console type: error, warning, log, info, debug, ...
    text: str
    url: str  # the script or resource it is about ('' when Chromium names none)

    @property
    def is_cors(self) -> bool:
        return CORS_MARK in self.text

    @property
    def is_csp(self) -> bool:
        return CSP_MARK in self.text


@dataclass(frozen=True)
class FaroRequest:
    method: str
    url: str
    status: int | None  # None: no response (failure says why)
    failure: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def line(self) -> str:
        outcome = str(self.status) if self.status is not None else self.failure or "no response"
        return f"{self.method} {self.url} -> {outcome}"


@dataclass(frozen=True)
class BrowserVisit:
    url: str
    console: tuple[ConsoleEntry, ...]
    page_errors: tuple[str, ...]  # uncaught exceptions and unhandled rejections
    faro_requests: tuple[FaroRequest, ...]
    load_error: str = ""  # the page itself could not be opened

    @property
    def cors_errors(self) -> tuple[ConsoleEntry, ...]:
        return tuple(entry for entry in self.console if entry.is_cors)

    @property
    def csp_errors(self) -> tuple[ConsoleEntry, ...]:
        return tuple(entry for entry in self.console if entry.is_csp)

    @property
    def failed_faro_requests(self) -> tuple[FaroRequest, ...]:
        return tuple(request for request in self.faro_requests if not request.ok)


def chromium_executable(environ: Mapping[str, str] | None = None) -> Path:
    """The Chromium binary: BOT_CHROMIUM, else Debian's /usr/bin/chromium, else `chromium` on PATH."""
    environ = os.environ if environ is None else environ
    if configured := environ.get(CHROMIUM_ENV):
        if not Path(configured).is_file():
            raise BrowserUnavailable(f"{CHROMIUM_ENV}={configured}: no such file")
        return Path(configured)
    for candidate in (DEFAULT_CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise BrowserUnavailable(
        f"Chromium is not installed (no {DEFAULT_CHROMIUM}; `apt-get install chromium`, "
        f"or set {CHROMIUM_ENV})"
    )


@contextmanager
def open_browser(executable: Path | None = None) -> Iterator[Browser]:
    """Headless Chromium on a fresh profile (Playwright gives each launch a new --user-data-dir and
    removes it after); every `new_context()` of it is isolated (cookies, storage, cache)."""
    executable = executable or chromium_executable()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        raise BrowserUnavailable(
            f"Playwright for Python is not installed ({error}); install the bot's `browser` extra"
        ) from error
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(executable), headless=True, args=list(LAUNCH_ARGS)
            )
        except Error as error:
            message = f"{executable} did not start: {_first_line(error.message)}"
            raise BrowserUnavailable(message) from error
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """Records a page's console, uncaught errors and Faro requests from the moment it is attached."""

    def __init__(self, page: Page, faro_path: str = "/faro") -> None:
        self.page = page
        self.faro_path = faro_path.rstrip("/")
        self._console: list[ConsoleEntry] = []
        self._page_errors: list[str] = []
        self._faro: dict[int, FaroRequest] = {}  # by id(request), in the order they were sent
        self._requests: dict[int, Request] = {}
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._page_errors.append(_error_text(error)))
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)

    def _on_console(self, message: ConsoleMessage) -> None:
        location = message.location or {}
        self._console.append(ConsoleEntry(message.type, message.text, location.get("url", "")))

    def _on_request(self, request: Request) -> None:
        if self.is_faro(request):
            self._requests[id(request)] = request
            self._faro[id(request)] = FaroRequest(request.method, request.url, None)

    def _on_response(self, response: Response) -> None:
        key = id(response.request)
        if key in self._faro:
            self._faro[key] = FaroRequest(
                response.request.method, response.request.url, response.status
            )

    def _on_failed(self, request: Request) -> None:
        if id(request) in self._faro:
            failure = request.failure or "failed"
            self._faro[id(request)] = FaroRequest(request.method, request.url, None, failure)

    def is_faro(self, request: Request) -> bool:
        path = urlsplit(request.url).path.rstrip("/")
        if self.faro_path and path.endswith(self.faro_path):
            return True
        return request.method == "POST" and _is_faro_payload(request.post_data_buffer)

    def pending(self) -> int:
        """Faro requests that neither answered nor failed yet."""
        return sum(
            1 for request in self._faro.values() if request.status is None and not request.failure
        )

    def settle(self, timeout_ms: int = 10_000) -> None:
        """Wait (pumping the browser's events) until no Faro request is in flight, or timeout_ms."""
        waited = 0
        while self.pending() and waited < timeout_ms:
            self.page.wait_for_timeout(100)
            waited += 100

    def snapshot(self, url: str, load_error: str = "") -> BrowserVisit:
        """What was recorded; a Faro request still in flight counts as unanswered."""
        requests = tuple(
            request
            if request.status is not None or request.failure
            else FaroRequest(request.method, request.url, None, UNANSWERED)
            for request in self._faro.values()
        )
        return BrowserVisit(
            url=url,
            console=tuple(self._console),
            page_errors=tuple(self._page_errors),
            faro_requests=requests,
            load_error=load_error,
        )


def visit(
    url: str,
    *,
    faro_path: str = "/faro",
    settle_seconds: float = 3.0,
    timeout_seconds: float = 30.0,
    executable: Path | None = None,
) -> BrowserVisit:
    """Open url, wait settle_seconds, click the page (Web Vitals need an input), then leave it
    (the SDK flushes on page hide) and wait for its last Faro requests to answer.

    Runs in a thread of its own: Playwright's sync API refuses a thread with an event loop (an
    async caller, or another Playwright session), and the result is plain frozen data."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium") as pool:
        job = pool.submit(_visit, url, faro_path, settle_seconds, timeout_seconds, executable)
        return job.result()


def _visit(
    url: str,
    faro_path: str,
    settle_seconds: float,
    timeout_seconds: float,
    executable: Path | None,
) -> BrowserVisit:
    with open_browser(executable) as browser:
        from playwright.sync_api import Error as PlaywrightError

        page = browser.new_context().new_page()
        page.set_default_timeout(timeout_seconds * 1000)
        recorder = Recorder(page, faro_path)
        try:
            page.goto(url, wait_until="load")
        except PlaywrightError as error:
            return recorder.snapshot(url, load_error=_first_line(str(error)))
        page.wait_for_timeout(settle_seconds * 1000)
        page.mouse.click(1, 1)
        page.goto("about:blank")
        recorder.settle(int(timeout_seconds * 1000))
        return recorder.snapshot(url)


def _is_faro_payload(body: bytes | None) -> bool:
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return False
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("meta"), dict)
        and "sdk" in payload["meta"]
    )


def _error_text(error: object) -> str:
    return f"{getattr(error, 'name', 'Error')}: {getattr(error, 'message', error)}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "navigation failed"
