"""What every ecosystem module provides (a small Protocol), and the manifest readers they share."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Protocol

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from bot.checks import CheckResult
from bot.workspace.lockfiles.model import Entry, LockJob, LockSettings, Tool
from bot.workspace.lockfiles.tools import ToolCache


class Ecosystem(Protocol):
    lockfile: str  # e.g. "poetry.lock"

    def tool(self, job: LockJob, cache: ToolCache, settings: LockSettings) -> Tool:
        """The repo's own tool at the repo's own version, installed if needed (LockError if it cannot be)."""

    def relock(self, directory: Path, tool: Tool, settings: LockSettings) -> None:
        """Regenerate the lockfile in `directory` in place, keeping existing pins; LockError on failure."""

    def check(self, directory: Path, tool: Tool, settings: LockSettings) -> CheckResult:
        """The ecosystem's own consistency check of the lock against its manifests."""

    def entries(self, text: str) -> set[Entry]:
        """The resolved packages of a lockfile."""

    def declared(self, manifest: Path) -> dict[str, str]:
        """The dependencies a manifest declares: name -> constraint."""


def check_result(tool: Tool, name: str, target: str, ok: bool, detail: str) -> CheckResult:
    return CheckResult(
        name,
        target,
        "passed" if ok else "failed",
        f"{tool.label()}: {detail}" if detail else tool.label(),
    )


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def package_json_dependencies(path: Path) -> dict[str, str]:
    data = read_json(path)
    declared: dict[str, str] = {}
    for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        if isinstance(data.get(section), dict):
            declared.update({name: str(spec) for name, spec in data[section].items()})
    return declared


def pyproject_dependencies(path: Path) -> dict[str, str]:
    """PEP 621 dependencies, optional dependencies, dependency groups and Poetry's dependency tables."""
    data = read_toml(path)
    project, poetry = data.get("project", {}), data.get("tool", {}).get("poetry", {})
    strings = list(project.get("dependencies", []))
    for group in [
        *project.get("optional-dependencies", {}).values(),
        *data.get("dependency-groups", {}).values(),
    ]:
        strings += [item for item in group if isinstance(item, str)]
    declared: dict[str, str] = {}
    for text in strings:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        declared[canonicalize_name(requirement.name)] = str(requirement.specifier) + str(
            requirement.marker or ""
        )
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [group.get("dependencies", {}) for group in poetry.get("group", {}).values()]
    for table in tables:
        declared.update(
            {canonicalize_name(name): str(spec) for name, spec in table.items() if name != "python"}
        )
    return declared
