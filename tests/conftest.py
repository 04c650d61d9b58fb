"""Guards for every test: nothing reaches the network, nothing touches the real home directory."""

from __future__ import annotations

import os
from pathlib import Path

import git
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    for name in (
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "BOT_CLONE_URL_TEMPLATE",
        "BOT_WORKSPACE",
        "BOT_CAMPAIGN",
        "GITHUB_SERVER_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # lockfile regeneration needs registries: only the tests about it (tests/lockfiles/) turn it on
    monkeypatch.setenv("BOT_LOCKFILES", "0")
    monkeypatch.setenv(
        "GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig")
    )  # the developer's config must not leak in
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.invalid\n")


@pytest.fixture(autouse=True)
def _no_network_clones(monkeypatch):
    """Clones must come from file:// or local paths; anything else fails loudly."""
    real_clone = git.Repo.clone_from

    def guarded(url, *args, **kwargs):
        if "://" in str(url) and not str(url).startswith("file://"):
            raise AssertionError(f"test tried to clone over the network: {url}")
        return real_clone(url, *args, **kwargs)

    monkeypatch.setattr(git.Repo, "clone_from", guarded)


# CI sets BOT_REQUIRE_TOOLS=1: there every tool is installed, so a test skipped for a missing tool
# (helm, node packages, the OpenAPI description) means the install is broken, not that the test may pass.
REQUIRE_TOOLS = os.environ.get("BOT_REQUIRE_TOOLS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_TOOLS and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped, but BOT_REQUIRE_TOOLS=1 requires every tool: {report.longrepr}"
