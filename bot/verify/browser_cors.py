"""The Faro criterion "no CORS errors in browser console", from a headless Chromium visit.

`browser_evidence(url, timeout)` opens the live page (bot.stack.browser.visit) and condenses what it
saw into `BrowserEvidence`: the lines where the browser blocked something (CORS errors, and Content
Security Policy errors that name Faro, which break it the same way) and the status of every Faro
request (0: no answer). Without Chromium or Playwright, or when the page does not open, `unavailable`
says why. `cors_outcome` judges it: passed only when nothing was blocked and at least one Faro request
was sent and all of them answered 2xx; manual when no browser ran.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.stack import browser
from bot.stack.browser import BrowserUnavailable, BrowserVisit
from bot.verify.probe import BrowserEvidence
from bot.verify.verdicts import FAILED, MANUAL, PASSED, Evidence, Outcome

NO_ANSWER = 0  # the status recorded for a Faro request that got no response
_SHOWN = 3  # blocked lines quoted in the evidence


def evidence_from_visit(visit: BrowserVisit) -> BrowserEvidence:
    if visit.load_error:
        return BrowserEvidence(
            visit.url, unavailable=f"{visit.url} did not open: {visit.load_error}"
        )
    blocked = [entry.text for entry in visit.cors_errors]
    blocked += [entry.text for entry in visit.csp_errors if "faro" in entry.text.lower()]
    statuses = tuple(
        NO_ANSWER if request.status is None else request.status for request in visit.faro_requests
    )
    return BrowserEvidence(visit.url, tuple(blocked), statuses)


def browser_evidence(
    url: str,
    timeout: float = 30.0,
    *,
    faro_path: str = "/faro",
    environ: Mapping[str, str] | None = None,
    settle_seconds: float = 3.0,
) -> BrowserEvidence:
    """Open url in headless Chromium; what it saw, or why no browser could run."""
    try:
        visit = browser.visit(
            url,
            faro_path=faro_path,
            settle_seconds=settle_seconds,
            timeout_seconds=timeout,
            executable=browser.chromium_executable(environ),
        )
    except BrowserUnavailable as error:
        return BrowserEvidence(url, unavailable=str(error))
    return evidence_from_visit(visit)


def cors_outcome(evidence: BrowserEvidence | None) -> Outcome:
    if evidence is None:
        return MANUAL, Evidence(
            detail="needs a browser: run `bot verify --browser URL`, or open the app and watch the console"
        )
    if evidence.unavailable:
        return MANUAL, Evidence(
            detail=f"no headless Chromium check: {evidence.unavailable}; by hand: open "
            f"{evidence.url}, check the console for CORS errors and that the POSTs to /faro answer 2xx"
        )
    query = f"headless Chromium on {evidence.url}: console errors and /faro requests"
    if evidence.cors_errors:
        quoted = "; ".join(evidence.cors_errors[:_SHOWN])
        more = len(evidence.cors_errors) - _SHOWN
        detail = quoted + (f" (+{more} more)" if more > 0 else "")
        return FAILED, Evidence(query, len(evidence.cors_errors), "one page load", detail)
    statuses = evidence.faro_statuses
    if not statuses or any(not 200 <= status < 300 for status in statuses):
        shown = ", ".join("no answer" if s == NO_ANSWER else str(s) for s in statuses)
        detail = f"Faro POSTs: {shown or 'none sent'} (want at least one, all 2xx)"
        return FAILED, Evidence(query, len(statuses), "one page load", detail)
    detail = f"no CORS errors; {len(statuses)} Faro POSTs, all 2xx"
    return PASSED, Evidence(query, len(statuses), "one page load", detail)
