"""Publishing a change set against a FakeGitHub the way a fresh `bot apply` run would: the real
workspace (shallow bare cache, detached worktree), the codemods' edits written in, then bot.rollout.publish."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from bot.campaign.model import Repo
from bot.forge.api import LabelColors
from bot.forge.credentials import GitHubSettings
from bot.forge.github import GitHubForge
from bot.rollout.publish import Change, Publication, publish
from bot.workspace.checkout import Workspace
from tests.bot.dry_run_test import ROOT, sample_files
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for, settings_for

REPO = "openwallet-foundation/acapy"
BRANCH = "phase-3/acapy-profiling"
BASE_FILES = {
    "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n',
    "README.md": "# acapy\n",
}
CHANGED = {
    "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\npyroscope-io = "^1.4.0"\n'
}
LABELS = ("phase-3", "profiling", "python", "acapy")
COLORS = LabelColors({"phase-3": "5319e7", "profiling": "fbca04", "python": "3572a5"}, "ededed")
TITLE = "feat: add Pyroscope continuous profiling"
BODY = "Starts the Pyroscope profiler when `PYROSCOPE_SERVER_ADDRESS` is set.\n\nRefs tracking item acapy-profiling\n"


def change(**overrides) -> Change:
    values = {
        "repo": REPO,
        "branch": BRANCH,
        "base": "main",
        "title": TITLE,
        "body": BODY,
        "labels": LABELS,
    }
    return Change(**{**values, "draft": False, **overrides})


def run_git(*args: str, cwd: Path | None = None, input_: str | None = None) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, input=input_, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


class Runner:
    """Each call is a fresh bot invocation (new forge, new worktree) sharing one workspace cache, like
    repeated `bot apply` runs on one machine. Clones come over file://; pushes go where settings say."""

    def __init__(
        self,
        fake: FakeGitHub,
        tmp_path: Path,
        *,
        token: str = TOKEN,
        http: bool = False,
        settings: GitHubSettings | None = None,
    ) -> None:
        self.fake, self.token = fake, token
        self.settings = settings or settings_for(fake, token, http=http)
        self.workspace = Workspace(tmp_path / "workspace", fake.clone_url_template())

    def __call__(
        self,
        files: dict[str, str] = CHANGED,
        *,
        repo: str = REPO,
        during: Callable[[Path], None] | None = None,
        forge: GitHubForge | None = None,
        **kwargs,
    ) -> Publication:
        """`forge`: one shared by several calls, as change sets share it within one run."""
        publish_change = kwargs.pop("change", None) or change(repo=repo)
        with self.workspace.checkout(Repo(repo.split("/")[1], repo, "main")) as checkout:
            for path, text in files.items():
                (checkout.path / path).parent.mkdir(parents=True, exist_ok=True)
                (checkout.path / path).write_text(text)
            try:
                return publish(
                    checkout.path,
                    publish_change,
                    forge=forge or forge_for(self.fake, self.token, settings=self.settings),
                    settings=self.settings,
                    colors=COLORS,
                    **kwargs,
                )
            finally:
                if during is not None:
                    during(checkout.path)


def serve_samples(fake: FakeGitHub, login: str) -> None:
    """Every sample repo on the fake; as for the bcgov team: `login` pushes to bcgov repos and is
    read-only elsewhere (those PRs come from forks)."""
    for sample in sorted((ROOT / "samples").iterdir()):
        owner, name = sample.name.split("+", 1)
        role = "write" if owner == "bcgov" else "read"
        fake.add_repo(f"{owner}/{name}", sample_files(sample), roles={login: role})


def bot_environment(fake: FakeGitHub, token: str) -> dict[str, str]:
    """What a `bot` command run against the fake needs in its environment (no pacing)."""
    return {
        "GITHUB_API_URL": fake.api_url, "GITHUB_TOKEN": token, "BOT_CLONE_URL_TEMPLATE": fake.clone_url_template(),
        "BOT_GITHUB_REQUEST_INTERVAL": "0", "BOT_GITHUB_WRITE_INTERVAL": "0",
        "BOT_GIT_AUTHOR_NAME": "Rollout Bot", "BOT_GIT_AUTHOR_EMAIL": "rollout-bot@example.org",
    }  # fmt: skip
