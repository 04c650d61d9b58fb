"""Insert lines before or after an anchor line in a TS/TSX/JS/Vue file (an entry point, a config).

Recipes write the block unindented; it takes the anchor line's indentation. The marker (by default
the block's first line) being anywhere in the file means the change is already there.
"""

from __future__ import annotations

from typing import NamedTuple

from codemods._api import CodemodError
from codemods._globs import by_extension
from codemods._lines import Lines
from codemods.web import _lines

DESCRIPTION = (
    "Insert a block of lines before/after the line matching an anchor regex (TS/TSX/JS/Vue)."
)
FILES = by_extension("ts", "tsx", "js", "mjs", "vue")


class Params(NamedTuple):
    anchor: str  # regex searched in each line, e.g. 'await configStore\.load\(\);'
    text: str  # the lines to insert, unindented
    position: str = "after"  # 'after' or 'before' the anchor line
    occurrence: str = "only"  # which matching line: 'only' (exactly one), 'first', 'last'
    marker: str = ""  # present anywhere = already done; default: the first line of text


def apply(params: Params, path: str, text: str) -> str:
    if params.position not in ("after", "before"):
        raise CodemodError(f"position must be 'after' or 'before', not {params.position!r}")
    marker = params.marker or params.text.strip().split("\n")[0].strip()
    if not marker:
        raise CodemodError("text is empty")
    if marker in text:
        return text
    lines = Lines.split(text)
    index = _lines.find_line(lines.lines, params.anchor, params.occurrence, path)
    block = _lines.indent_block(params.text, _lines.indentation(lines.lines[index]))
    lines.insert(index + 1 if params.position == "after" else index, block)
    return lines.join()
