"""bot.stack.browser.visit and the "no CORS errors in browser console" verdict, on local pages.

The pages load the pinned Faro SDK bundle from their own origin and send to their own /faro (a
loopback stand-in answering like the generated route), or cross-origin to a faro.receiver without
CORS. The verdicts are the ones `bot verify --browser URL` gives (cors_outcome of browser_evidence).
Without Chromium (or Playwright) the verdict is `manual`, never `passed`.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import ExitStack
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.checks.node import tools_dir
from bot.stack import browser
from bot.stack.browser import BrowserVisit, ConsoleEntry, FaroRequest
from bot.verify.browser_cors import browser_evidence, cors_outcome, evidence_from_visit
from tests.helpers import faro_receiver, loopback, node, upstream

PAGE = """\
<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/faro-web-sdk.iife.js"></script>
<script>
  GrafanaFaroWebSdk.initializeFaro({{ url: new URL({collector!r}, location.href).toString(),
                                      app: {{ name: "verify-page" }} }});
</script></head><body><h1>live page</h1></body></html>
"""


class _Site(SimpleHTTPRequestHandler):
    faro_status = 202

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = self.faro_status if self.path == "/faro" else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path):
    """serve(page_html, faro_status=202) -> the page's URL."""
    node.require("@grafana/faro-web-sdk")
    bundle = tools_dir() / "node_modules/@grafana/faro-web-sdk/dist/bundle/faro-web-sdk.iife.js"
    shutil.copy(bundle, tmp_path / "faro-web-sdk.iife.js")
    with ExitStack() as servers:

        def serve(html: str, faro_status: int = 202) -> str:
            (tmp_path / "index.html").write_text(html)
            handler = type("Site", (_Site,), {"faro_status": faro_status})
            server = ThreadingHTTPServer(
                ("127.0.0.1", 0), partial(handler, directory=str(tmp_path))
            )
            return servers.enter_context(loopback.running(server)) + "/index.html"

        yield serve


@pytest.fixture
def chromium():
    try:
        browser.chromium_executable()
        import playwright.sync_api  # noqa: F401
    except (browser.BrowserUnavailable, ImportError) as error:
        pytest.skip(f"no headless Chromium: {error}")


def _check(url: str, **options):
    """The verdict and its evidence, as `bot verify --browser url` gets them."""
    return cors_outcome(browser_evidence(url, settle_seconds=1.0, **options))


def test_passed_when_the_faro_posts_answer_2xx_and_no_cors_error(chromium, site):
    verdict, evidence = _check(site(PAGE.format(collector="/faro")))
    assert verdict == "passed", evidence
    assert "Faro POSTs, all 2xx" in evidence.detail and evidence.count >= 1


def test_visit_records_the_faro_posts_and_the_console(chromium, site):
    url = site(PAGE.format(collector="/faro"))
    visit = browser.visit(url, settle_seconds=1.0)
    assert visit.load_error == ""
    assert visit.faro_requests and {r.method for r in visit.faro_requests} == {"POST"}
    assert {r.url for r in visit.faro_requests} == {url.replace("/index.html", "/faro")}
    assert all(r.ok for r in visit.faro_requests)
    assert visit.console == () and visit.page_errors == ()


def test_failed_with_the_cors_error_when_the_collector_is_cross_origin(chromium, site):
    with faro_receiver.serve() as receiver:  # CORS off, as faro.receiver by default
        verdict, evidence = _check(site(PAGE.format(collector=receiver.url)))
    assert verdict == "failed"
    assert "has been blocked by CORS policy" in evidence.detail
    assert receiver.payloads == []


def test_failed_with_the_status_when_the_route_answers_404(chromium, site):
    verdict, evidence = _check(site(PAGE.format(collector="/faro"), faro_status=404))
    assert verdict == "failed" and "Faro POSTs: 404" in evidence.detail


def test_failed_when_the_page_sends_no_faro_request(chromium, site):
    verdict, evidence = _check(site("<!doctype html><link rel=icon href='data:,'><h1>no faro</h1>"))
    assert verdict == "failed" and "none sent" in evidence.detail


def test_manual_when_the_page_does_not_open(chromium):
    url = upstream.closed_port_url()
    verdict, evidence = _check(url)
    assert verdict == "manual"
    assert f"{url} did not open" in evidence.detail and "ERR_CONNECTION_REFUSED" in evidence.detail


def test_manual_without_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "DEFAULT_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    verdict, evidence = _check("https://app.example.org/", environ={})
    assert verdict == "manual"
    assert "Chromium is not installed" in evidence.detail
    assert "by hand: open https://app.example.org/" in evidence.detail


def test_manual_when_bot_chromium_names_no_file(tmp_path):
    missing = tmp_path / "chrome"
    verdict, evidence = _check("https://app.example.org/", environ={"BOT_CHROMIUM": str(missing)})
    assert verdict == "manual" and f"BOT_CHROMIUM={missing}: no such file" in evidence.detail


def test_manual_without_playwright(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    verdict, evidence = _check("https://app.example.org/", environ={"BOT_CHROMIUM": str(fake)})
    assert verdict == "manual" and "Playwright for Python is not installed" in evidence.detail


ANSWERED = (FaroRequest("POST", "https://a.example/faro", 202),)


def _visit(console=(), requests=ANSWERED):
    return BrowserVisit("https://a.example/", tuple(console), (), tuple(requests))


def test_csp_errors_count_only_when_they_are_about_faro():
    font = ConsoleEntry("error", "Refused to load the font 'x.woff' because it violates the "
                        "following Content Security Policy directive: font-src 'self'", "")  # fmt: skip
    assert cors_outcome(evidence_from_visit(_visit([font])))[0] == "passed"
    collector = ConsoleEntry("error", "Refused to connect to 'https://a.example/faro' because it "
                             "violates the following Content Security Policy directive", "")  # fmt: skip
    verdict, evidence = cors_outcome(evidence_from_visit(_visit([font, collector])))
    assert verdict == "failed" and "Refused to connect" in evidence.detail
    assert "font" not in evidence.detail


def test_a_faro_request_without_an_answer_fails():
    unanswered = (FaroRequest("POST", "https://a.example/faro", None, "net::ERR_FAILED"),)
    evidence = evidence_from_visit(_visit(requests=ANSWERED + unanswered))
    assert evidence.faro_statuses == (202, 0)
    verdict, judged = cors_outcome(evidence)
    assert verdict == "failed" and "Faro POSTs: 202, no answer" in judged.detail


def test_evidence_quotes_three_blocked_lines_and_counts_the_rest():
    lines = [ConsoleEntry("error", f"Access to fetch at x{n} has been blocked by CORS policy", "")
             for n in range(5)]  # fmt: skip
    verdict, evidence = cors_outcome(evidence_from_visit(_visit(lines)))
    assert verdict == "failed" and evidence.count == 5
    assert evidence.detail.count("blocked by CORS policy") == 3 and "(+2 more)" in evidence.detail
