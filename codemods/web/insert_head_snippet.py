"""Insert a snippet (from codemods/_templates/) just before `</head>` of an HTML or Jinja page.

The snippet is indented one level deeper than `</head>`, by the unit the page already uses, and a
page without a final newline keeps it missing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods import _template
from codemods._api import CodemodError
from codemods._globs import by_extension
from codemods._lines import Lines
from codemods.web import _lines

DESCRIPTION = (
    "Insert a templated snippet (e.g. the Faro browser SDK tags) before </head> in HTML/Jinja."
)
FILES = by_extension("html", "jinja", "j2", "htm")

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


class Params(NamedTuple):
    template: str  # file name in codemods/_templates, e.g. 'faro-cdn.html'
    marker: str  # present anywhere in the page = already done, e.g. 'faro-web-sdk'
    values: dict[str, str] | None = None


def apply(params: Params, path: str, text: str) -> str:
    if params.marker in text:
        return text
    ends = list(_HEAD_END.finditer(text))
    if len(ends) != 1:
        raise CodemodError(f"{path} has {len(ends)} </head> tags; expected exactly one")
    snippet = _template.render(params.template, params.values or {})
    lines = Lines.split(text)
    index = text.count("\n", 0, ends[0].start())
    line = lines.lines[index]
    column = ends[0].start() - (text.rfind("\n", 0, ends[0].start()) + 1)
    if line[:column].strip():  # `...</style></head>`: give </head> its own line
        lines.lines[index : index + 1] = [line[:column], _lines.indentation(line) + line[column:]]
        index += 1
    head = _lines.indentation(lines.lines[index])
    lines.insert(index, _lines.indent_block(snippet, head + _unit(lines.lines[:index], head)))
    return lines.join()


def _unit(before: list[str], head: str) -> str:
    """One indentation level: what the line before </head> adds over it (2 spaces when flat)."""
    previous = next((line for line in reversed(before) if line.strip()), "")
    indent = _lines.indentation(previous)
    return indent[len(head) :] if indent.startswith(head) and len(indent) > len(head) else "  "
