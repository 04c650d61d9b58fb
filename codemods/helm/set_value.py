"""Add a key (or a whole block) to a Helm values file, documented in the file's own comment style.

The file is parsed with ruamel.yaml (to find the parent mapping, the sibling to insert after,
and to refuse a conflicting existing value), but the edit is a text insertion: every existing
line stays byte-identical, so the diff is additions only. Dumping the whole document instead
would normalise lines ruamel does not keep (`key:` + `{}` on the next line, bare `key:` nulls)
and would attach the next section's leading comment to the new key (tooling.md §7).
The result is parsed again and must equal the old content plus the new key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm import _values_block, _yaml
from codemods.helm._text import indent_of, is_blank, is_comment

DESCRIPTION = (
    "Add a (dotted) key or block to a Helm values file, documented in the file's comment style."
)
FILES = ("values.yaml", "**/values.yaml", "**/values-*.yaml", "**/values.*.yaml")

# a commented-out example value ('# - name: foo', '#   secretName: x'), not a heading
_COMMENTED_YAML = re.compile(r"^\s*#(?!#)\s*(- |[\w./\"-]+:(\s|$))")


class Params(NamedTuple):
    key: str  # dotted path of the new key, e.g. 'faro' or 'ui.pyroscope'; parents are created as needed
    value: Any  # a scalar, list or mapping; strings are written quoted
    after: str = ""  # existing key of the receiving mapping to insert after; default: its last key
    # full dotted key -> doc text, written in the file's style; required per leaf in annotated files
    docs: dict[str, str] | None = None
    section: str = ""  # heading comment above the new block (bitnami files: '## @section ...')


def apply(params: Params, path: str, text: str) -> str:
    keys = params.key.split(".")
    doc = _yaml.load(path, text)
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise CodemodError(f"{path} is not a mapping of values")
    parent, depth = _deepest_mapping(doc, keys, path)
    if depth == len(keys):
        return _existing(params, path, text, parent[keys[-1]])
    new_value = params.value
    for key in reversed(keys[depth + 1 :]):
        new_value = {key: new_value}
    result = _insert(params, path, text, parent, keys[: depth + 1], new_value)
    _verify(path, doc, result, keys, params.value)
    return result


def _deepest_mapping(doc: CommentedMap, keys: list[str], path: str) -> tuple[Any, int]:
    """The mapping that holds the first missing key of `keys` and that key's index; len(keys) if all exist."""
    node = doc
    for depth, key in enumerate(keys):
        if key not in node:
            return node, depth
        if depth == len(keys) - 1:
            return node, len(keys)
        node = node[key]
        if not isinstance(node, CommentedMap):
            raise CodemodError(f"{path}: {'.'.join(keys[: depth + 1])} is not a mapping")
    raise AssertionError("unreachable")


def _existing(params: Params, path: str, text: str, existing: Any) -> str:
    """Already there: unchanged when equal; a mapping gets the missing keys; anything else is a conflict."""
    if _yaml.plain(existing) == _yaml.plain(params.value):
        return text
    if isinstance(existing, CommentedMap) and isinstance(params.value, Mapping):
        for child, value in params.value.items():
            key = f"{params.key}.{child}"
            docs = {
                k: v for k, v in (params.docs or {}).items() if k == key or k.startswith(key + ".")
            }
            text = apply(
                params._replace(key=key, value=value, after="", docs=docs, section=""), path, text
            )
        return text
    raise CodemodError(
        f"{path}: {params.key} is already set to {_yaml.plain(existing)!r}, not {params.value!r}; change it by hand"
    )


def _insert(
    params: Params, path: str, text: str, parent: CommentedMap, keys: list[str], value: Any
) -> str:
    style = _values_block.detect_style(text)
    docs = params.docs or {}
    _check_docs(params, path, style, docs)
    lines = Lines.split(text)
    children = list(parent.keys())
    if params.after and params.after not in children:
        raise CodemodError(
            f"{path}: cannot insert {params.key} after {params.after!r}: not a key of "
            f"{'.'.join(keys[:-1]) or 'the top level'} (keys: {', '.join(map(str, children))})"
        )
    if parent.fa.flow_style() and children:
        raise CodemodError(
            f"{path}: {'.'.join(keys[:-1])} is a flow mapping ({{...}}); cannot add a block to it"
        )
    indent = parent.lc.key(children[0])[1] if children else 0
    anchor = params.after or (children[-1] if children else None)
    at = (
        _block_end(lines.lines, parent.lc.key(anchor)[0], indent)
        if anchor is not None
        else len(lines.lines)
    )
    heading = [" " * indent + line for line in _values_block.section_lines(style, params.section)]
    new = heading + _values_block.render(
        keys[-1],
        value,
        path=".".join(keys),
        indent=indent,
        layout=_yaml.detect_layout(text),
        style=style,
        docs=docs,
    )
    if _separated(lines.lines, [parent.lc.key(child)[0] for child in children]):
        new = [""] + new + ([""] if at < len(lines.lines) and not is_blank(lines.lines[at]) else [])
    lines.insert(at, new)
    return lines.join()


def _check_docs(
    params: Params, path: str, style: _values_block.Style, docs: dict[str, str]
) -> None:
    stray = [key for key in docs if key != params.key and not key.startswith(params.key + ".")]
    if stray:
        raise CodemodError(f"{path}: docs for keys outside {params.key}: {', '.join(stray)}")
    missing = _values_block.undocumented(style, params.key, params.value, docs)
    if missing:
        raise CodemodError(
            f"{path} documents its values ({style.docs} comments); add docs for: {', '.join(missing)}"
        )


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """Index just past the value of the key on line `start`, with the comments that belong to it."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if is_blank(line) or is_comment(line):
            continue
        if indent_of(line) < indent or (
            indent_of(line) == indent and not line.lstrip().startswith("- ")
        ):
            break
        end = index + 1
    # comments indented under the key right after its value are part of it ('{}' then '  # fsGroup: 2000')
    while end < len(lines) and is_comment(lines[end]) and indent_of(lines[end]) > indent:
        end += 1
    # so is a commented-out example at the key's own indentation that a blank line closes;
    # any other comment that follows introduces the next key (the ruamel pitfall)
    example_end = end
    while example_end < len(lines) and _COMMENTED_YAML.match(lines[example_end]):
        example_end += 1
    if example_end > end and (example_end == len(lines) or is_blank(lines[example_end])):
        end = example_end
    return end


def _separated(lines: list[str], key_lines: list[int]) -> bool:
    """Does this mapping separate its keys (with their comments) by blank lines, mostly?"""
    votes = []
    for line in key_lines[1:]:
        index = line - 1
        while index >= 0 and is_comment(lines[index]):
            index -= 1
        votes.append(index >= 0 and is_blank(lines[index]))
    return bool(votes) and sum(votes) * 2 > len(votes)


def _verify(path: str, before: CommentedMap, text: str, keys: list[str], value: Any) -> None:
    expected = _yaml.plain(before)  # new dicts and lists, so `before` stays as it was
    node = expected
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = _yaml.plain(value)
    if _yaml.load_plain(path, text) != expected:
        raise CodemodError(
            f"{path}: adding {'.'.join(keys)} as text did not give the expected values; edit by hand"
        )
