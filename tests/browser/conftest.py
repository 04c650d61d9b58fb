"""Debian's Chromium, driven by Playwright through bot.stack.browser, for the browser tests.

One Chromium per session (a fresh profile; the closed-network launch flags are in
bot.stack.browser.LAUNCH_ARGS); `browser` is a new isolated context of it per test. When a test fails, every open page is saved as a PNG in the test's
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


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the session (a fresh profile, removed after)."""
    try:
        executable = chromium.chromium_executable()
        import playwright.sync_api  # noqa: F401
    except (chromium.BrowserUnavailable, ImportError) as error:
        pytest.skip(f"no headless Chromium: {error}")
    with chromium.open_browser(executable) as browser:
        yield browser


@pytest.fixture
def browser(request, tmp_path, chromium_browser):
    """A fresh, isolated browser context per test; screenshots of its pages when the test fails."""
    context = chromium_browser.new_context()
    yield context
    report = request.node.stash.get(_OUTCOME, None)
    if report is not None and report.failed:
        for number, page in enumerate(context.pages):
            shot = tmp_path / f"screenshot-{number}.png"
            page.screenshot(path=str(shot), full_page=True)
            report.sections.append(("screenshots", str(shot)))
    context.close()
