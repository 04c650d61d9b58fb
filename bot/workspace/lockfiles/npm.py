"""npm: `npm install --package-lock-only`, keeping the lock's own lockfileVersion and resolved URLs
whatever the local npm config says (omit-lockfile-registry-resolved would strip every `resolved`)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.checks import CheckResult
from bot.workspace.lockfiles import node
from bot.workspace.lockfiles.base import check_result, package_json_dependencies
from bot.workspace.lockfiles.model import Entry, LockJob, LockSettings, Tool
from bot.workspace.lockfiles.run import attempt, tail, tool_env
from bot.workspace.lockfiles.tools import ToolCache

_QUIET = ("--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")


class Npm:
    lockfile = "package-lock.json"

    def tool(self, job: LockJob, cache: ToolCache, settings: LockSettings) -> Tool:
        version = node.pinned(job.directory, job.root, "npm")
        if version is None:  # no pin: the environment's npm
            path, found = node.system_tool("npm", settings)
            return Tool("npm", found, (path,))
        return Tool("npm", version, (str(cache.npm_tool("npm", version) / "npm"),))

    def relock(self, directory: Path, tool: Tool, settings: LockSettings) -> None:
        argv = [
            *tool.argv,
            "install",
            "--package-lock-only",
            *_QUIET,
            *_conventions(directory / self.lockfile),
        ]
        result = attempt(
            argv, cwd=directory, env=tool_env(settings.environ), timeout=settings.timeout
        )
        if result.returncode != 0:
            raise node.failure(
                "npm install --package-lock-only",
                result,
                node.registry_url(list(tool.argv), directory, settings),
            )

    def check(self, directory: Path, tool: Tool, settings: LockSettings) -> CheckResult:
        argv = [*tool.argv, "ci", "--dry-run", *_QUIET]
        result = attempt(
            argv, cwd=directory, env=tool_env(settings.environ), timeout=settings.timeout
        )
        detail = "" if result.returncode == 0 else _sync_problems(tail(result, 40))
        return check_result(tool, "npm ci --dry-run", "", result.returncode == 0, detail)

    def entries(self, text: str) -> set[Entry]:
        try:
            data = json.loads(text)
        except ValueError:
            return set()
        found = set()
        for key, package in (data.get("packages") or {}).items():
            if (
                key
                and "node_modules/" in key
                and not package.get("link")
                and package.get("version")
            ):
                found.add(
                    Entry(
                        package.get("name") or key.rsplit("node_modules/", 1)[-1],
                        package["version"],
                    )
                )
        return found or _v1_entries(data.get("dependencies") or {})

    def declared(self, manifest: Path) -> dict[str, str]:
        return package_json_dependencies(manifest)


def _conventions(lock: Path) -> list[str]:
    """Flags that make npm write the lock the way the existing one is written."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    flags = (
        [f"--lockfile-version={data['lockfileVersion']}"]
        if data.get("lockfileVersion") in (1, 2, 3)
        else []
    )
    packages = [p for key, p in (data.get("packages") or {}).items() if key and not p.get("link")]
    if packages:
        has_resolved = any("resolved" in package for package in packages)
        flags.append(f"--omit-lockfile-registry-resolved={'false' if has_resolved else 'true'}")
    return flags


def _v1_entries(dependencies: dict) -> set[Entry]:
    found = set()
    for name, package in dependencies.items():
        if isinstance(package, dict) and package.get("version"):
            found.add(Entry(name, package["version"]))
            found |= _v1_entries(package.get("dependencies") or {})
    return found


def _sync_problems(output: str) -> str:
    parts = [part.removeprefix("npm error ").strip() for part in output.split(" | ")]
    kept = [
        p
        for p in parts
        if p.startswith(("Missing:", "Invalid:", "`npm ci` can only")) or "ERR" in p
    ]
    return " | ".join(kept[:8]) or " | ".join(parts[-6:])
