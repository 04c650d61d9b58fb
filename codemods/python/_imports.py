"""Add top-level imports the way libcst's AddImportsVisitor does, without walking the whole tree.

AddImportsVisitor deep-copies the module and visits every node to change a few top-level
statements; that was most of the Python codemods' time. Its rules, kept here statement by
statement (tests/codemods/python/imports_test.py compares the two):

- only the first block of one-import lines counts (after a docstring or `__strict__` flag);
- what that block imports already is not added again (`from m import *` covers all of m);
- names from a module the block already imports from join its first `from m import` line, in
  front of the names there;
- the rest go after the block (`from __future__` before it), `import m` lines first, sorted,
  with an empty line before the statement that follows.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_absolute_module_from_package_for_import

_Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement  # what a Module's body holds


def _is_flag_or_docstring(statement: cst.CSTNode) -> bool:
    """A docstring or `__strict__ = ...` alone on the first line: imports go below it."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    (only,) = statement.body
    if isinstance(only, cst.Expr):
        return isinstance(only.value, cst.SimpleString)
    return (
        isinstance(only, cst.Assign)
        and len(only.targets) == 1
        and isinstance(only.targets[0].target, cst.Name)
        and only.targets[0].target.value == "__strict__"
    )


def add_imports(module: cst.Module, imports: Sequence[tuple[str, str | None]]) -> cst.Module:
    """Ensure `import module` (name None) or `from module import name` at the top of `module`."""
    if not imports:
        return module
    body = list(module.body)
    start = 1 if body and _is_flag_or_docstring(body[0]) else 0
    end = start
    while end < len(body) and _one_import(body[end]):
        end += 1
    modules = {name for name, obj in imports if obj is None}
    objects = {
        name: {obj for other, obj in imports if other == name and obj is not None}
        for name in sorted({name for name, obj in imports if obj is not None})
    }
    for statement in body[start:end]:
        _drop_imported(_import_of(statement), modules, objects)
    for index in range(start, end):  # names join the first `from m import` of their module
        node = _import_of(body[index])
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            name = get_absolute_module_from_package_for_import(None, node)
            if name in objects:
                added = [cst.ImportAlias(name=cst.Name(obj)) for obj in sorted(objects.pop(name))]
                node = node.with_changes(names=[*added, *node.names])
                body[index] = body[index].with_changes(body=[node])
    if not modules and not objects:
        return module.with_changes(body=body)
    config = module.config_for_parsing
    froms = {
        name: cst.parse_statement(f"from {name} import {', '.join(sorted(objs))}", config=config)
        for name, objs in objects.items()
    }
    future = [statement for name, statement in froms.items() if name == "__future__"]
    new = [cst.parse_statement(f"import {name}", config=config) for name in sorted(modules)]
    new += [statement for name, statement in froms.items() if name != "__future__"]
    return module.with_changes(
        body=[*body[:start], *future, *body[start:end], *new, *_empty_line_before(body[end:])]
    )


def _one_import(statement: _Statement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _import_of(statement: _Statement) -> cst.Import | cst.ImportFrom:
    node = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    assert isinstance(node, (cst.Import, cst.ImportFrom))  # _one_import said so
    return node


def _drop_imported(
    node: cst.Import | cst.ImportFrom, modules: set[str], objects: dict[str, set[str]]
) -> None:
    """Remove from the wanted imports what `node` imports already (aliased names do not count)."""
    if isinstance(node, cst.Import):
        modules -= {alias.evaluated_name for alias in node.names if alias.asname is None}
        return
    name = get_absolute_module_from_package_for_import(None, node)
    if name is None or name not in objects:
        return
    if isinstance(node.names, cst.ImportStar):
        del objects[name]
        return
    objects[name] -= {alias.evaluated_name for alias in node.names if alias.asname is None}
    if not objects[name]:
        del objects[name]


def _empty_line_before(statements: list[_Statement]) -> list[_Statement]:
    if not statements:
        return statements
    first = statements[0]
    if not first.leading_lines:
        return [first.with_changes(leading_lines=(cst.EmptyLine(),)), *statements[1:]]
    if first.leading_lines[0].comment is None:
        return statements
    return [
        first.with_changes(leading_lines=(cst.EmptyLine(), *first.leading_lines)),
        *statements[1:],
    ]
