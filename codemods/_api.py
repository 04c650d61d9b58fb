"""The surface every codemod module provides, and the two ways a codemod says no.

A codemod is a module, not a class: it assigns the four names below. It is a pure text
transform: it gets a repository-relative path and the file's text and returns new text.
It never touches git, the network, or any file other than the one it is given.
"""

from __future__ import annotations

from typing import Any, Protocol


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
