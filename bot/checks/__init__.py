"""Checks that run after the codemods: a real parser per edited file, and change-set validators.

A file check is `check(path, text) -> CheckResult | None` (None: nothing to say about this file),
registered by file suffix; a batch check gets all matching files of a change set at once. A validator checks a whole change set (e.g. renders a
Helm chart before and after); it is named in a recipe's `validate:` list and registered in
VALIDATORS with the NamedTuple its parameters are validated against at load time.
A tool that is missing gives a `skipped` result with the reason, never `passed`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol

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

    @property
    def transient(self) -> bool:
        """A skip caused by the moment, not by the inputs (a timeout, a parser process that died, node
        tools or a chart that could not be fetched): a later run may well pass, so it is never cached."""
        return self.status == "skipped" and _TRANSIENT.search(self.detail) is not None


# the words of the reasons the checks give for such skips (node_process, node_tools, helm, charts); not
# "run `helm pull ...`", the advice for a chart missing from the cache, which the cache key covers
_TRANSIENT = re.compile(
    r"timed out|\.mjs failed|node tools|does not render|helm pull \S+ \S+ failed"
)


class ValidationContext(Protocol):
    # the checkout with the change applied
    @property
    def work_dir(self) -> Path: ...

    # a pristine copy of the base commit (created on first use), for before/after comparisons:
    # only `paths` (repo-relative files or directories) when given, else all of it
    def base_dir(self, *paths: str) -> Path: ...


FileCheck = Callable[[str, str], "CheckResult | None"]
BatchCheck = Callable[[dict[str, str]], "list[CheckResult]"]


def everything(params: Any) -> tuple[str, ...] | None:
    return None


class Validator(NamedTuple):
    Params: type  # NamedTuple; the recipe's mapping is validated against it at load time
    run: Callable[[Any, ValidationContext], list[CheckResult]]
    # the repo paths (files or directories) it reads, so a checkout can leave the rest out; None: all
    paths: Callable[[Any], tuple[str, ...] | None] = everything
    uses_charts: bool = (
        False  # reads the third-party chart cache (its contents are part of a result)
    )


# (suffixes, check of all matching files at once): a checker that starts a process (node) runs once per change set
CHECKS: list[tuple[tuple[str, ...], BatchCheck]] = []
VALIDATORS: dict[str, Validator] = {}


def register_batch_check(suffixes: tuple[str, ...], check: BatchCheck) -> None:
    CHECKS.append((suffixes, check))


def register_file_check(suffixes: tuple[str, ...], check: FileCheck) -> None:
    def each(files: dict[str, str]) -> list[CheckResult]:
        return [
            result
            for path, text in sorted(files.items())
            if (result := check(path, text)) is not None
        ]

    register_batch_check(suffixes, each)


def check_files(files: dict[str, str]) -> list[CheckResult]:
    """Run every registered check on the edited files (path -> new text); results ordered by file."""
    results: list[CheckResult] = []
    for suffixes, check in CHECKS:
        matching = {path: text for path, text in files.items() if path.endswith(suffixes)}
        if matching:
            results += check(matching)
    return sorted(results, key=lambda result: result.target)


def _load_builtin_checks() -> None:
    from bot.checks import alloy, data, helm, kubernetes, node, pyroscope, python, templates  # noqa: F401  (registration on import)


_load_builtin_checks()
