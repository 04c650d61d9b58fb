"""`bot apply --dry-run` against the fake GitHub serving the sample repos: no API request, no push.

Today the dry run never builds a forge; this test keeps it that way once publishing is wired in:
GITHUB_API_URL and GITHUB_TOKEN point at the fake, so any request or push would be seen.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def sample_files(directory: Path) -> dict[str, bytes]:
    """The sample's tracked files (not the __pycache__ other tests leave behind)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=directory, capture_output=True, check=True
    ).stdout
    return {name: (directory / name).read_bytes() for name in listed.decode().split("\0") if name}


def test_dry_run_makes_no_request_and_no_push(
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.add_user("rollout-bot", TOKEN)
    for sample in sorted((ROOT / "samples").iterdir()):
        owner, name = sample.name.split("+", 1)
        fake.add_repo(f"{owner}/{name}", sample_files(sample), roles={"rollout-bot": "write"})
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_CLONE_URL_TEMPLATE", fake.clone_url_template())
    heads_before = {
        name: sorted(repo.path.glob("refs/heads/**/*")) for name, repo in fake.world.repos.items()
    }

    code = main(["apply", "--all", "--dry-run", "--no-diff", "--workspace", str(tmp_path / "ws")])

    assert code == 0
    totals = re.search(r"^\d+ change sets: (.*)$", capsys.readouterr().out, re.MULTILINE)
    assert totals is not None and "dry-run" in totals[1] and "failed" not in totals[1]
    assert fake.requests == [] and fake.pushes() == [] and fake.git_requests == []
    heads_after = {
        name: sorted(repo.path.glob("refs/heads/**/*")) for name, repo in fake.world.repos.items()
    }
    assert heads_after == heads_before
