"""Sparse worktrees: check out only the paths a change set reads, so a big repository costs little.

The patterns go into the worktree's own `info/sparse-checkout` and are applied with
`git -c core.sparseCheckout=true read-tree -mu HEAD`, so the shared bare cache's config is never
touched. Files left out carry git's skip-worktree bit: `git add --all` neither stages them as
deleted nor looks at them, so diffs are the ones a full checkout gives. Every `.gitignore` and
`.gitattributes` is checked out too (they decide what `git add` takes and how it reads files).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import git

ALWAYS = (".gitignore", ".gitattributes")  # no leading slash: at every level
_SPECIAL = re.compile(r"([\\*?\[\]!#])")


def patterns(cache: git.Repo, ref: str, only: Sequence[str]) -> list[str] | None:
    """Sparse-checkout patterns for `only` (repo-relative files or directories) at `ref`, or None when
    a symlink leads into or out of them (what it points to might be left out): check out everything."""
    wanted = [path.strip("/") for path in only]
    for entry in cache.git.ls_tree("-r", "-z", ref).split("\0"):
        mode, _, rest = entry.partition(" ")
        if mode == "120000":
            link = rest.split("\t", 1)[1]
            if any(_related(link, path) for path in wanted):
                return None
    return [*ALWAYS, *("/" + _SPECIAL.sub(r"\\\1", path) for path in wanted)]


def narrow(worktree: git.Repo, lines: list[str], env: dict[str, str]) -> None:
    """Populate a worktree added with --no-checkout with only the paths the patterns match."""
    sparse_file = Path(worktree.working_dir) / worktree.git.rev_parse(
        "--git-path", "info/sparse-checkout"
    )
    sparse_file.parent.mkdir(parents=True, exist_ok=True)
    sparse_file.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    worktree.git.execute(
        ["git", "-c", "core.sparseCheckout=true", "read-tree", "-mu", "HEAD"], env=env
    )


def _related(link: str, path: str) -> bool:
    """The link is the path, lies inside it, or is a directory on the way to it."""
    return link == path or link.startswith(f"{path}/") or path.startswith(f"{link}/")
