"""A tokenizer and structural parser for the subset of the Alloy configuration syntax we edit.

Alloy has no Python parser, so this reads what the codemods and checks need: blocks
(`name.parts "label" { ... }`), attributes (`name = <expression>`), comments and the tokens of
each expression, with the offset of everything so that edits are text insertions that leave
every existing byte alone. Expressions are kept as token lists: references (`loki.write.x.receiver`)
and simple literals can be read from them; nothing is evaluated.

Syntax per grafana/alloy docs/sources/get-started/syntax.md: `//` and `/* */` comments, strings
in double quotes (with escapes) or backticks (raw), attributes and blocks end at a newline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r"""
    (?P<newline>\r?\n)
  | (?P<space>[ \t]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>==|!=|<=|>=|&&|\|\||[{}\[\](),=.:+\-*/%!<>^?])
    """,
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = {"true", "false", "null"}


class AlloySyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Token:
    kind: str  # newline, comment, string, raw, number, ident, punct
    text: str
    start: int
    end: int
    line: int


@dataclass
class Attribute:
    name: str
    value: list[Token]  # the expression's tokens, comments and newlines included
    start: int
    end: int  # offset just past the expression
    line: int

    def literal(self) -> Any:
        """The value of a plain literal (string, number, bool, null), else None."""
        tokens = [t for t in self.value if t.kind not in ("newline", "comment")]
        if len(tokens) == 2 and tokens[0].text == "-" and tokens[1].kind == "number":
            return -json.loads(tokens[1].text)
        if len(tokens) != 1:
            return None
        token = tokens[0]
        if token.kind in ("string", "number") or token.text in _KEYWORDS:
            return json.loads(token.text)
        return token.text[1:-1] if token.kind == "raw" else None

    def references(self) -> list[str]:
        return references(self.value)


@dataclass
class Block:
    name: str  # 'pyroscope.write', 'endpoint'
    label: str | None
    body: list[Attribute | Block] = field(default_factory=list)
    start: int = 0  # offset of the name
    end: int = 0  # offset just past the closing brace
    line: int = 0

    @property
    def id(self) -> str:
        """`name.label` as references spell it, or the bare name."""
        return f"{self.name}.{self.label}" if self.label is not None else self.name

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.body if isinstance(a, Attribute) and a.name == name), None)

    def blocks(self, name: str) -> list[Block]:
        return [b for b in self.body if isinstance(b, Block) and b.name == name]

    def walk(self) -> Iterator[Block]:
        yield self
        for item in self.body:
            if isinstance(item, Block):
                yield from item.walk()


def tokenize(text: str) -> list[Token]:
    tokens, position, line = [], 0, 1
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise AlloySyntaxError(line, f"unexpected character {text[position]!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), position, match.end(), line))
        line += match.group().count("\n")
        position = match.end()
    return tokens


def parse(text: str) -> list[Attribute | Block]:
    """The top-level statements; AlloySyntaxError names the line of the first problem."""
    tokens = tokenize(text)
    body, _ = _statements(tokens, 0, closing=False)
    return body


def top_blocks(text: str) -> list[Block]:
    return [item for item in parse(text) if isinstance(item, Block)]


def _skip(tokens: list[Token], index: int) -> int:
    while index < len(tokens) and tokens[index].kind in ("newline", "comment"):
        index += 1
    return index


def _statements(
    tokens: list[Token], index: int, closing: bool
) -> tuple[list[Attribute | Block], int]:
    body: list[Attribute | Block] = []
    while True:
        index = _skip(tokens, index)
        if index >= len(tokens):
            if closing:
                line = tokens[-1].line if tokens else 1
                raise AlloySyntaxError(
                    line, "unexpected end of file: a block is not closed (missing '}')"
                )
            return body, index
        token = tokens[index]
        if token.text == "}":
            if not closing:
                raise AlloySyntaxError(token.line, "'}' without an open block")
            return body, index
        if token.kind != "ident":
            raise AlloySyntaxError(
                token.line, f"expected an attribute or block name, got {token.text!r}"
            )
        item, index = _statement(tokens, index)
        body.append(item)


def _statement(tokens: list[Token], index: int) -> tuple[Attribute | Block, int]:
    first = tokens[index]
    parts = [first.text]
    index += 1
    while (
        index + 1 < len(tokens) and tokens[index].text == "." and tokens[index + 1].kind == "ident"
    ):
        parts.append(tokens[index + 1].text)
        index += 2
    name = ".".join(parts)
    following = tokens[index] if index < len(tokens) else None
    if following is not None and following.text == "=" and len(parts) == 1:
        value, index = _expression(tokens, index + 1)
        if not [t for t in value if t.kind not in ("newline", "comment")]:
            raise AlloySyntaxError(first.line, f"attribute {name!r} has no value")
        end = max(
            (t.end for t in value if t.kind not in ("newline", "comment")), default=following.end
        )
        return Attribute(name, value, first.start, end, first.line), index
    label = None
    if following is not None and following.kind in ("string", "raw"):
        label = json.loads(following.text) if following.kind == "string" else following.text[1:-1]
        index += 1
        following = tokens[index] if index < len(tokens) else None
    if following is None or following.text != "{":
        got = following.text if following else "end of file"
        raise AlloySyntaxError(first.line, f"expected '=' or '{{' after {name!r}, got {got!r}")
    body, index = _statements(tokens, index + 1, closing=True)
    closing = tokens[index]
    _require_line_end(tokens, index + 1, closing)
    return Block(name, label, body, first.start, closing.end, first.line), index + 1


def _require_line_end(tokens: list[Token], index: int, after: Token) -> None:
    """Alloy needs a newline after every attribute and block (or the enclosing block's '}')."""
    while index < len(tokens) and tokens[index].kind == "comment":
        index += 1
    if index < len(tokens) and tokens[index].kind != "newline" and tokens[index].text != "}":
        raise AlloySyntaxError(
            after.line, f"expected a newline after {after.text!r}, got {tokens[index].text!r}"
        )


def _expression(tokens: list[Token], index: int) -> tuple[list[Token], int]:
    """Tokens up to the newline (or '}') that ends the attribute, with brackets balanced."""
    depth: list[str] = []
    start = index
    pairs = {"(": ")", "[": "]", "{": "}"}
    while index < len(tokens):
        token = tokens[index]
        if not depth and (token.kind == "newline" or token.text == "}"):
            break
        if token.text in pairs:
            depth.append(pairs[token.text])
        elif token.text in (")", "]", "}") and (not depth or depth.pop() != token.text):
            raise AlloySyntaxError(token.line, f"unbalanced {token.text!r}")
        index += 1
    if depth:
        line = tokens[start].line if start < len(tokens) else 1
        raise AlloySyntaxError(line, f"unclosed bracket in expression (expected {depth[-1]!r})")
    return tokens[start:index], index


def references(tokens: list[Token]) -> list[str]:
    """Dotted names used as values (`a.b.c`), not function calls, object keys or keywords."""
    found, index = [], 0
    significant = [t for t in tokens if t.kind not in ("newline", "comment")]
    while index < len(significant):
        token = significant[index]
        previous = significant[index - 1] if index else None
        if (
            token.kind != "ident"
            or token.text in _KEYWORDS
            or (previous is not None and previous.text == ".")
        ):
            index += 1
            continue
        parts, cursor = [token.text], index + 1
        while (
            cursor + 1 < len(significant)
            and significant[cursor].text == "."
            and significant[cursor + 1].kind == "ident"
        ):
            parts.append(significant[cursor + 1].text)
            cursor += 2
        following = significant[cursor] if cursor < len(significant) else None
        if following is None or following.text not in ("(", "="):
            found.append(".".join(parts))
        index = cursor
    return found


def string(value: str) -> str:
    """An Alloy string literal (JSON's escapes are Alloy's)."""
    return json.dumps(value, ensure_ascii=False)


def attributes(pairs: list[tuple[str, str]], indent: str) -> list[str]:
    """`name = value` lines with the '=' aligned, as `alloy fmt` writes consecutive attributes."""
    width = max((len(name) for name, _ in pairs), default=0)
    return [f"{indent}{name.ljust(width)} = {value}" for name, value in pairs]
