"""Turn the bundled sample directories into bare git repositories for offline runs and tests.

`samples/<owner>+<repo>/` holds a miniature repository's files. Each becomes
`<dest>/<owner>+<repo>.git` with one commit on the branch the campaign targets, so the clone URL
template `file://<dest>/{owner}+{repo}.git` serves the whole campaign without a network.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import git

from bot.campaign.model import Campaign

# Fixed identity and dates: the same samples always give the same commits.
_COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "Sample Author",
    "GIT_AUTHOR_EMAIL": "samples@example.invalid",
    "GIT_COMMITTER_NAME": "Sample Author",
    "GIT_COMMITTER_EMAIL": "samples@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def url_template(dest: Path) -> str:
    return dest.resolve().as_uri() + "/{owner}+{repo}.git"


def build(campaign: Campaign, dest: Path) -> str:
    """Build (or reuse, when unchanged) a bare repo per sample; returns the clone URL template."""
    source_root = campaign.root / "samples"
    for repo in campaign.repos.values():
        source = source_root / f"{repo.owner}+{repo.name}"
        if source.is_dir():
            build_repo(source, dest / f"{repo.owner}+{repo.name}.git", repo.base)
    return url_template(dest)


def build_repo(source: Path, bare: Path, branch: str) -> None:
    stamp = bare / "bot-sample-digest"
    digest = _digest(source)
    if stamp.is_file() and stamp.read_text() == digest:
        return
    shutil.rmtree(bare, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "work"
        shutil.copytree(source, work)
        repo = git.Repo.init(work, initial_branch=branch)
        repo.git.add("--all")
        repo.git.commit(
            "--no-verify",
            "--no-gpg-sign",
            "-m",
            "Sample repository for the Phase 3 bot",
            env=_COMMIT_ENV,
        )
        git.Repo.clone_from(str(work), bare, bare=True)
    stamp.write_text(digest)


def _digest(source: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        sha.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()
