"""The Faro criterion "no CORS errors in browser console", judged from a headless Chromium visit.

Passed only when the page logged no CORS error (and no Content Security Policy error about Faro)
and every Faro request answered 2xx. A page that sent no Faro request at all proves nothing: blocked.
Without Chromium or Playwright the criterion is `manual`, with the reason and what to check by hand;
it is never passed unseen.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.stack import browser
from bot.stack.browser import BrowserUnavailable, BrowserVisit
from bot.verify.verdict import Verdict

CRITERION = "no CORS errors in browser console"
_SHOWN = 3  # evidence lines of each kind; the rest are counted


def cors_verdict(visit: BrowserVisit) -> Verdict:
    if visit.load_error:
        return Verdict(CRITERION, "blocked", f"{visit.url} did not open: {visit.load_error}")
    refused = [entry.text for entry in visit.cors_errors]
    refused += [entry.text for entry in visit.csp_errors if "faro" in entry.text.lower()]
    failed = [request.line() for request in visit.failed_faro_requests]
    if refused or failed:
        evidence = _listed("console", refused) + _listed("Faro request", failed)
        return Verdict(CRITERION, "failed", f"{visit.url}: " + "; ".join(evidence))
    if not visit.faro_requests:
        return Verdict(
            CRITERION,
            "blocked",
            f"{visit.url} sent no Faro request: Faro is off there or its SDK did not load "
            f"(no CORS error among {len(visit.console)} console messages)",
        )
    statuses = sorted({str(request.status) for request in visit.faro_requests})
    return Verdict(
        CRITERION,
        "passed",
        f"{visit.url}: {len(visit.faro_requests)} Faro requests answered {', '.join(statuses)}; "
        f"no CORS error among {len(visit.console)} console messages",
    )


def check_in_browser(
    url: str,
    *,
    faro_path: str = "/faro",
    environ: Mapping[str, str] | None = None,
    settle_seconds: float = 3.0,
) -> Verdict:
    """Open url in headless Chromium and judge the criterion; `manual` when no browser can run."""
    try:
        executable: Path = browser.chromium_executable(environ)
        visit = browser.visit(
            url, faro_path=faro_path, settle_seconds=settle_seconds, executable=executable
        )
    except BrowserUnavailable as error:
        return Verdict(
            CRITERION,
            "manual",
            f"{error}. By hand: open {url}, check the browser console for CORS errors and that "
            f"the POSTs to {faro_path} answer 2xx",
        )
    return cors_verdict(visit)


def _listed(kind: str, lines: list[str]) -> list[str]:
    shown = [f"{kind}: {line}" for line in lines[:_SHOWN]]
    if len(lines) > _SHOWN:
        shown.append(f"{len(lines) - _SHOWN} more {kind} lines")
    return shown
