"""uv: `uv lock` with a Python matching requires-python (never downloaded), through the environment's index."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot.checks import CheckResult
from bot.workspace.lockfiles import interpreters, registry
from bot.workspace.lockfiles.base import check_result, pyproject_dependencies, read_toml
from bot.workspace.lockfiles.model import Entry, LockError, LockJob, LockSettings, Tool
from bot.workspace.lockfiles.run import attempt, tail, tool_env
from bot.workspace.lockfiles.tools import ToolCache

# uv rewrites a lock at the revision it writes itself, so the uv to use is the newest that writes the
# lock's revision (measured: 0.9.7, 0.10.12 and 0.11.33 write 3, 0.12.24 and 0.13.8 write 5)
WRITES_REVISION = {3: "0.11.33", 5: "0.13.8"}
# the oldest measured release that writes each revision: a repo's own pin in this range is used as is
OLDEST_WRITER = {3: "0.9.7", 5: "0.12.24"}
# the uv a Dockerfile copies or pip-installs (e.g. decentralized-identity/didwebvh-server-py: uv:0.9.7)
_DOCKER_PIN = re.compile(r"ghcr\.io/astral-sh/uv:(\d+\.\d+\.\d+)\b|\buv==(\d+\.\d+\.\d+)\b")
DEFAULT_UV = WRITES_REVISION[5]  # for a project without a lock yet
_REVISION = re.compile(r"^revision = (\d+)$", re.MULTILINE)
_MISSING = [
    re.compile(r"Because (?P<name>[A-Za-z0-9_.\-]+) was not found in the package registry"),
    re.compile(
        r"Because there (?:is|are) no versions? of (?P<name>[A-Za-z0-9_.\-]+)(?P<spec>[<>=!~^][^\s,]*)?"
    ),
]


class Uv:
    lockfile = "uv.lock"

    def tool(self, job: LockJob, cache: ToolCache, settings: LockSettings) -> Tool:
        version = _uv_version(
            job.directory,
            job.path.read_text(encoding="utf-8") if job.path.is_file() else "",
            job.root,
        )
        uv = str(cache.python_tool("uv", version) / "uv")
        project = read_toml(job.directory / "pyproject.toml").get("project", {})
        if not isinstance(project.get("requires-python"), str):
            raise LockError("pyproject.toml has no [project] requires-python for uv to resolve for")
        requirement = interpreters.Requirement(
            project["requires-python"], "pyproject.toml requires-python"
        )
        python = interpreters.find(requirement, settings.environ, uv=[uv])
        return Tool("uv", version, (uv,), python=str(python.version), interpreter=python.path)

    def relock(self, directory: Path, tool: Tool, settings: LockSettings) -> None:
        result = attempt(
            [*tool.argv, "lock", *_python(tool)],
            cwd=directory,
            env=_env(settings),
            timeout=settings.timeout,
        )
        if result.returncode != 0:
            output = tail(result, 30)
            for pattern in _MISSING:
                if match := pattern.search(output):
                    spec = f" matching {match['spec']}" if match.groupdict().get("spec") else ""
                    raise LockError(
                        f"the registry {registry.python_index(settings.environ)} has no release of {match['name']}{spec} "
                        f"(uv lock: {tail(result, 4)})"
                    )
            raise LockError(f"uv lock failed (exit {result.returncode}): {tail(result)}")

    def check(self, directory: Path, tool: Tool, settings: LockSettings) -> CheckResult:
        argv = [*tool.argv, "lock", "--locked", *_python(tool)]
        result = attempt(argv, cwd=directory, env=_env(settings), timeout=settings.timeout)
        detail = "" if result.returncode == 0 else tail(result, 4)
        return check_result(tool, "uv lock --check", "", result.returncode == 0, detail)

    def entries(self, text: str) -> set[Entry]:
        try:
            packages = tomllib.loads(text).get("package", [])
        except tomllib.TOMLDecodeError:
            return set()
        return {
            Entry(canonicalize_name(p["name"]), str(p.get("version", "")))
            for p in packages
            if "name" in p
        }

    def declared(self, manifest: Path) -> dict[str, str]:
        return pyproject_dependencies(manifest)


def _uv_version(directory: Path, lock: str, root: Path | None = None) -> str:
    """[tool.uv] required-version when it names one release, else the uv the repo's Dockerfile pins
    when that writes the lock's revision, else the newest uv that writes the lock's revision."""
    uv_table = read_toml(directory / "pyproject.toml").get("tool", {}).get("uv", {})
    required = uv_table.get("required-version")
    exact = (
        re.fullmatch(r"(?:==)?\s*(\d+\.\d+\.\d+)", required.strip())
        if isinstance(required, str)
        else None
    )
    if exact:
        return exact[1]
    revision = _REVISION.search(lock)
    if revision and int(revision[1]) not in WRITES_REVISION:
        raise LockError(
            f"no uv release known to write lock revision {revision[1]}: set [tool.uv] required-version"
        )
    version = WRITES_REVISION[int(revision[1])] if revision else DEFAULT_UV
    pin = _dockerfile_pin(directory, root or directory)
    if pin and revision and _writes(int(revision[1]), pin) and _allowed(required, pin):
        return pin
    if not _allowed(required, version):
        raise LockError(
            f"[tool.uv] required-version {required!r} excludes uv {version}, which writes this lock"
        )
    return version


def _allowed(required: object, version: str) -> bool:
    try:
        return not isinstance(required, str) or SpecifierSet(required).contains(Version(version))
    except InvalidSpecifier:
        raise LockError(
            f"[tool.uv] required-version {required!r} is not a version specifier"
        ) from None


def _dockerfile_pin(directory: Path, root: Path) -> str | None:
    """The uv version the Dockerfiles beside the lock (then at the repository root) install."""
    for folder in dict.fromkeys([directory, root]):
        for dockerfile in sorted(folder.glob("Dockerfile*")):
            try:
                match = _DOCKER_PIN.search(dockerfile.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if match:
                return match[1] or match[2]
    return None


def _writes(revision: int, version: str) -> bool:
    """Whether `version` lies in the measured range of releases that write `revision`."""
    if revision not in OLDEST_WRITER:
        return False
    return (
        Version(OLDEST_WRITER[revision]) <= Version(version) <= Version(WRITES_REVISION[revision])
    )


def _python(tool: Tool) -> list[str]:
    return ["--python", tool.interpreter] if tool.interpreter else []


def _env(settings: LockSettings) -> dict[str, str]:
    return tool_env(
        settings.environ,
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
        **registry.uv_index_env(settings.environ),
    )
