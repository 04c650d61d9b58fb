"""Which lockfile an edited dependency file invalidates: the nearest one up the tree
(npm, pnpm and Yarn workspaces lock at the root)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bot.workspace.lockfiles.model import LockJob

# dependency file -> lockfiles it can have, in the order they are looked for in each directory,
# with the command a person would run (for the notes of --no-lockfiles)
LOCKFILES = {
    "pyproject.toml": [("poetry.lock", "poetry lock"), ("uv.lock", "uv lock")],
    "package.json": [
        ("package-lock.json", "npm install --package-lock-only --ignore-scripts"),
        ("pnpm-lock.yaml", "pnpm install --lockfile-only"),
        ("yarn.lock", "yarn install --ignore-scripts"),
    ],
    "pnpm-workspace.yaml": [("pnpm-lock.yaml", "pnpm install --lockfile-only")],  # catalogs
}
COMMANDS = {lock: command for candidates in LOCKFILES.values() for lock, command in candidates}


def jobs(root: Path, edited: list[str]) -> list[LockJob]:
    """One job per lockfile that an edited dependency file belongs to, in path order."""
    manifests: dict[PurePosixPath, list[PurePosixPath]] = {}
    for path in sorted(edited):
        lock = nearest(root, PurePosixPath(path))
        if lock is not None:
            manifests.setdefault(lock, []).append(PurePosixPath(path))
    return [LockJob(root, lock, tuple(paths)) for lock, paths in sorted(manifests.items())]


def nearest(root: Path, manifest: PurePosixPath) -> PurePosixPath | None:
    candidates = LOCKFILES.get(manifest.name, [])
    for folder in [manifest.parent, *manifest.parent.parents]:
        for lockfile, _ in candidates:
            if (root / folder / lockfile).is_file():
                return folder / lockfile
    return None


def candidates(manifest: str) -> list[str]:
    """Every place `nearest` looks for the lockfile of a dependency file (what a sparse checkout needs)."""
    path = PurePosixPath(manifest)
    return [
        str(folder / lockfile)
        for folder in [path.parent, *path.parent.parents]
        for lockfile, _ in LOCKFILES.get(path.name, [])
    ]


def notes(root: Path, edited: list[str]) -> list[str]:
    """The reviewer notes of --no-lockfiles: which lockfile to regenerate, and how."""
    found = []
    for job in jobs(root, edited):
        where = "the repository root" if str(job.lock.parent) == "." else f"{job.lock.parent}/"
        for manifest in job.manifests:
            found.append(
                f"{job.lock} must be regenerated for {manifest}: run `{COMMANDS[job.lock.name]}` in {where}"
            )
    return sorted(found)
