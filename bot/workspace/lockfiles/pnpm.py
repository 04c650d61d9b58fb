"""pnpm at the exact version of `packageManager` (catalogs and build-script allow-lists live in
pnpm-workspace.yaml, which pnpm reads itself): `pnpm install --lockfile-only --ignore-scripts`."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML, YAMLError

from bot.checks import CheckResult
from bot.workspace.lockfiles import node
from bot.workspace.lockfiles.base import check_result, package_json_dependencies
from bot.workspace.lockfiles.model import Entry, LockError, LockJob, LockSettings, Tool
from bot.workspace.lockfiles.run import attempt, tail, tool_env
from bot.workspace.lockfiles.tools import ToolCache

# --no-frozen-lockfile: pnpm freezes the lock by default when CI=true
_FLAGS = (
    "--lockfile-only",
    "--ignore-scripts",
    "--reporter=append-only",
    "--config.confirmModulesPurge=false",
)
_PEERS = re.compile(r"\(.*\)$")


class Pnpm:
    lockfile = "pnpm-lock.yaml"

    def tool(self, job: LockJob, cache: ToolCache, settings: LockSettings) -> Tool:
        version = node.pinned(job.directory, job.root, "pnpm")
        if version is None:
            raise LockError(
                "package.json has no `packageManager: pnpm@<version>`, so the pnpm version to lock with is unknown"
            )
        return Tool("pnpm", version, (str(cache.npm_tool("pnpm", version) / "pnpm"),))

    def relock(self, directory: Path, tool: Tool, settings: LockSettings) -> None:
        argv = [*tool.argv, "install", "--no-frozen-lockfile", *_FLAGS]
        result = attempt(argv, cwd=directory, env=_env(settings), timeout=settings.timeout)
        if result.returncode != 0:
            raise node.failure(
                "pnpm install --lockfile-only",
                result,
                node.registry_url(list(tool.argv), directory, settings),
            )

    def check(self, directory: Path, tool: Tool, settings: LockSettings) -> CheckResult:
        argv = [*tool.argv, "install", "--frozen-lockfile", *_FLAGS]
        result = attempt(argv, cwd=directory, env=_env(settings), timeout=settings.timeout)
        detail = "" if result.returncode == 0 else tail(result, 6)
        return check_result(
            tool,
            "pnpm install --frozen-lockfile --lockfile-only",
            "",
            result.returncode == 0,
            detail,
        )

    def entries(self, text: str) -> set[Entry]:
        try:
            data = YAML(typ="safe").load(text) or {}
        except YAMLError:
            return set()
        found = set()
        for key in data.get("packages") or {}:
            spec = _PEERS.sub("", str(key).lstrip("/"))
            at = spec.rfind("@")
            if at > 0:
                found.add(Entry(spec[:at], spec[at + 1 :]))
        return found

    def declared(self, manifest: Path) -> dict[str, str]:
        if (
            manifest.name == "pnpm-workspace.yaml"
        ):  # catalogs: the versions `catalog:` specifiers point at
            return _catalog_entries(manifest)
        return package_json_dependencies(manifest)


def _catalog_entries(path: Path) -> dict[str, str]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError):
        return {}
    declared = {str(name): str(spec) for name, spec in (data.get("catalog") or {}).items()}
    for catalog in (data.get("catalogs") or {}).values():
        declared.update({str(name): str(spec) for name, spec in (catalog or {}).items()})
    return declared


def _env(settings: LockSettings) -> dict[str, str]:
    # the exact version already runs: pnpm must not switch to (and download) another
    return tool_env(
        settings.environ,
        npm_config_manage_package_manager_versions="false",
        COREPACK_ENABLE_STRICT="0",
    )
