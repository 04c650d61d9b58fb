"""Debian's Chromium, driven by Playwright through bot.stack.browser, for the browser tests.

`browser` is a fresh Chromium profile per test (the closed-network launch flags are in
bot.stack.browser.LAUNCH_ARGS). When a test fails, every open page is saved as a PNG in the test's
tmp_path (the failure message names the files). Without Chromium or Playwright the tests are skipped
with the reason, which BOT_REQUIRE_TOOLS=1 (CI) turns into a failure.
"""

from __future__ import annotations

import os

import pytest

from bot.stack import browser as chromium

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")  # never fetch a browser build


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_OUTCOME] = report
    return report


_OUTCOME = pytest.StashKey()


@pytest.fixture
def browser(request, tmp_path):
    try:
        executable = chromium.chromium_executable()
        import playwright.sync_api  # noqa: F401
    except (chromium.BrowserUnavailable, ImportError) as error:
        pytest.skip(f"no headless Chromium: {error}")
    with chromium.open_browser(tmp_path / "chromium-profile", executable) as context:
        yield context
        report = request.node.stash.get(_OUTCOME, None)
        if report is not None and report.failed:
            for number, page in enumerate(context.pages):
                if not page.is_closed():
                    shot = tmp_path / f"screenshot-{number}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    report.sections.append(("screenshots", str(shot)))
