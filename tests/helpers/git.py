"""Real git repositories for tests: bare 'remotes' served over file://."""

from __future__ import annotations

from pathlib import Path

import git


def make_remote(root: Path, full_name: str, files: dict[str, str], branch: str = "main") -> Path:
    """A bare repo at <root>/<owner>+<name>.git with one commit holding `files`."""
    work = root / "src" / full_name.replace("/", "+")
    for relative, text in files.items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_bytes(text.encode())
    repo = git.Repo.init(work, initial_branch=branch)
    repo.git.add("--all")
    repo.git.commit("-m", "initial", "--no-gpg-sign")
    bare = root / f"{full_name.replace('/', '+')}.git"
    git.Repo.clone_from(str(work), bare, bare=True)
    return bare


def commit_to_remote(bare: Path, files: dict[str, str], message: str, branch: str = "main") -> str:
    """Add a commit on `branch` of a bare repo (as a maintainer pushing upstream would)."""
    work = bare.parent / "src" / (bare.stem + "-push")
    repo = (
        git.Repo.clone_from(str(bare), work, branch=branch) if not work.exists() else git.Repo(work)
    )
    repo.git.pull("--ff-only", "origin", branch)
    for relative, text in files.items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_bytes(text.encode())
    repo.git.add("--all")
    repo.git.commit("-m", message, "--no-gpg-sign")
    repo.git.push("origin", branch)
    return repo.head.commit.hexsha


def url_template(root: Path) -> str:
    return root.resolve().as_uri() + "/{owner}+{repo}.git"
