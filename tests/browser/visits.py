"""What the browser tests do on a page, and what they check afterwards.

`faro_visit` loads a page with Faro on, waits for the SDK, fetches a same-origin backend URL (its
`traceparent` is kept), throws an uncaught error, clicks (Web Vitals need an input for LCP and INP)
and leaves the page (the SDK flushes CLS, INP and its queue on page hide). `quiet_visit` only loads
and leaves. `problems` lists what the issue forbids: CORS or CSP errors in the console, Faro
requests that failed or answered other than 2xx, a page that did not open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page

from bot.stack.browser import BrowserVisit, ConsoleEntry, Recorder
from tests.browser.surfaces import Surface
from tests.helpers.faro_receiver import FaroReceiver

THROWN = "faro-browser-test: thrown on purpose"
TRACEPARENT = re.compile(r"^00-(?P<trace>[0-9a-f]{32})-(?P<span>[0-9a-f]{16})-0[01]$")
FARO_READY = "() => Boolean(window.faro && window.faro.api)"
# Web Vitals the SDK reports on a page that was loaded, clicked and left
EXPECTED_VITALS = {"ttfb", "fcp", "lcp", "cls", "inp"}


@dataclass
class PageRun:
    visit: BrowserVisit
    text: str  # the rendered page's text
    requested: list[str] = field(default_factory=list)  # every URL the page asked for
    traceparent: str = ""
    faro_global: str = ""  # typeof window.faro


def _open(context: BrowserContext, url: str, surface: Surface) -> tuple[Page, Recorder, list[str]]:
    page = context.new_page()
    page.set_default_timeout(15_000)
    recorder = Recorder(page, surface.faro_path)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="load")
    return page, recorder, requested


def faro_visit(
    context: BrowserContext, origin: str, surface: Surface, receiver: FaroReceiver
) -> PageRun:
    url = origin + surface.page
    page, recorder, requested = _open(context, url, surface)
    page.wait_for_function(FARO_READY)
    text = page.inner_text("body")
    fetch_url = origin + surface.fetch_path
    with page.expect_request(fetch_url) as sent:
        page.evaluate("(url) => fetch(url).then((response) => response.status)", fetch_url)
    traceparent = sent.value.all_headers().get("traceparent", "")
    _wait_for_span(page, receiver, traceparent)
    page.evaluate(f"() => setTimeout(() => {{ throw new Error({json.dumps(THROWN)}) }})")
    page.wait_for_timeout(300)
    page.mouse.click(20, 20)
    page.wait_for_timeout(300)
    page.goto("about:blank")
    recorder.settle()
    return PageRun(recorder.snapshot(url), text, requested, traceparent)


def _wait_for_span(page: Page, receiver: FaroReceiver, traceparent: str) -> None:
    """Stay on the page until the fetch's span was exported (the SDK batches spans for 1 s)."""
    match = TRACEPARENT.match(traceparent)
    for _ in range(100):
        if not match or any(span["traceId"] == match["trace"] for span in receiver.spans()):
            return
        page.wait_for_timeout(100)


def quiet_visit(context: BrowserContext, origin: str, surface: Surface) -> PageRun:
    """Load, let the app start (1.5 s), leave; nothing provoked."""
    url = origin + surface.page
    page, recorder, requested = _open(context, url, surface)
    page.wait_for_timeout(1500)
    text = page.inner_text("body")
    faro_global = page.evaluate("() => typeof window.faro")
    page.goto("about:blank")
    recorder.settle()
    return PageRun(recorder.snapshot(url), text, requested, faro_global=faro_global)


def problems(visit: BrowserVisit) -> list[str]:
    """What the issue forbids on a page with Faro on, one line each."""
    found = [f"page did not open: {visit.load_error}"] if visit.load_error else []
    found += [f"console: {entry.text}" for entry in visit.cors_errors + visit.csp_errors]
    found += [f"faro request failed: {request.line()}" for request in visit.failed_faro_requests]
    if not visit.faro_requests:
        found.append("no request reached the Faro route")
    return found


def uncaught(visit: BrowserVisit) -> list[str]:
    """Uncaught errors: page errors and the console's `Uncaught ...` lines."""
    console = [entry.text for entry in visit.console if entry.text.startswith("Uncaught")]
    return list(visit.page_errors) + console


def console_errors(visit: BrowserVisit, *, ignore: tuple[str, ...] = ()) -> list[ConsoleEntry]:
    """Console errors, less the uncaught error the test throws itself and those whose text or
    resource URL contains one of `ignore`."""
    return [
        entry
        for entry in visit.console
        if entry.level == "error"
        and THROWN not in entry.text
        and not any(part in entry.text or part in entry.url for part in ignore)
    ]


def assert_faro_arrived(run: PageRun, receiver: FaroReceiver, surface: Surface) -> None:
    """Everything the issue asks of a page with Faro on and a working collector."""
    assert problems(run.visit) == []
    assert receiver.app_names() == {surface.app_name}
    exceptions = receiver.items("exceptions")
    assert {"type": "Error", "value": THROWN} in [
        {"type": e.get("type"), "value": e.get("value")} for e in exceptions
    ], exceptions
    assert run.visit.page_errors == (f"Error: {THROWN}",)
    assert receiver.vitals() >= EXPECTED_VITALS, receiver.vitals()
    match = TRACEPARENT.match(run.traceparent)
    assert match, f"no W3C traceparent on the same-origin fetch: {run.traceparent!r}"
    spans = {(span["traceId"], span["spanId"]) for span in receiver.spans()}
    assert (match["trace"], match["span"]) in spans, (run.traceparent, spans)


def wait_for_everything(receiver: FaroReceiver) -> None:
    """The last payloads (sent on page hide) may land a little after the page is gone."""
    receiver.wait_until(lambda r: r.vitals() >= EXPECTED_VITALS and r.items("exceptions"))
