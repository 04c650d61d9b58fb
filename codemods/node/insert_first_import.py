"""Make a side-effect import (`import './profiling.js'`) the first import of an entry module.

ES modules evaluate their imports in order, and TypeScript compiled to CommonJS keeps that order as
`require` calls, so the first import runs before anything else the entry point loads. The new line
is written in the file's quote and semicolon style. `import type` lines are erased at runtime, so an
existing import after them still counts as first.
"""

from __future__ import annotations

from typing import NamedTuple

from codemods._api import CodemodError
from codemods._globs import by_extension
from codemods.node import _ts

DESCRIPTION = (
    "Insert a side-effect import as the first import of a TS/JS module (ESM or CJS-compiled)."
)
FILES = by_extension("ts", "tsx", "js", "mjs", "mts")


class Params(NamedTuple):
    module: str  # specifier as it must be written: './profiling.js' under NodeNext, './profiling' otherwise
    comment: str = ""  # one-line `//` comment above the import, e.g. why it must come first


def apply(params: Params, path: str, text: str) -> str:
    root, source = _ts.parse(path, text)
    imports = _ts.leading_imports(root, source)
    runtime = [i for i in imports if not i.type_only]
    if runtime and runtime[0].source == params.module:
        return text
    if any(i.source == params.module for i in imports):
        raise CodemodError(
            f"{path} imports {params.module} but not first; move it to the top by hand"
        )
    _check_extension_convention(params.module, imports, path)
    style = _ts.detect_style(root, source)
    line = f"import {style.quote}{params.module}{style.quote}{';' if style.semicolons else ''}\n"
    if params.comment:
        line = f"// {params.comment}\n{line}"
    at = imports[0].line_start if imports else _ts.top_of_code(root, source)
    return _ts.insert_lines(source, at, line)


def _check_extension_convention(module: str, imports: list[_ts.Import], path: str) -> None:
    """Under NodeNext every relative import names its `.js` file; a bare './x' would not resolve."""
    relative = [i.source for i in imports if i.source.startswith(".")]
    if (
        module.startswith(".")
        and not module.endswith(".js")
        and relative
        and all(s.endswith(".js") for s in relative)
    ):
        raise CodemodError(
            f"{path}: relative imports here end in .js (NodeNext); write {module}.js"
        )
