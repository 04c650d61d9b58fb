"""Create a new chart file (a template, a helper) with the given content.

Used with a step's `create: true`: the file starts empty. An existing file with the same
content is left alone; one with other content is a conflict for a human.
"""

from __future__ import annotations

from typing import NamedTuple

from codemods import _new_file

DESCRIPTION = (
    "Create a new Helm chart file (e.g. a conditional ConfigMap template) with fixed content."
)
FILES = ("**/templates/*.yaml", "**/templates/**/*.yaml", "**/templates/*.tpl")


class Params(NamedTuple):
    content: str  # the whole file, ending with a newline


def apply(params: Params, path: str, text: str) -> str:
    return _new_file.create(path, text, params.content, "the new content")
