"""Small LibCST helpers shared by the Python codemods."""

from __future__ import annotations

import functools
import sys
from typing import TypeGuard, cast

import libcst as cst
from libcst._nodes.internal import CodegenState

from codemods._api import CodemodError
from codemods.python._imports import add_imports


def parse(path: str, text: str) -> cst.Module:
    try:
        return _parsed(text)
    except cst.ParserSyntaxError as exc:
        raise CodemodError(
            f"{path} does not parse as Python: {exc.message} (line {exc.raw_line})"
        ) from exc


@functools.lru_cache(maxsize=8)  # each tree is ~400 objects per KB of source
def _parsed(text: str) -> cst.Module:
    """Parsing is most of a Python codemod's time, and change sets edit the same files (the
    profiler's startup call and the browser route both go into main.py). LibCST's nodes are
    immutable, so every caller can share one tree; lru_cache is thread-safe."""
    return cst.parse_module(text)


def statement_sources(module: cst.Module) -> list[str]:
    """Each top-level statement as the file writes it, with the comments and blank lines above."""
    return [module.code_for_node(statement) for statement in module.body]


def indented_source(module: cst.Module, node: cst.CSTNode, indent: str) -> str:
    """`node` as the file writes it inside a top-level block indented by `indent` (a class body):
    what Module.code_for_node does, with the block's indentation that IndentedBlock adds."""
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    state.increase_indent(indent)
    node._codegen(state)
    return "".join(state.tokens)


def code_reusing(module: cst.Module, text: str, sources: list[str], changed: cst.Module) -> str:
    """`changed.code`, for `changed` made from `module` (parsed from `text`; its statements'
    `statement_sources`) by replacing, adding or removing top-level statements: the statements
    it kept are copied from `sources` instead of being rendered again."""
    if not (
        changed.has_trailing_newline
        and module.has_trailing_newline
        and changed.header is module.header
        and changed.footer is module.footer
        and (changed.default_indent, changed.default_newline)
        == (module.default_indent, module.default_newline)
    ):
        return changed.code
    header = "".join(module.code_for_node(line) for line in module.header)
    footer = "".join(module.code_for_node(line) for line in module.footer)
    if header + "".join(sources) + footer != text:  # what Module._codegen_impl writes
        return changed.code
    kept = {id(statement): source for statement, source in zip(module.body, sources, strict=True)}
    body = "".join(
        source
        if (source := kept.get(id(statement))) is not None
        else changed.code_for_node(statement)
        for statement in changed.body
    )
    return header + body + footer or changed.code


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
