"""The surface every codemod module provides, and the two ways a codemod says no.

A codemod is a module, not a class: it assigns the four names below. It is a pure text
transform: it gets a repository-relative path and the file's text and returns new text.
It never touches git, the network, or any file other than the one it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol


class NotApplicable(Exception):
    """The file does not need or cannot take this change; the step is skipped with this reason."""


class CodemodError(Exception):
    """The change cannot be made safely (anchor missing, source does not parse, ...)."""


class Codemod(Protocol):
    # one line, shown by `bot list --codemods` and in PR bodies
    DESCRIPTION: str
    # glob patterns (fnmatch, '**/' may match nothing) of the files this codemod is meant for
    FILES: tuple[str, ...]
    # a NamedTuple class; a recipe step's `with:` mapping is validated against it at load time
    Params: type

    # new text, or the same text when the change is already there (idempotence)
    def apply(self, params: Any, path: str, text: str) -> str: ...


class PlannedStep(NamedTuple):
    """A codemod step a planner chose: which codemod, on which file, with which `with:` parameters."""

    codemod: str
    path: str
    params: dict[str, Any]
    create: bool = False  # the file is new


class Plan(NamedTuple):
    steps: tuple[PlannedStep, ...]
    notes: tuple[str, ...] = ()  # what the reviewer should know about what was found


class Planner(Protocol):
    """Reads a whole repository and decides the codemod steps of one change (pattern discovery).

    Pure like a codemod: `files` is a read-only mapping of repo-relative paths to text, read lazily;
    a planner never writes. It raises CodemodError (naming the file and what was not found) when the
    repository does not have the pattern, before any step runs."""

    DESCRIPTION: str
    Params: type  # NamedTuple, validated at load time like a codemod's

    def plan(self, params: Any, files: Mapping[str, str]) -> Plan: ...
