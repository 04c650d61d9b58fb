"""Small LibCST helpers shared by the Python codemods."""

from __future__ import annotations

import sys
from typing import TypeGuard, cast

import libcst as cst

from codemods._api import CodemodError
from codemods.python._imports import add_imports


def parse(path: str, text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise CodemodError(
            f"{path} does not parse as Python: {exc.message} (line {exc.raw_line})"
        ) from exc


def top_level_function(module: cst.Module, name: str, path: str) -> int:
    """Index in `module.body` of the one top-level function called `name`."""
    found = [
        index
        for index, statement in enumerate(module.body)
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name
    ]
    if not found:
        raise CodemodError(f"{path} has no top-level function {name!r}")
    if len(found) > 1:
        raise CodemodError(
            f"{path} defines {name!r} {len(found)} times; cannot tell which one runs"
        )
    return found[0]


def after_docstring(body: cst.BaseSuite) -> int:
    """Index of the first statement after a docstring (0 when there is none)."""
    statements = getattr(body, "body", ())
    if statements and isinstance(statements[0], cst.SimpleStatementLine):
        first = statements[0].body[0]
        if isinstance(first, cst.Expr) and isinstance(
            first.value, (cst.SimpleString, cst.ConcatenatedString)
        ):
            return 1
    return 0


def is_import(statement: cst.CSTNode) -> TypeGuard[cst.SimpleStatementLine]:
    """A statement line that starts with `import x` or `from x import y`."""
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom)
    )


def _imported_top_names(statement: cst.SimpleStatementLine) -> list[str]:
    node = statement.body[0]
    if isinstance(node, cst.Import):
        return [cst.Module([]).code_for_node(alias.name) for alias in node.names]
    if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
        return [cst.Module([]).code_for_node(node.module)]
    return []


def ensure_stdlib_import(module: cst.Module, name: str) -> cst.Module:
    """Ensure `import name`, sorted into the module's first block of stdlib `import x` lines."""
    statements = list(module.body)
    if any(is_import(s) and name in _imported_top_names(s) for s in statements):
        return module
    block = [
        index
        for index, statement in enumerate(statements)
        if is_import(statement) and isinstance(statement.body[0], cst.Import)
    ]
    first_block = block[:1]
    for index in block[1:]:
        if index != first_block[-1] + 1 or statements[index].leading_lines:
            break
        first_block.append(index)
    imports = {i: cast(cst.SimpleStatementLine, statements[i]) for i in first_block}
    stdlib = [
        i
        for i in first_block
        if _imported_top_names(imports[i])[0].split(".")[0] in sys.stdlib_module_names
    ]
    if not stdlib or len(stdlib) != len(first_block):
        return add_imports(module, [(name, None)])
    position = next(
        (i for i in stdlib if _imported_top_names(imports[i])[0] > name), stdlib[-1] + 1
    )
    new = cst.parse_statement(f"import {name}\n", config=module.config_for_parsing)
    if position == stdlib[0]:
        # keep the block's leading blank lines (or comments) in front of the block
        new = new.with_changes(leading_lines=statements[position].leading_lines)
        statements[position] = statements[position].with_changes(leading_lines=())
    statements.insert(position, new)
    return module.with_changes(body=statements)
