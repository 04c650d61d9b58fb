"""The ruff a target repository pins, so generated code is linted as that repository's CI would lint it.

A repository declares ruff in its pyproject.toml: Poetry (`ruff = "^0.15"` in a dev group), PEP 735
`[dependency-groups]` or `[project.optional-dependencies]`. The newest release that matches is installed
once from the configured package index into `.cache/test-tools/` (what `poetry install` or `uv sync` would
pick there); a repository that declares none is linted with our own pinned ruff.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "test-tools"


def ruff_for(file: Path) -> str:
    """Path of the ruff binary for the repository `file` belongs to (nearest pyproject.toml)."""
    pyproject = next(
        (d / "pyproject.toml" for d in file.parents if (d / "pyproject.toml").is_file()), None
    )
    spec = declared(pyproject) if pyproject else None
    if spec is None:
        return shutil.which("ruff") or pytest.skip("ruff is not installed")
    return _installed(spec)


def declared(pyproject: Path) -> str | None:
    """The repository's ruff version specifier (PEP 440), or None when it declares no ruff."""
    data = tomllib.loads(pyproject.read_text())
    poetry = data.get("tool", {}).get("poetry", {})
    groups = [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]
    for table in [*groups, poetry.get("dev-dependencies", {})]:
        if "ruff" in table:
            value = table["ruff"]
            return poetry_specifier(value["version"] if isinstance(value, dict) else value)
    lists = [
        *data.get("dependency-groups", {}).values(),
        *data.get("project", {}).get("optional-dependencies", {}).values(),
    ]
    for requirement in (entry for group in lists for entry in group if isinstance(entry, str)):
        try:
            parsed = Requirement(requirement)
        except InvalidRequirement:
            continue
        if parsed.name == "ruff":
            return str(parsed.specifier) or None
    return None


def poetry_specifier(constraint: str) -> str:
    """Poetry's caret, tilde and bare versions as PEP 440 (python-poetry.org/docs/dependency-specification)."""
    constraint = constraint.strip()
    if constraint[:1] in "^~" and constraint[1:2] != "=":
        parts = [int(p) for p in constraint[1:].split(".")]
        if constraint[0] == "^":
            bump = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
        else:
            bump = 0 if len(parts) == 1 else 1
        upper = [*parts[:bump], parts[bump] + 1]
        return f">={'.'.join(map(str, parts))},<{'.'.join(map(str, upper))}"
    if constraint[:1].isdigit():
        return f"=={constraint}"
    return constraint


def _installed(spec: str) -> str:
    target = CACHE / f"ruff-{hashlib.sha256(spec.encode()).hexdigest()[:12]}"
    binary = target / "bin" / "ruff"
    if not binary.is_file():
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        install = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                   "--only-binary=:all:", "--target", str(staging), f"ruff{spec}"]  # fmt: skip
        done = subprocess.run(install, capture_output=True, text=True, check=False)
        if done.returncode:
            pytest.skip(
                f"cannot install ruff{spec} from the package index: {done.stderr.strip()[-300:]}"
            )
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return str(binary)
