"""`bot verify --browser URL` end to end: the generated traction tenant-ui (tests/browser/surfaces.py)
with Faro on, its /faro route forwarding to the fake stack's faro.receiver, opened by the bot's own
headless Chromium; the CORS criterion is judged from what the browser saw, and the visit's Faro data
is what the Loki criterion finds."""

from __future__ import annotations

import pytest

from bot.stack import browser
from tests.browser import surfaces
from tests.fake_stack.stack import FakeStack
from tests.stack.verify_test import verify


@pytest.fixture(scope="module")
def traction(tmp_path_factory):
    try:
        browser.chromium_executable()
        import playwright.sync_api  # noqa: F401
    except (browser.BrowserUnavailable, ImportError) as error:
        pytest.skip(f"no headless Chromium: {error}")
    return surfaces.build_traction(tmp_path_factory.mktemp("traction"))


def test_browser_flag_judges_cors_from_a_real_visit(stack: FakeStack, capsys, traction) -> None:
    with traction.serve(stack.faro.url + "/collect") as origin:
        _, verdicts = verify(
            capsys, "--service", "traction", "--change", "rum", "--browser", origin + "/"
        )
    cors = verdicts["Proxy route forwards correctly without CORS errors in browser console"]
    assert cors["verdict"] == "passed", cors["evidence"]
    assert (
        cors["evidence"]["query"]
        == f"headless Chromium on {origin}/: console errors and /faro requests"
    )
    # the visit's payloads went through the generated route to faro.receiver and on to Loki: its
    # Web Vitals are there, but a plain visit throws no error, so that criterion still wants one
    loki = verdicts["Browser errors and Web Vitals appear in Loki as structured log entries"]
    assert (
        loki["verdict"] == "failed" and "traction-tenant-ui exception" in loki["evidence"]["detail"]
    )


def test_browser_flag_fails_when_the_route_answers_502(stack: FakeStack, capsys, traction) -> None:
    with traction.serve("http://127.0.0.1:9/collect") as origin:  # the collector is down
        code, verdicts = verify(
            capsys, "--service", "traction", "--change", "rum", "--browser", origin + "/"
        )
    cors = verdicts["Proxy route forwards correctly without CORS errors in browser console"]
    assert code == 1 and cors["verdict"] == "failed"
    assert "502" in cors["evidence"]["detail"], cors["evidence"]
