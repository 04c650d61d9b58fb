"""Checks that run after the codemods: a real parser per edited file, and change-set validators.

A file check is `check(path, text) -> CheckResult | None` (None: nothing to say about this file),
registered by file suffix in FILE_CHECKS. A validator checks a whole change set (e.g. renders a
Helm chart before and after); it is named in a recipe's `validate:` list and registered in
VALIDATORS with the NamedTuple its parameters are validated against at load time.
A tool that is missing gives a `skipped` result with the reason, never `passed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal, NamedTuple, Protocol

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class CheckResult:
    name: str  # the checker, e.g. 'ast', 'esbuild', 'helm template (defaults)'
    target: str  # the file or chart it looked at, repo-relative
    status: Status
    detail: str = ""  # the parser's message on failure, the reason on skip

    def line(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.status}: {self.name} {self.target}{detail}"


class ValidationContext(Protocol):
    # the checkout with the change applied
    work_dir: Path

    # a pristine copy of the base commit (created on first use), for before/after comparisons
    def base_dir(self) -> Path: ...


FileCheck = Callable[[str, str], "CheckResult | None"]


class Validator(NamedTuple):
    Params: type  # NamedTuple; the recipe's mapping is validated against it at load time
    run: Callable[[Any, ValidationContext], "list[CheckResult]"]


FILE_CHECKS: dict[str, list[FileCheck]] = {}
VALIDATORS: dict[str, Validator] = {}


def register_file_check(suffixes: tuple[str, ...], check: FileCheck) -> None:
    for suffix in suffixes:
        FILE_CHECKS.setdefault(suffix, []).append(check)


def check_files(files: dict[str, str]) -> list[CheckResult]:
    """Run every registered check on each edited file (path -> new text)."""
    results = []
    for path, text in sorted(files.items()):
        for suffix, checks in FILE_CHECKS.items():
            if path.endswith(suffix):
                results += [r for check in checks if (r := check(path, text)) is not None]
    return results


def _load_builtin_checks() -> None:
    from bot.checks import data, helm, node, python, templates  # noqa: F401  (registration on import)


_load_builtin_checks()
