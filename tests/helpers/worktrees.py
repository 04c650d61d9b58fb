"""Worktrees shaped like the lead's workspace: a shallow bare cache, a detached worktree at the base tip."""

from __future__ import annotations

import subprocess
from pathlib import Path


def run_git(*args: str, cwd: Path | None = None, input_: str | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, input=input_, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def checkout(url: str, base: str, dest: Path, files: dict[str, str] | None = None) -> Path:
    """`git clone --bare --depth 1` into dest/cache, detached worktree at `base` in dest/work, then edit `files`."""
    cache, work = dest / "cache.git", dest / "work"
    if not cache.exists():
        run_git("clone", "--quiet", "--bare", "--depth", "1", "--branch", base, url, str(cache))
    else:
        run_git("fetch", "--quiet", "--depth", "1", url, f"+refs/heads/{base}:refs/heads/{base}", cwd=cache)
    run_git("worktree", "add", "--quiet", "--force", "--detach", str(work), base, cwd=cache)
    for path, text in (files or {}).items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text)
    return work


def remove(work: Path) -> None:
    """Drop a worktree (the lead's workspace removes its temp worktree after each change set)."""
    run_git("worktree", "remove", "--force", str(work), cwd=work)
