"""Sparse worktrees (bot/workspace/sparse.py): only the paths a change set reads, the same diffs as a full checkout."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import Repo
from bot.rollout.apply import needed_paths
from bot.workspace.checkout import Workspace
from bot.workspace.lockfiles import LockSettings
from tests.helpers.git import make_remote, url_template

ROOT = Path(__file__).resolve().parents[2]
REPO = Repo("svc", "example/svc", "main")
FILES = {
    "pyproject.toml": "[project]\n",
    "poetry.lock": "# lock\n",
    "app/main.py": "def main():\n    pass\n",
    "app/.gitignore": "generated/\n",
    "charts/app/Chart.yaml": "name: app\n",
    "charts/app/templates/deployment.yaml": "kind: Deployment\n",
    "docs/big.md": "big\n",
    "odd[*].txt": "a path, not a pattern\n",
}
ONLY = [
    "app/main.py",
    "app/new.py",
    "app/generated/x.py",
    "charts/app",
    "odd[*].txt",
    "poetry.lock",
]


def tracked_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts)


def edit(root: Path) -> None:
    (root / "app/main.py").write_text("def main():\n    return 1\n")
    (root / "app/new.py").write_text("x = 1\n")
    (root / "app/generated").mkdir()
    (root / "app/generated/x.py").write_text("ignored\n")
    (root / "charts/app/Chart.yaml").write_text("name: app\nversion: 2\n")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    make_remote(tmp_path / "remotes", REPO.full_name, FILES)
    return Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))


def test_a_sparse_checkout_holds_only_the_paths_and_diffs_like_a_full_one(workspace, tmp_path):
    with workspace.checkout(REPO) as full:
        edit(full.path)
        expected = (full.changed_files(), full.diff(), full.base_sha)
    with workspace.checkout(REPO, only=ONLY) as narrow:
        assert [p for p in tracked_files(narrow.path) if "." in Path(p).name] == [
            "app/.gitignore", "app/main.py", "charts/app/Chart.yaml",
            "charts/app/templates/deployment.yaml", "odd[*].txt", "poetry.lock",
        ]  # fmt: skip
        edit(narrow.path)
        # nothing left out is staged as deleted; the subdirectory's .gitignore still holds
        assert (narrow.changed_files(), narrow.diff(), narrow.base_sha) == expected
        assert expected[0] == ["app/main.py", "app/new.py", "charts/app/Chart.yaml"]
        assert (narrow.base_dir() / "docs/big.md").read_text() == "big\n"
    cache = git.Repo(tmp_path / "ws" / "cache" / "example+svc.git")
    assert (
        "core.sparsecheckout" not in cache.git.config("--list").lower()
    )  # the shared cache is untouched
    assert not (Path(cache.git_dir) / "info" / "sparse-checkout").exists()


def test_a_symlink_into_or_out_of_the_paths_gives_a_full_checkout(tmp_path):
    remote = make_remote(tmp_path / "remotes", REPO.full_name, FILES)
    work = git.Repo.clone_from(str(remote), tmp_path / "maintainer")
    (tmp_path / "maintainer" / "deploy").symlink_to("charts")
    work.git.add("--all")
    work.git.commit("-m", "link", "--no-gpg-sign")
    work.git.push("origin", "main")
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with workspace.checkout(REPO, only=["deploy/app/Chart.yaml"]) as checkout:
        assert (checkout.path / "deploy/app/Chart.yaml").read_text() == "name: app\n"
        assert (checkout.path / "docs/big.md").is_file()
    with workspace.checkout(REPO, only=["app/main.py"]) as checkout:  # the link is elsewhere
        assert not (checkout.path / "docs/big.md").exists()


def test_needed_paths_are_the_steps_their_lockfiles_and_what_validators_ask_for():
    campaign = load_campaign(ROOT)
    changes = {change.id: change for change in campaign.change_sets(list(campaign.services))}
    helm = next(c for c in changes.values() if [v.name for v in c.validate] == ["helm_render"])
    paths = needed_paths(helm, None)
    assert paths is not None
    assert {step.path for step in helm.steps} <= set(paths)
    assert helm.validate[0].params.chart in paths
    python = next(c for c in changes.values() if any(s.path == "pyproject.toml" for s in c.steps))
    assert {"pyproject.toml", "poetry.lock", "uv.lock"} <= set(needed_paths(python, None) or ())
    planned = next(c for c in changes.values() if c.plan is not None)
    rendered = next(
        c for c in changes.values() if any(v.name == "pyroscope_render" for v in c.validate)
    )
    locks = LockSettings(tools_dir=ROOT, environ={})
    assert [needed_paths(planned, None), needed_paths(rendered, None)] == [None, None]
    assert needed_paths(python, locks) is None  # the package managers need the whole project
    assert needed_paths(helm, locks) == paths  # no dependency file: nothing to relock
