"""Route a new path through a Caddyfile: add it to the `path` of proxy matchers and to the `not path`
of matchers that must skip it (the SPA fallback, compression).

Works on Caddyfiles and on Helm templates of them (`{{ ... }}` actions are masked before reading the
block structure). Caddy opens and closes blocks with standalone `{` / `}` tokens; placeholders such
as `{$VITE_BASE_ROUTE}` or `{vars.basePath}` are ordinary tokens.

In a Helm template, `when` puts the path behind a chart switch: `{{- if <when> }} <path>{{ end }}`.
`{{-` trims the space before it, so with the switch off the rendered line is byte-identical to the
line before the change.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines

DESCRIPTION = (
    "Add a path to named Caddyfile matchers' `path` (proxied) and `not path` (excluded) lines."
)
FILES = (
    "Caddyfile",
    "**/Caddyfile",
    "*.caddyfile",
    "**/*.caddyfile",
    "**/caddyfile.tpl",
    "caddyfile.tpl",
)

_GO_ACTION = re.compile(r"\{\{.*?\}\}")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"\S*|`[^`]*`\S*|\S+')


class Params(NamedTuple):
    path: str  # the path as written in this file, e.g. '{$VITE_BASE_ROUTE}/faro'
    proxied: list[str]  # matcher names (without @) whose `path` line gets it, e.g. ['pass']
    # matchers whose own `not path` line gets it, e.g. ['spa_router']
    excluded: list[str] | None = None
    # put it after this path on lines that have it; others (and default): after the last path
    after: str = ""
    # Helm templates only: a Go template condition the route depends on, e.g.
    # 'and .Values.faro.enabled .Values.faro.proxy.enabled'; empty: always routed
    when: str = ""


def apply(params: Params, path: str, text: str) -> str:
    addition = _addition(params)
    added = _tokens(addition)
    lines = Lines.split(text)
    tokens = [_tokens(line) for line in lines.lines]
    _check_balanced(tokens, path)
    wanted = [(name, ["path"]) for name in params.proxied] + [
        (name, ["not", "path"]) for name in params.excluded or []
    ]
    for name, keywords in wanted:
        index = _matcher_line(tokens, name, keywords, path)
        if _contains(tokens[index], added):
            continue
        if params.when and params.path in tokens[index]:
            raise CodemodError(
                f"{path}: @{name} already routes {params.path} unconditionally; "
                f"expected it behind {{{{ if {params.when} }}}}"
            )
        lines.lines[index] = _add_token(lines.lines[index], params, addition)
    return lines.join()


def _addition(params: Params) -> str:
    if not params.when:
        return params.path
    if "{{" in params.when or "}}" in params.when:
        raise CodemodError(f"when {params.when!r} is a condition, without {{{{ }}}}")
    return f"{{{{- if {params.when} }}}} {params.path}{{{{ end }}}}"


def _contains(words: list[str], run: list[str]) -> bool:
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _tokens(line: str) -> list[str]:
    return [line[start:end] for start, end in _spans(line)]


def _spans(line: str) -> list[tuple[int, int]]:
    """Where the tokens are, as written (quotes kept); a comment ends the line's tokens; `{{ ... }}`
    actions are single tokens."""
    masked = _GO_ACTION.sub(lambda match: "\0" * len(match.group(0)), line)
    spans = []
    for match in _TOKEN.finditer(masked):
        if match.group(0).startswith("#"):
            break
        spans.append(match.span())
    return spans


def _check_balanced(tokens: list[list[str]], path: str) -> None:
    depth = 0
    for number, words in enumerate(tokens, 1):
        depth += words.count("{") - words.count("}")
        if depth < 0:
            raise CodemodError(f"{path} does not parse: unmatched }} on line {number}")
    if depth:
        raise CodemodError(f"{path} does not parse: {depth} unclosed {{")


def _matcher_line(tokens: list[list[str]], name: str, keywords: list[str], path: str) -> int:
    """The line holding matcher @name's `path`/`not path` list (one-line or block form)."""
    starts = [i for i, words in enumerate(tokens) if words[:1] == [f"@{name}"]]
    if len(starts) != 1:
        raise CodemodError(f"{path} defines @{name} {len(starts)} times; expected once")
    start = starts[0]
    if tokens[start][1 : 1 + len(keywords)] == keywords:
        return start
    if tokens[start][-1:] != ["{"]:
        raise CodemodError(f"{path}: @{name} has no {' '.join(keywords)} list")
    depth, found = 0, []
    for index in range(start + 1, len(tokens)):
        words = tokens[index]
        if depth == 0 and words[: len(keywords)] == keywords:
            found.append(index)
        depth += words.count("{") - words.count("}")
        if depth < 0:
            break
    if len(found) != 1:
        raise CodemodError(
            f"{path}: @{name} has {len(found)} direct `{' '.join(keywords)}` lines; expected one"
        )
    return found[0]


def _add_token(line: str, params: Params, addition: str) -> str:
    """The path after `after`, else after the last token: a trailing comment, spaces or `\r` stay put."""
    spans = _spans(line)
    words = [line[start:end] for start, end in spans]
    at = spans[words.index(params.after)][1] if params.after in words else spans[-1][1]
    return f"{line[:at]} {addition}{line[at:]}"
