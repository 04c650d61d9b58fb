"""Replace one exact template line with one or more lines, at that line's indentation.

For template edits no structural codemod covers (e.g. merging extra keys into a map before
`toJson`). The anchor must occur exactly once outside the replacement; when every copy of it is
inside an existing replacement (or there is none and the replacement is there), the file is left as
it is. So a replacement may keep the anchor line (e.g. add lines after it) and stay idempotent.
"""

from __future__ import annotations

from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm._text import indent_of, reindent

DESCRIPTION = (
    "Replace one exact line of a Helm template (compared without indentation) with new lines."
)
FILES = ("**/templates/*.yaml", "**/templates/**/*.yaml", "**/templates/*.tpl", "**/files/*")


class Params(NamedTuple):
    find: str  # the whole line, without its indentation
    replace: str  # new lines; their common indentation becomes the found line's


def apply(params: Params, path: str, text: str) -> str:
    lines = Lines.split(text)
    replacement = reindent(params.replace, 0)
    done = _replaced_lines(lines.lines, replacement)
    found = [
        index
        for index, line in enumerate(lines.lines)
        if line.strip() == params.find.strip() and index not in done
    ]
    if not found:
        if done:
            return text
        raise CodemodError(f"{path}: no line {params.find.strip()!r} to replace")
    if len(found) > 1:
        lines_at = ", ".join(str(index + 1) for index in found)
        raise CodemodError(
            f"{path}: {params.find.strip()!r} occurs {len(found)} times (lines {lines_at})"
        )
    index = found[0]
    lines.lines[index : index + 1] = reindent(params.replace, indent_of(lines.lines[index]))
    return lines.join()


def _replaced_lines(lines: list[str], replacement: list[str]) -> set[int]:
    """Indexes of the lines that are part of a copy of the replacement (compared without indentation)."""
    wanted = [line.strip() for line in replacement]
    have = [line.strip() for line in lines]
    return {
        start + offset
        for start in range(len(have) - len(wanted) + 1)
        if wanted and have[start : start + len(wanted)] == wanted
        for offset in range(len(wanted))
    }
