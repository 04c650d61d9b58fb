"""Line helpers for the anchored text codemods: find a unique line, indent a block like its neighbours.

Files are split and joined by codemods/_lines.py, which keeps their newline style."""

from __future__ import annotations

import re

from codemods._api import CodemodError


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def indent_block(block: str, prefix: str) -> list[str]:
    """The block's lines (recipes write them unindented) with `prefix` added to non-empty ones.

    Only the block's final newline is dropped, so a YAML `|+` block can end in a blank line."""
    body = block.removesuffix("\n")
    return [prefix + line if line.strip() else "" for line in body.split("\n")]


def matching_lines(lines: list[str], pattern: str, what: str) -> list[int]:
    """Indexes of the lines matching `pattern` (a regex searched in each line); at least one."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise CodemodError(f"{what}: invalid regex {pattern!r}: {exc}") from exc
    hits = [index for index, line in enumerate(lines) if regex.search(line)]
    if not hits:
        raise CodemodError(f"{what}: no line matches {pattern!r}")
    return hits


def pick(hits: list[int], pattern: str, occurrence: str, what: str) -> int:
    """The one hit `occurrence` names: 'only' (and there must be one), 'first' or 'last'."""
    if occurrence == "only":
        if len(hits) > 1:
            numbers = ", ".join(str(h + 1) for h in hits)
            raise CodemodError(f"{what}: {len(hits)} lines match {pattern!r} (lines {numbers})")
        return hits[0]
    if occurrence not in ("first", "last"):
        raise CodemodError(f"occurrence must be 'only', 'first' or 'last', not {occurrence!r}")
    return hits[0] if occurrence == "first" else hits[-1]
