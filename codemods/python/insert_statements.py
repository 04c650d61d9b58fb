"""Insert statements after (or before) an anchor statement, at module or class level, plus imports.

For registering a router (`app.include_router(faro.router)` after the last `include_router`), adding
settings fields at the end of a settings class, or setting a template global after the line that
creates a Jinja environment. An existing `from x import (...)` gets the new name in alphabetical
order when its names are sorted (ruff's isort rule), at the end otherwise.

All statements already there (as written) means no change; only some of them, or a name the scope
already binds, is for a human: a second copy or a duplicate class field would not be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, cast

import libcst as cst

from codemods._api import CodemodError
from codemods.python import _cst

DESCRIPTION = (
    "Insert statements after the statement matching a regex (module or class level), with imports."
)
FILES = ("*.py", "**/*.py")


class Params(NamedTuple):
    code: str  # the statements (comments allowed), unindented
    # regex searched in each statement's source; the last match wins; '' = at the end
    after: str = ""
    before: str = ""  # or: insert before the first statement matching this regex
    in_class: str = ""  # insert into this top-level class's body instead of the module
    imports: list[str] | None = None  # 'module:name' ('.routers:faro' for relative), or 'module'
    line_length: int = 0  # the repo's ruff/black line length: a longer merged import is wrapped


def apply(params: Params, path: str, text: str) -> str:
    module = _cst.parse(path, text)
    new = _parse_code(params.code, path, module)
    body, owner = _scope(module, params.in_class, path)
    # rendering is the slow part: each statement once, and the result is written from those sources
    indent = _block_indent(module, owner)
    sources = _sources(module, body, indent)
    codes = [_code_from(module, s, source, indent) for s, source in zip(body, sources, strict=True)]
    present = _already_there(module, codes, new)
    if len(present) == len(new):
        return text
    if present:
        raise CodemodError(
            f"{path} already has {len(present)} of the {len(new)} statements "
            f"({present[0].splitlines()[0]}); add the rest by hand"
        )
    _check_no_clash(body, new, params.in_class or "the module", path)
    at = _position(codes, params, path)
    if owner is not None and indent is not None and not params.imports:
        spliced = _splice(module, text, sources, at, new, indent)
        if spliced is not None:
            return spliced
    body = [*body[:at], *new, *body[at:]]
    if owner is None:
        changed = module.with_changes(body=body)
    else:
        cls = cast(cst.ClassDef, module.body[owner])  # _scope found it as a ClassDef
        cls = cls.with_changes(body=cls.body.with_changes(body=body))
        changed = module.with_changes(body=[*module.body[:owner], cls, *module.body[owner + 1 :]])
    for spec in params.imports or []:
        changed = _ensure_import(changed, spec, params.line_length)
    if owner is not None:
        return changed.code
    return _cst.code_reusing(module, text, sources, changed)


def _block_indent(module: cst.Module, owner: int | None) -> str | None:
    """'' at module level; the class body's indentation; None for a one-line class body."""
    if owner is None:
        return ""
    block = cast(cst.ClassDef, module.body[owner]).body
    if not isinstance(block, cst.IndentedBlock):
        return None
    return module.default_indent if block.indent is None else block.indent


def _sources(module: cst.Module, body: list[cst.BaseStatement], indent: str | None) -> list[str]:
    """Each statement of the scope as the file writes it ('' when that is not known)."""
    if indent is None:
        return [""] * len(body)
    if not indent:
        return _cst.statement_sources(module)
    return [_cst.indented_source(module, statement, indent) for statement in body]


def _code_from(
    module: cst.Module, statement: cst.BaseStatement, source: str, indent: str | None
) -> str:
    """`_code` of a statement from its source in the file: the lines above it come first. In a
    class body only a one-line statement reads the same as on its own (continuation lines and
    nested blocks carry the class's indentation in the file)."""
    lines = cast(cst.SimpleStatementLine | cst.BaseCompoundStatement, statement).leading_lines
    if indent is None:
        return _code(module, statement)
    above = "".join(_cst.indented_source(module, line, indent) for line in lines)
    if not source.startswith(above):
        return _code(module, statement)
    code = source[len(above) :].strip()
    return _code(module, statement) if indent and "\n" in code else code


def _splice(
    module: cst.Module,
    text: str,
    sources: list[str],
    at: int,
    new: list[cst.BaseStatement],
    indent: str,
) -> str | None:
    """`text` with `new` written into the class body before statement `at`, found by the body's
    own source (None when that is not in the file exactly once)."""
    block = "".join(sources)
    start = text.find(block)
    if not block or start < 0 or text.find(block, start + 1) >= 0:
        return None
    cut = start + sum(len(source) for source in sources[:at])
    added = "".join(_cst.indented_source(module, statement, indent) for statement in new)
    return text[:cut] + added + text[cut:]


def _already_there(module: cst.Module, codes: list[str], new: list[cst.BaseStatement]) -> list[str]:
    """The source of each new statement the scope already has (`codes`), written the same way."""
    existing = set(codes)
    return [code for code in (_code(module, statement) for statement in new) if code in existing]


def _check_no_clash(
    body: list[cst.BaseStatement], new: list[cst.BaseStatement], scope: str, path: str
) -> None:
    """A second `NAME = ...` (or def/class NAME) in one scope would silently replace the first."""
    taken = {name for statement in body for name in _defined_names(statement)}
    for statement in new:
        for name in _defined_names(statement):
            if name in taken:
                raise CodemodError(f"{path}: {scope} already defines {name}; merge by hand")


def _defined_names(statement: cst.BaseStatement) -> list[str]:
    """Names a statement binds directly: `x = ...`, `x: T = ...`, `def x`, `class x`."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return [statement.name.value]
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    names = []
    for small in statement.body:
        targets = []
        if isinstance(small, cst.Assign):
            targets = [target.target for target in small.targets]
        elif isinstance(small, cst.AnnAssign):
            targets = [small.target]
        names += [target.value for target in targets if isinstance(target, cst.Name)]
    return names


def _parse_code(code: str, path: str, module: cst.Module) -> list[cst.BaseStatement]:
    try:
        parsed = cst.parse_module(code.strip("\n") + "\n", config=module.config_for_parsing)
    except cst.ParserSyntaxError as exc:
        raise CodemodError(f"code for {path} does not parse as Python: {exc.message}") from exc
    if not parsed.body:
        raise CodemodError("code has no statements")
    first = parsed.body[0].with_changes(
        leading_lines=[*_blank_lines(code), *parsed.header, *parsed.body[0].leading_lines]
    )
    return [first, *parsed.body[1:]]


def _blank_lines(code: str) -> list[cst.EmptyLine]:
    """Leading blank lines of the code block are kept (e.g. two before a new top-level statement)."""
    count = len(code) - len(code.lstrip("\n"))
    return [cst.EmptyLine(indent=False)] * count


def _scope(
    module: cst.Module, in_class: str, path: str
) -> tuple[list[cst.BaseStatement], int | None]:
    if not in_class:
        return list(module.body), None
    found = [
        i
        for i, s in enumerate(module.body)
        if isinstance(s, cst.ClassDef) and s.name.value == in_class
    ]
    if len(found) != 1:
        raise CodemodError(
            f"{path} defines class {in_class} {len(found)} times at the top level; expected once"
        )
    cls = cast(cst.ClassDef, module.body[found[0]])
    return list(cast(Sequence[cst.BaseStatement], cls.body.body)), found[0]


def _position(codes: list[str], params: Params, path: str) -> int:
    if params.after and params.before:
        raise CodemodError("give either after or before, not both")
    pattern = params.after or params.before
    if not pattern:
        return len(codes)
    regex = re.compile(pattern)
    hits = [i for i, code in enumerate(codes) if regex.search(code)]
    if not hits:
        raise CodemodError(f"{path}: no statement matches {pattern!r}")
    return hits[-1] + 1 if params.after else hits[0]


def _code(module: cst.Module, statement: cst.BaseStatement) -> str:
    """A statement's source without the comments and blank lines above it."""
    return module.code_for_node(statement.with_changes(leading_lines=())).strip()


def _ensure_import(module: cst.Module, spec: str, line_length: int) -> cst.Module:
    source, _, name = spec.partition(":")
    relative = len(source) - len(source.lstrip("."))
    target = source[relative:]
    for index, statement in enumerate(module.body):
        node = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if (
            name
            and isinstance(node, cst.ImportFrom)
            and _same_module(module, node, target, relative)
        ):
            return _add_name(module, index, node, name, line_length)
    return (
        _cst.add_imports(module, [(source, name or None)])
        if not relative
        else _add_relative(module, target, relative, name)
    )


def _same_module(module: cst.Module, node: cst.ImportFrom, target: str, relative: int) -> bool:
    written = module.code_for_node(node.module) if node.module else ""
    return (
        written == target
        and len(node.relative) == relative
        and not isinstance(node.names, cst.ImportStar)
    )


def _add_name(
    module: cst.Module, index: int, node: cst.ImportFrom, name: str, line_length: int
) -> cst.Module:
    aliases = list(cast(Sequence[cst.ImportAlias], node.names))  # the caller excludes `import *`
    names = [module.code_for_node(alias.name) for alias in aliases]
    if name in names:
        return module
    slot = sum(1 for n in names if n < name) if names == sorted(names) else len(names)
    if slot == len(aliases):  # the new name becomes last: it takes the last one's (trailing) comma
        new = cst.ImportAlias(name=cst.Name(name), comma=aliases[-1].comma)
        aliases[-1] = aliases[-1].with_changes(comma=_separator(aliases))
    else:
        new = cst.ImportAlias(name=cst.Name(name), comma=_separator(aliases))
    aliases.insert(slot, new)
    statement = cast(cst.SimpleStatementLine, module.body[index])
    replaced = statement.with_changes(body=[node.with_changes(names=aliases), *statement.body[1:]])
    if (
        line_length
        and node.lpar is None
        and len(module.code_for_node(replaced).rstrip("\n")) > line_length
    ):
        replaced = _wrapped(module, replaced)
    return module.with_changes(body=[*module.body[:index], replaced, *module.body[index + 1 :]])


def _wrapped(module: cst.Module, statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """`from x import (` with one name per line and a trailing comma, as ruff format writes it."""
    node = cast(cst.ImportFrom, statement.body[0])
    names = "".join(
        f"    {module.code_for_node(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))},\n"
        for alias in cast(Sequence[cst.ImportAlias], node.names)
    )
    source = f"{'.' * len(node.relative)}{module.code_for_node(node.module) if node.module else ''}"
    wrapped = cst.parse_statement(
        f"from {source} import (\n{names})\n", config=module.config_for_parsing
    )
    return cast(cst.SimpleStatementLine, wrapped).with_changes(
        leading_lines=statement.leading_lines
    )


def _separator(aliases: list[cst.ImportAlias]) -> cst.Comma:
    """The comma between two names as this import writes it (with its newline and indent)."""
    if len(aliases) > 1 and isinstance(aliases[0].comma, cst.Comma):
        return aliases[0].comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _add_relative(module: cst.Module, target: str, relative: int, name: str) -> cst.Module:
    """AddImportsVisitor cannot add relative imports: put `from .x import y` after the last import."""
    line = f"from {'.' * relative}{target} import {name}\n"
    statement = cst.parse_statement(line, config=module.config_for_parsing)
    last = max((i for i, s in enumerate(module.body) if _cst.is_import(s)), default=-1)
    return module.with_changes(body=[*module.body[: last + 1], statement, *module.body[last + 1 :]])
