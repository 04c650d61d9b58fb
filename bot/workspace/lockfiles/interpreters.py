"""A Python interpreter matching a project's requires-python, for Poetry and uv to resolve with.

Looked for, in order: BOT_PYTHON_<major>_<minor>=/path, pyenv's versions, `uv python find`,
then python3.X on PATH. The lowest matching version wins (the oldest Python the project supports
is the one its lock must work for)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from bot.workspace.lockfiles.model import LockError

_MINORS = range(8, 21)
_ENV = re.compile(r"^BOT_PYTHON_3_(\d+)$")


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: Version


class Requirement:
    """`requires-python` as PEP 440, or Poetry's `python = "^3.13"` (alternatives with `||`)."""

    def __init__(self, text: str, source: str):
        self.text, self.source = text.strip(), source
        try:
            self.alternatives = [SpecifierSet(_pep440(part)) for part in self.text.split("||")]
        except (InvalidSpecifier, ValueError):
            raise LockError(f"{source}: cannot read the Python constraint {text!r}") from None

    def allows(self, version: Version) -> bool:
        return any(spec.contains(version, prereleases=True) for spec in self.alternatives)

    def needed(self) -> str:
        """The lowest Python 3 minor version the constraint allows, e.g. '3.14'."""
        for minor in _MINORS:
            if any(self.allows(Version(f"3.{minor}.{patch}")) for patch in range(30)):
                return f"3.{minor}"
        raise LockError(
            f"{self.source}: the Python constraint {self.text!r} allows no Python 3 release"
        )


def find(
    requirement: Requirement, environ: Mapping[str, str], uv: list[str] | None = None
) -> Interpreter:
    """The lowest matching interpreter, or LockError naming the version needed and how to provide it."""
    matching = [
        found for found in candidates(environ, uv, requirement) if requirement.allows(found.version)
    ]
    if matching:
        return min(matching, key=lambda found: found.version)
    needed = requirement.needed()
    variable = "BOT_PYTHON_" + needed.replace(".", "_")
    raise LockError(
        f"needs Python {needed} ({requirement.source}: {requirement.text!r}), and none was found in "
        f"{variable}, pyenv versions, `uv python find` or PATH: install it (e.g. `pyenv install {needed}`) "
        f"or set {variable}=/path/to/python{needed}"
    )


def candidates(
    environ: Mapping[str, str], uv: list[str] | None, requirement: Requirement
) -> list[Interpreter]:
    paths = [value for name, value in sorted(environ.items()) if _ENV.match(name) and value]
    paths += _pyenv(environ)
    if uv:
        paths += _uv_find(uv, environ, requirement)
    paths += _on_path(environ)
    found: dict[str, Interpreter] = {}
    for path in paths:
        if path not in found and (version := _version(path)) is not None:
            found[path] = Interpreter(path, version)
    return list(found.values())


def _pyenv(environ: Mapping[str, str]) -> list[str]:
    root = environ.get("PYENV_ROOT") or str(Path(environ.get("HOME", "~")).expanduser() / ".pyenv")
    versions = Path(root) / "versions"
    if not versions.is_dir():
        return []
    return [str(path) for path in sorted(versions.glob("*/bin/python3")) if path.is_file()]


def _uv_find(uv: list[str], environ: Mapping[str, str], requirement: Requirement) -> list[str]:
    env = {
        **environ,
        "UV_PYTHON_DOWNLOADS": "never",
    }  # a download would leave the configured registries
    found = []
    for spec in requirement.alternatives:
        result = _quiet([*uv, "python", "find", "--no-project", str(spec) or ">=3"], env)
        if result:
            found.append(result)
    return found


def _on_path(environ: Mapping[str, str]) -> list[str]:
    found = []
    for directory in environ.get("PATH", os.defpath).split(os.pathsep):
        for name in [f"python3.{minor}" for minor in _MINORS] + ["python3"]:
            path = Path(directory) / name
            if path.is_file() and os.access(path, os.X_OK):
                found.append(str(path))
    return found


_versions: dict[str, Version | None] = {}


def _version(path: str) -> Version | None:
    if path not in _versions:
        text = _quiet(
            [path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], dict(os.environ)
        )
        try:
            _versions[path] = Version(text) if text else None
        except InvalidVersion:
            _versions[path] = None
    return _versions[path]


def _quiet(argv: list[str], env: Mapping[str, str]) -> str:
    try:
        result = subprocess.run(
            argv, env=dict(env), capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _pep440(constraint: str) -> str:
    """Poetry's constraint syntax (^, ~, bare versions, spaces) as a PEP 440 specifier."""
    parts = [part for part in re.split(r"[,\s]+", constraint.strip()) if part]
    return ",".join(_one(part) for part in parts if part != "*")


def _one(part: str) -> str:
    if part.startswith("^"):
        numbers = _numbers(part[1:])
        first = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
        upper = [*numbers[:first], numbers[first] + 1]
        return f">={part[1:]},<{'.'.join(map(str, upper))}"
    if part.startswith("~") and not part.startswith("~="):
        numbers = _numbers(part[1:])
        upper = [numbers[0] + 1] if len(numbers) == 1 else [numbers[0], numbers[1] + 1]
        return f">={part[1:]},<{'.'.join(map(str, upper))}"
    if part[0].isdigit():
        return f"=={part}"
    return part


def _numbers(version: str) -> list[int]:
    return [int(piece) for piece in version.split(".") if piece.isdigit()]
