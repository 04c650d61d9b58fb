"""Before/after assertions for codemods, each with OpenRewrite's second cycle: run again, expect no change."""

from __future__ import annotations

import textwrap
from types import ModuleType
from typing import Any

import pytest

from codemods import CodemodError, NotApplicable


def run(codemod: ModuleType, params: dict[str, Any], text: str, path: str) -> str:
    return codemod.apply(codemod.Params(**params), path, text)


def _prepare(text: str, dedent: bool) -> str:
    return textwrap.dedent(text) if dedent else text


def assert_codemod(
    codemod: ModuleType,
    params: dict[str, Any],
    *,
    path: str,
    before: str,
    after: str,
    dedent: bool = True,
) -> str:
    """Apply once and compare with `after`; apply to `after` and expect it unchanged."""
    before, after = _prepare(before, dedent), _prepare(after, dedent)
    result = run(codemod, params, before, path)
    assert result == after
    assert run(codemod, params, result, path) == result, "second run changed the file"
    return result


def assert_unchanged(
    codemod: ModuleType, params: dict[str, Any], *, path: str, text: str, dedent: bool = True
) -> None:
    text = _prepare(text, dedent)
    assert run(codemod, params, text, path) == text


def assert_not_applicable(
    codemod: ModuleType,
    params: dict[str, Any],
    *,
    path: str,
    text: str,
    match: str,
    dedent: bool = True,
) -> None:
    with pytest.raises(NotApplicable, match=match):
        run(codemod, params, _prepare(text, dedent), path)


def assert_codemod_error(
    codemod: ModuleType,
    params: dict[str, Any],
    *,
    path: str,
    text: str,
    match: str,
    dedent: bool = True,
) -> None:
    with pytest.raises(CodemodError, match=match):
        run(codemod, params, _prepare(text, dedent), path)
