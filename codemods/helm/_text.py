"""Indentation helpers for Helm templates and values files read as lines (codemods/_lines.py)."""

from __future__ import annotations


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_blank(line: str) -> bool:
    return not line.strip()


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def reindent(block: str, indent: int) -> list[str]:
    """Lines of `block` with their common indentation replaced by `indent` spaces."""
    lines = block.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    common = min((indent_of(line) for line in lines if line.strip()), default=0)
    return [" " * indent + line[common:] if line.strip() else "" for line in lines]
