"""Insert lines before or after an anchor line in a TS/TSX/JS/Vue file (an entry point, a config).

Recipes write the block unindented; it takes the anchor line's indentation. The change is already
there when the marker (by default the block's first line) is in the block-sized run of lines on the
inserting side of a line matching the anchor: not anywhere in the file, where it may be a comment
or left over from a moved block. A missing anchor is an error either way.
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
    # next to the anchor = already done; default: the first line of text
    marker: str = ""


def apply(params: Params, path: str, text: str) -> str:
    if params.position not in ("after", "before"):
        raise CodemodError(f"position must be 'after' or 'before', not {params.position!r}")
    marker = params.marker or params.text.strip().split("\n")[0].strip()
    if not marker:
        raise CodemodError("text is empty")
    lines = Lines.split(text)
    hits = _lines.matching_lines(lines.lines, params.anchor, path)
    size = len(_lines.indent_block(params.text, ""))
    if any(marker in line for hit in hits for line in _beside(lines.lines, hit, size, params)):
        return text
    index = _lines.pick(hits, params.anchor, params.occurrence, path)
    block = _lines.indent_block(params.text, _lines.indentation(lines.lines[index]))
    lines.insert(index + 1 if params.position == "after" else index, block)
    return lines.join()


def _beside(lines: list[str], anchor: int, size: int, params: Params) -> list[str]:
    """The `size` lines where the block goes next to this anchor line."""
    if params.position == "after":
        return lines[anchor + 1 : anchor + 1 + size]
    return lines[max(anchor - size, 0) : anchor]
