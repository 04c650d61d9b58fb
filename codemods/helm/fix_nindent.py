"""Make an `include ... | nindent N` that renders extra list entries line up with its list.

The bug this fixes: a hook like `{{- include "common.tplvalues.render" (dict "value"
.Values.extraEnvVars ...) | nindent 6 }}` inside an env list whose items sit at column 12
renders its entries at column 6, which is no longer part of the list, so any non-empty value
breaks the manifest. The right indentation is read from the list the line sits in.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm import _template

DESCRIPTION = "Align the nindent of an include that renders list entries with the enclosing list."
FILES = ("**/templates/*.yaml", "**/templates/**/*.yaml")


class Params(NamedTuple):
    value: str  # the values reference the hook renders, e.g. '.Values.extraEnvVars'


def apply(params: Params, path: str, text: str) -> str:
    lines = Lines.split(text)
    reference = re.compile(rf"{re.escape(params.value)}(?![\w.])")
    hooks = [
        index
        for index, line in enumerate(lines.lines)
        if _template.is_action(line) and reference.search(line) and _template.NINDENT.search(line)
    ]
    if len(hooks) != 1:
        raise CodemodError(
            f"{path}: expected one line rendering {params.value} with nindent, found {len(hooks) or 'none'}"
        )
    hook = hooks[0]
    wanted = _list_indent(lines.lines, hook, path)
    line = lines.lines[hook]
    lines.lines[hook] = _template.NINDENT.sub(f"nindent {wanted}", line, count=1)
    return lines.join()


def _list_indent(lines: list[str], hook: int, path: str) -> int:
    """Indentation of the entries of the innermost list that contains the hook line."""
    for index in range(hook - 1, -1, -1):
        line = lines[index]
        if (
            _template.is_action(line)
            or not line.rstrip().endswith(":")
            or line.lstrip().startswith(("- ", "#"))
        ):
            continue
        try:
            found = _template.block(lines, index, path)
        except CodemodError:
            continue  # a key with no entries of its own cannot hold the hook
        if found.is_list and found.header < hook < found.end:
            return found.items
    raise CodemodError(f"{path}: line {hook + 1} is not inside a list")
