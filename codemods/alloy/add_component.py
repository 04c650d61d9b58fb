"""Add a component block to a Grafana Alloy configuration, once, formatted as `alloy fmt` would.

The configuration is a `.alloy` file, or an Alloy string inside YAML (Helm values
`alloy.configMap.content: |`, located with `document` and `path` as in codemods/gitops). The new
block goes after the component named in `after` (or at the end), separated by a blank line; the
rest of the file is untouched. A block with the same name and label already there -> no change.
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.alloy import _syntax
from codemods.gitops import _yaml

DESCRIPTION = 'Add a component block (e.g. pyroscope.write "default") to an Alloy configuration.'
FILES = ("**/*.alloy", "**/*.yaml", "**/*.yml")


class Params(NamedTuple):
    component: str  # block name, e.g. 'pyroscope.receive_http'
    label: str  # block label, e.g. 'sdk'
    body: str  # the block's body in Alloy syntax (attributes and nested blocks), any indentation
    comment: str = ""  # '// ' comment line(s) above the block
    after: str = ""  # insert after this component ('loki.write.default'); default: at the end
    document: str = ""  # YAML only: 'Kind/name' of the document holding the configuration
    path: tuple[
        str, ...
    ] = ()  # YAML only: location of the Alloy string, e.g. ['alloy', 'configMap', 'content']


def apply(params: Params, path: str, text: str) -> str:
    if path.endswith(".alloy"):
        return add(params, path, text)
    if not params.path:
        raise CodemodError(
            f"{path}: a YAML file needs `path`: where the Alloy configuration string is"
        )
    return _yaml.edit_string(
        path, text, params.document, list(params.path), lambda config: add(params, path, config)
    )


def add(params: Params, path: str, config: str) -> str:
    blocks = _parse(path, config)
    if any(block.name == params.component and block.label == params.label for block in blocks):
        return config
    body = _parse_body(params)
    indent = _indent_unit(config)
    lines = [f"// {line}".rstrip() for line in params.comment.splitlines()]
    lines.append(f"{params.component} {_syntax.string(params.label)} {{")
    lines += [
        (indent + line.replace("  ", indent) if line.strip() else "") for line in body.split("\n")
    ]
    lines.append("}")
    result = _insert(path, config, blocks, params.after, lines)
    after = _parse(path, result)
    if len(after) != len(blocks) + 1:
        raise CodemodError(
            f"{path}: adding {params.component} {params.label!r} did not give one more block"
        )
    return result


def _parse(path: str, config: str) -> list[_syntax.Block]:
    try:
        return _syntax.top_blocks(config)
    except _syntax.AlloySyntaxError as exc:
        raise CodemodError(f"{path}: the Alloy configuration does not parse: {exc}") from exc


def _parse_body(params: Params) -> str:
    body = textwrap.dedent(params.body).strip("\n")
    try:
        _syntax.parse(body)
    except _syntax.AlloySyntaxError as exc:
        raise CodemodError(
            f"the body of {params.component} {params.label!r} does not parse: {exc}"
        ) from exc
    return body


def _indent_unit(config: str) -> str:
    for line in config.splitlines():
        if line.startswith("\t"):
            return "\t"
        if line.startswith(" ") and line.strip():
            return " " * (len(line) - len(line.lstrip(" ")))
    return "  "


def _insert(path: str, config: str, blocks: list[_syntax.Block], after: str, new: list[str]) -> str:
    lines = Lines.split(config)
    if after:
        anchor = next((block for block in blocks if block.id == after), None)
        if anchor is None:
            known = ", ".join(block.id for block in blocks)
            raise CodemodError(
                f"{path}: no component {after} to insert after (components: {known})"
            )
        at = config[: anchor.end].count("\n") + 1
    else:
        at = len(lines.lines)
        while at and not lines.lines[at - 1].strip():
            at -= 1
    following = lines.lines[at] if at < len(lines.lines) else None
    block = [""] + new + ([""] if following is not None and following.strip() else [])
    lines.insert(at, block)
    lines.final_newline = True
    return lines.join()
