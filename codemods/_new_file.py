"""Codemods that write a whole new file (`create: true` steps start from an empty one)."""

from __future__ import annotations

from codemods._api import CodemodError


def create(path: str, current: str, wanted: str, source: str) -> str:
    """`wanted` for a new (empty) file; the same content already there is no change; any other
    content is somebody's file, which we do not overwrite. `source` names what to merge by hand."""
    if current == wanted:
        return current
    if current.strip():
        raise CodemodError(f"{path} already exists with other content; merge {source} by hand")
    return wanted
