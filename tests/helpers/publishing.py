"""Publishing a change set against a FakeGitHub the way a fresh `bot apply` run would."""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.credentials import GitHubSettings
from bot.forge import LabelColors
from bot.publish import Change, Publication, publish
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for, settings_for
from tests.helpers.worktrees import checkout

REPO = "openwallet-foundation/acapy"
BRANCH = "phase-3/acapy-profiling"
BASE_FILES = {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n', "README.md": "# acapy\n"}
CHANGED = {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\npyroscope-io = "^1.4.0"\n'}
LABELS = ("phase-3", "profiling", "python", "acapy")
COLORS = LabelColors({"phase-3": "5319e7", "profiling": "fbca04", "python": "3572a5"}, "ededed")
TITLE = "feat: add Pyroscope continuous profiling"
BODY = "Starts the Pyroscope profiler when `PYROSCOPE_SERVER_ADDRESS` is set.\n\nRefs tracking item acapy-profiling\n"


def change(**overrides) -> Change:
    values = dict(repo=REPO, branch=BRANCH, base="main", title=TITLE, body=BODY, labels=LABELS, draft=False)
    return Change(**{**values, **overrides})


class Runner:
    """Each run is a fresh bot invocation: new shallow worktree, new forge (no cached state)."""

    def __init__(self, fake: FakeGitHub, tmp_path: Path, *, token: str = TOKEN, http: bool = False,
                 settings: GitHubSettings | None = None) -> None:
        self.fake, self.tmp, self.token = fake, tmp_path, token
        self.settings = settings or settings_for(fake, token, http=http)
        self.count = itertools.count(1)
        self.last_worktree: Path | None = None

    def __call__(self, files: dict[str, str] = CHANGED, *, repo: str = REPO, **kwargs) -> Publication:
        settings = self.settings
        url = self.fake.clone_url_template().format(owner=repo.split("/")[0], repo=repo.split("/")[1])
        work = self.last_worktree = checkout(url, "main", self.tmp / f"run{next(self.count)}", files)
        forge = forge_for(self.fake, self.token, settings=settings)
        publish_change = kwargs.pop("change", None) or change(repo=repo)
        return publish(work, publish_change, forge=forge, settings=settings, colors=COLORS, **kwargs)
