"""Add a named import (`import { faroProxy } from './middleware/faroProxy.js'`) among a module's imports.

Placement follows what eslint's import/order with alphabetize expects: when the imports of the same
kind (relative `./`, parent `../`, or package) are in alphabetical order, the new one takes its
alphabetical slot; otherwise it goes after the last leading import.
"""

from __future__ import annotations

from typing import NamedTuple

import tree_sitter

from codemods._api import CodemodError
from codemods._globs import by_extension
from codemods.node import _ts

DESCRIPTION = (
    "Add a named import to a TS/JS module, in its sorted slot and the file's quote/semicolon style."
)
FILES = by_extension("ts", "tsx", "js", "mjs", "mts")


class Params(NamedTuple):
    module: str  # specifier, e.g. './middleware/faroProxy.js', '@/plugins/faro'
    names: list[str]  # named imports, e.g. ['faroProxy']


def apply(params: Params, path: str, text: str) -> str:
    if not params.names:
        raise CodemodError("names must list at least one import")
    root, source = _ts.parse(path, text)
    imports = _ts.leading_imports(root, source)
    same = [i for i in imports if i.source == params.module and not i.side_effect]
    if same:
        statement = source[same[0].start : same[0].end].decode()
        missing = [name for name in params.names if name not in _imported_names(statement)]
        if not missing:
            return text
        raise CodemodError(
            f"{path} imports {params.module} without {', '.join(missing)}; add it by hand"
        )
    style = _ts.detect_style(root, source)
    q = style.quote
    line = f"import {{ {', '.join(params.names)} }} from {q}{params.module}{q}{';' if style.semicolons else ''}\n"
    at = _slot(imports, params.module, root, source)
    return _ts.insert_lines(source, at, line)


def _imported_names(statement: str) -> set[str]:
    inside = statement.partition("{")[2].partition("}")[0]
    return {part.split(" as ")[-1].strip() for part in inside.split(",") if part.strip()}


def _kind(specifier: str) -> str:
    if specifier.startswith("./"):
        return "sibling"
    return "parent" if specifier.startswith("../") else "package"


def _slot(imports: list[_ts.Import], module: str, root: tree_sitter.Node, source: bytes) -> int:
    """Byte offset of the line the new import goes on."""
    if not imports:
        return _ts.top_of_code(root, source)
    kin = [
        i
        for i in imports
        if _kind(i.source) == _kind(module) and not i.side_effect and not i.type_only
    ]
    names = [i.source for i in kin]
    if kin and names == sorted(names):
        later = [i for i in kin if i.source > module]
        if later:
            return later[0].line_start
        return _next_line(source, kin[-1].end)
    return _next_line(source, imports[-1].end)


def _next_line(source: bytes, offset: int) -> int:
    newline = source.find(b"\n", offset)
    return len(source) if newline < 0 else newline + 1
