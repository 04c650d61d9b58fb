"""Create a new module from one of our templates (codemods/_templates/), e.g. a profiling module.

The recipe step says `create: true`, so a file that does not exist arrives as "". The same content
already there is no change; any other content is somebody's file, which we do not overwrite.
TS/JS templates are written with double quotes and semicolons and restyled to the repository's
formatter settings (prettier/biome), so the new file passes its format check.
"""

from __future__ import annotations

from typing import NamedTuple

from codemods import _new_file, _template
from codemods._api import CodemodError
from codemods._globs import by_extension
from codemods.node import _ts

DESCRIPTION = (
    "Create a new source file from a named template, in the repository's quote/semicolon style."
)
FILES = by_extension("ts", "tsx", "js", "mjs", "py", "html", "jinja")

_SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".mjs")


class Params(NamedTuple):
    template: str  # file name in codemods/_templates, e.g. 'pyroscope-init.ts'
    values: dict[str, str] | None = None  # placeholder values, e.g. {app_name: traction-tenant-ui}
    quotes: str = "double"  # TS/JS only: 'single' or 'double'
    semicolons: bool = True  # TS/JS only


def apply(params: Params, path: str, text: str) -> str:
    return _new_file.create(path, text, render(params), params.template)


def render(params: Params) -> str:
    """The file content this step writes (tests run it through the real toolchain)."""
    if params.quotes not in ("single", "double"):
        raise CodemodError(f"quotes must be 'single' or 'double', not {params.quotes!r}")
    text = _template.render(params.template, params.values or {})
    if params.template.endswith(_SCRIPT_SUFFIXES):
        text = _ts.restyle(
            params.template, text, "'" if params.quotes == "single" else '"', params.semicolons
        )
    return text
