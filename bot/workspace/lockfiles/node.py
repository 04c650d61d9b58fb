"""What npm, pnpm and Yarn share: the `packageManager` pin, the registry in error messages, missing packages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

from bot.workspace.lockfiles.base import read_json
from bot.workspace.lockfiles.model import LockError, LockSettings
from bot.workspace.lockfiles.run import attempt, tail, tool_env

_PIN = re.compile(r"^(?P<name>npm|pnpm|yarn)@(?P<version>\d+\.\d+\.\d+[^+]*)(\+.*)?$")
_MISSING = [
    re.compile(r"404 Not Found - GET \S+?/(?P<name>(@[^/\s]+/|@[^/\s]+%2[fF])?[^/\s]+) - "),  # npm
    re.compile(
        r"ERR_PNPM_FETCH_404[^\n]*?GET \S+?/(?P<name>(@[^/\s]+/|@[^/\s]+%2[fF])?[^/\s:]+):"
    ),  # pnpm
    re.compile(
        r'error An unexpected error occurred: "\S+?/(?P<name>(@[^/\s]+/|@[^/\s]+%2[fF])?[^/\s:]+): Not found'
    ),
    re.compile(
        r"No matching version found for (?P<name>@?[^@\s]+)@(?P<spec>\S+?)\.?(\s|$)"
    ),  # npm, pnpm
    re.compile(
        r"Couldn't find any versions for \"(?P<name>[^\"]+)\" that matches \"(?P<spec>[^\"]+)\""
    ),  # yarn
]


def pinned(directory: Path, root: Path, manager: str) -> str | None:
    """The exact version `packageManager` pins, looking up from `directory` to the repository root."""
    for folder in [directory, *directory.parents]:
        value = read_json(folder / "package.json").get("packageManager")
        if isinstance(value, str):
            match = _PIN.match(value.strip())
            if match and match["name"] == manager:
                return match["version"]
            if match:
                raise LockError(
                    f"{folder / 'package.json'} pins {value}, but the lockfile is {manager}'s"
                )
        if folder == root:
            break
    return None


def system_tool(name: str, settings: LockSettings) -> tuple[str, str]:
    """(path, version) of a tool on the environment's PATH, or LockError."""
    path = shutil.which(name, path=settings.environ.get("PATH"))
    if path is None:
        raise LockError(f"{name} is not on PATH")
    try:
        version = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=tool_env(settings.environ),
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LockError(f"cannot run {path} --version: {exc}") from None
    return path, version


def registry_url(npm_like: list[str], directory: Path, settings: LockSettings) -> str:
    """The registry the tool is configured with (npmrc files, npm_config_* variables)."""
    result = attempt(
        [*npm_like, "config", "get", "registry"],
        cwd=directory,
        env=tool_env(settings.environ),
        timeout=60,
    )
    return result.stdout.strip() or "(the configured npm registry)"


def failure(what: str, result: subprocess.CompletedProcess[str], registry: str) -> LockError:
    """The tool's failure, naming the package when the registry lacks it."""
    output = (result.stderr or "") + "\n" + (result.stdout or "")
    for pattern in _MISSING:
        match = pattern.search(output)
        if match:
            name = unquote(match["name"])
            spec = match.groupdict().get("spec")
            release = f" matching {spec}" if spec else ""
            return LockError(
                f"the registry {registry} has no release of {name}{release} ({what} failed: {tail(result, 4)})"
            )
    return LockError(f"{what} failed (exit {result.returncode}): {tail(result)}")
