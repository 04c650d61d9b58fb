"""TypeScript/JavaScript source helpers on tree-sitter: parse, top-of-file imports, the file's code style.

Offsets are byte offsets into the UTF-8 source, as tree-sitter reports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

import tree_sitter
import tree_sitter_typescript

from codemods._api import CodemodError
from codemods._lines import match_newlines, newline_of

# The TS grammar rejects JSX and the TSX grammar rejects `<T>value` casts, so pick by suffix.
_TSX_SUFFIXES = (".tsx", ".jsx", ".js", ".mjs", ".cjs")


@cache
def _parser(tsx: bool) -> tree_sitter.Parser:
    grammar = (
        tree_sitter_typescript.language_tsx()
        if tsx
        else tree_sitter_typescript.language_typescript()
    )
    return tree_sitter.Parser(tree_sitter.Language(grammar))


def parse(path: str, text: str) -> tuple[tree_sitter.Node, bytes]:
    """The root node and the UTF-8 source; CodemodError naming the first error's line."""
    source = text.encode()
    root = _parser(path.endswith(_TSX_SUFFIXES)).parse(source).root_node
    if root.has_error:
        bad = _first_error(root)
        raise CodemodError(
            f"{path} does not parse as TypeScript/JavaScript (line {bad.start_point[0] + 1})"
        )
    return root, source


def _first_error(node: tree_sitter.Node) -> tree_sitter.Node:
    for child in node.children:
        if child.is_error or child.is_missing:
            return child
        if child.has_error:
            return _first_error(child)
    return node


class Import(NamedTuple):
    start: int  # byte offset of `import`
    end: int  # byte offset after the statement (after `;` when there is one)
    line_start: int  # byte offset of the start of its line
    source: str  # the module specifier, without quotes
    side_effect: bool  # `import './x'`
    type_only: bool  # `import type ...` (erased at runtime)


def leading_imports(root: tree_sitter.Node, source: bytes) -> list[Import]:
    """The import declarations before the first other statement (comments may sit between them)."""
    found = []
    for node in root.named_children:
        if node.type in ("comment", "hash_bang_line"):
            continue
        if node.type != "import_statement":
            break
        found.append(_import(node, source))
    return found


def _import(node: tree_sitter.Node, source: bytes) -> Import:
    specifier = node.child_by_field_name("source")
    assert specifier is not None  # the grammar requires a source on every import_statement
    text = source[specifier.start_byte + 1 : specifier.end_byte - 1].decode()
    keywords = [child.type for child in node.children]
    return Import(
        start=node.start_byte,
        end=node.end_byte,
        line_start=source.rfind(b"\n", 0, node.start_byte) + 1,
        source=text,
        side_effect="import_clause" not in keywords,
        type_only="type" in keywords,
    )


def _first_statement(root: tree_sitter.Node) -> tree_sitter.Node | None:
    return next(
        (node for node in root.named_children if node.type not in ("comment", "hash_bang_line")),
        None,
    )


def top_of_code(root: tree_sitter.Node, source: bytes) -> int:
    """Start of the line of the first statement (after a shebang and header comments); the end of
    a file with none."""
    first = _first_statement(root)
    return source.rfind(b"\n", 0, first.start_byte) + 1 if first else len(source)


class Style(NamedTuple):
    quote: str  # "'" or '"'
    semicolons: bool


def detect_style(root: tree_sitter.Node, source: bytes) -> Style:
    """Quote and semicolon style of the file's top-level statements (prettier's defaults when unknown).

    Quotes come from the import specifiers when there are imports: JSX attributes keep double
    quotes under prettier's singleQuote, so other strings can outvote the file's real style."""
    sources = (
        n.child_by_field_name("source") for n in root.named_children if n.type == "import_statement"
    )
    imports = [source for source in sources if source is not None]
    strings = imports or [
        s for s in _strings(root) if s.parent is None or s.parent.type != "jsx_attribute"
    ]
    quotes = [source[s.start_byte : s.start_byte + 1].decode() for s in strings]
    statements = [n for n in root.named_children if n.type not in ("comment", "hash_bang_line")]
    ended = [source[n.end_byte - 1 : n.end_byte] == b";" for n in statements if _takes_semicolon(n)]
    quote = max(("'", '"'), key=quotes.count) if quotes else '"'
    return Style(quote=quote, semicolons=(sum(ended) * 2 >= len(ended)) if ended else True)


def _takes_semicolon(node: tree_sitter.Node) -> bool:
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration")
        return declaration is None or _takes_semicolon(declaration)
    return node.type in (
        "import_statement",
        "expression_statement",
        "lexical_declaration",
        "variable_declaration",
    )


def _strings(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """String literals (named nodes: the `string` type keyword is an anonymous node of that type)."""
    for child in node.children:
        if child.type == "string" and child.is_named:
            yield child
        elif child.type not in ("comment", "template_string"):
            yield from _strings(child)


def restyle(path: str, text: str, quote: str, semicolons: bool) -> str:
    """Re-quote string literals and drop line-end semicolons in code we wrote (our templates).

    Templates are written with double quotes and semicolons; strings in them hold no quotes, and no
    line starts with `(`, `[` or a backtick, so dropping a line-end `;` never joins two statements.
    """
    root, source = parse(path, text)
    edits: list[tuple[int, int, bytes]] = []
    if quote == "'":
        for string in _strings(root):
            inner = source[string.start_byte + 1 : string.end_byte - 1]
            if b"'" in inner or b'"' in inner:
                raise CodemodError(
                    f"{path}: cannot re-quote a string holding a quote: {inner.decode()}"
                )
            edits.append((string.start_byte, string.end_byte, b"'" + inner + b"'"))
    out = bytearray(source)
    for start, end, replacement in sorted(edits, reverse=True):
        out[start:end] = replacement
    lines = out.decode().split("\n")
    if not semicolons:
        hazards = [line for line in lines if line.lstrip().startswith(("(", "[", "`"))]
        if hazards:
            raise CodemodError(
                f"{path}: without semicolons this line would join the one before: {hazards[0]}"
            )
        lines = [
            line[:-1] if line.endswith(";") and not line.lstrip().startswith("//") else line
            for line in lines
        ]
    return "\n".join(lines)


def insert_lines(source: bytes, at: int, lines: str) -> str:
    """Insert whole lines (ending in a newline) at a line start, in the file's newline style; at the
    end of a file without a final newline, start a new line instead and keep the newline missing."""
    text = source.decode()
    newline = newline_of(text)
    new = match_newlines(lines, newline)
    if at == len(source) and source and not text.endswith("\n"):
        return text + newline + new.removesuffix(newline)
    return (source[:at] + new.encode() + source[at:]).decode()
