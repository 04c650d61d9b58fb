"""Which lockfile an edited dependency file invalidates, and how to regenerate it.

Regenerating needs each repo's own tool and version (Poetry 2.4.1, uv, npm 11, pnpm 10, Yarn 1);
until the bot runs them, the change set says which lockfile a reviewer must regenerate.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

# dependency file -> lockfiles it can have, nearest directory first, with the command to run
LOCKFILES = {
    "pyproject.toml": [("poetry.lock", "poetry lock"), ("uv.lock", "uv lock")],
    "package.json": [
        ("package-lock.json", "npm install --package-lock-only --ignore-scripts"),
        ("pnpm-lock.yaml", "pnpm install --lockfile-only"),
        ("yarn.lock", "yarn install --ignore-scripts"),
    ],
}


def notes(root: Path, edited: list[str]) -> list[str]:
    found = []
    for path in sorted(edited):
        candidates = LOCKFILES.get(PurePosixPath(path).name)
        if candidates and (note := _nearest(root, PurePosixPath(path).parent, candidates, path)):
            found.append(note)
    return sorted(set(found))


def _nearest(
    root: Path, directory: PurePosixPath, candidates: list[tuple[str, str]], edited: str
) -> str | None:
    # workspaces (npm, pnpm, yarn) lock at the root, so walk up from the edited file
    for folder in [directory, *directory.parents]:
        for lockfile, command in candidates:
            if (root / folder / lockfile).is_file():
                where = "the repository root" if str(folder) == "." else f"{folder}/"
                lock_path = lockfile if str(folder) == "." else f"{folder}/{lockfile}"
                return f"{lock_path} must be regenerated for {edited}: run `{command}` in {where}"
    return None
