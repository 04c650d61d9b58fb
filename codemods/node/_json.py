"""JSON files written the way npm and node-config users write them: JSON.stringify(data, null, indent).

We parse with `json`, change the data and dump it with the file's own indent and final newline (or
its absence). A file that this would reformat beyond the change (hand-aligned arrays, comments) is
refused instead of rewritten.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from codemods._api import CodemodError


class Layout(NamedTuple):
    indent: str
    final_newline: bool


def load(path: str, text: str) -> tuple[dict[str, Any], Layout]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodemodError(
            f"{path} does not parse as JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise CodemodError(f"{path}: expected a JSON object at the top level")
    indent = re.search(r"\n([ \t]+)\S", text)
    layout = Layout(indent=indent.group(1) if indent else "  ", final_newline=text.endswith("\n"))
    if dump(data, layout) != text:
        raise CodemodError(
            f"{path} is not laid out as JSON.stringify(data, null, {len(layout.indent)}) writes it; "
            "rewriting it would reformat unrelated lines"
        )
    return data, layout


def dump(data: dict[str, Any], layout: Layout) -> str:
    text = json.dumps(data, indent=layout.indent, ensure_ascii=False)
    return text + "\n" if layout.final_newline else text


def insert_key(mapping: dict[str, Any], key: str, value: Any, index: int) -> dict[str, Any]:
    """A copy of `mapping` with `key` at position `index` (dicts keep insertion order)."""
    items = list(mapping.items())
    items.insert(index, (key, value))
    return dict(items)
