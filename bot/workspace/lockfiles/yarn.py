"""Yarn 1: `yarn install --ignore-scripts` (Yarn 1 has no lockfile-only mode, so it installs; the
node_modules it creates are removed again). Its `--frozen-lockfile` passes a stale lock in a workspaces
repo, so the check installs again and compares the lock instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from bot.checks import CheckResult
from bot.workspace.lockfiles import node
from bot.workspace.lockfiles.base import check_result, package_json_dependencies
from bot.workspace.lockfiles.model import Entry, LockError, LockJob, LockSettings, Tool
from bot.workspace.lockfiles.run import attempt, tail, tool_env
from bot.workspace.lockfiles.tools import ToolCache

LAST_YARN_1 = (
    "1.22.22"  # Yarn 1's final release, for repos with a v1 lock and no packageManager pin
)
_FLAGS = (
    "--ignore-scripts",
    "--ignore-engines",
    "--ignore-platform",
    "--non-interactive",
    "--no-progress",
)
_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


class Yarn:
    lockfile = "yarn.lock"

    def tool(self, job: LockJob, cache: ToolCache, settings: LockSettings) -> Tool:
        if "__metadata:" in job.path.read_text(encoding="utf-8")[:2000]:
            raise LockError(
                "this is a Yarn 2+ (Berry) lockfile; the bot regenerates Yarn 1 locks only"
            )
        version = node.pinned(job.directory, job.root, "yarn") or LAST_YARN_1
        if not version.startswith("1."):
            raise LockError(
                f"packageManager pins yarn@{version}, but the lockfile is Yarn 1's (v1)"
            )
        return Tool("yarn", version, (str(cache.npm_tool("yarn", version) / "yarn"),))

    def relock(self, directory: Path, tool: Tool, settings: LockSettings) -> None:
        result = _install(directory, tool, settings)
        if result.returncode != 0:
            raise node.failure(
                "yarn install", result, node.registry_url(list(tool.argv), directory, settings)
            )

    def check(self, directory: Path, tool: Tool, settings: LockSettings) -> CheckResult:
        lock = directory / self.lockfile
        before = lock.read_bytes()
        result = _install(directory, tool, settings)
        after = lock.read_bytes()
        lock.write_bytes(before)
        if result.returncode != 0:
            return check_result(tool, "yarn install (lock unchanged)", "", False, tail(result, 6))
        detail = (
            ""
            if after == before
            else "installing again changed yarn.lock: it does not match package.json"
        )
        return check_result(tool, "yarn install (lock unchanged)", "", after == before, detail)

    def entries(self, text: str) -> set[Entry]:
        found, names = set(), []
        for line in text.splitlines():
            if line and not line.startswith((" ", "#")) and line.rstrip().endswith(":"):
                names = [_name(spec) for spec in line.rstrip()[:-1].split(", ")]
            elif names and (match := _VERSION.match(line)):
                found |= {Entry(name, match[1]) for name in set(names)}
                names = []
        return found

    def declared(self, manifest: Path) -> dict[str, str]:
        return package_json_dependencies(manifest)


def _install(
    directory: Path, tool: Tool, settings: LockSettings
) -> subprocess.CompletedProcess[str]:
    # Yarn 1's shared cache is not safe for two installs at once (ENOENT in the cache): one at a time
    mutex = f"--mutex=file:{settings.tools_dir / 'yarn' / '.mutex'}"
    existing = set(_module_dirs(directory))
    try:
        argv = [*tool.argv, "install", *_FLAGS, mutex]
        return attempt(
            argv, cwd=directory, env=tool_env(settings.environ), timeout=settings.timeout
        )
    finally:
        for created in set(_module_dirs(directory)) - existing:
            shutil.rmtree(created, ignore_errors=True)


def _module_dirs(directory: Path) -> list[Path]:
    """node_modules folders of the repo and its workspaces (not the nested ones inside them)."""
    found = []
    for folder, subdirs, _ in os.walk(directory):
        if "node_modules" in subdirs:
            found.append(Path(folder) / "node_modules")
        subdirs[:] = [d for d in subdirs if d not in ("node_modules", ".git")]
    return found


def _name(spec: str) -> str:
    spec = spec.strip().strip('"')
    at = spec.rfind("@")
    return spec[:at] if at > 0 else spec
