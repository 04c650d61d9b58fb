"""Edit Kubernetes and Argo CD YAML (multi-document files, nested Helm values) as text insertions.

ruamel.yaml (round-trip) parses the file and tells where every node is; the edit itself inserts
new lines (rendered by ruamel in the file's own indentation) and leaves every existing line as it
was, so diffs are additions only and comments stay where they are (dumping the whole document
would re-attach a comment that introduces the next item to the new one, tooling.md §7).
Every edit is verified by parsing the result and comparing it with the intended data.

A location is a document (`Kind/name`, or '' for a file's only document) and a list of path
segments: mapping keys, `[field=value]` for the list item whose field has that value, and
`<yaml>` to descend into a string that holds YAML (Argo CD `helm.values: |`).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from codemods import _fastyaml
from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm._text import indent_of, is_blank, is_comment
from codemods.helm._values_block import detect_style
from codemods.helm._yaml import Layout, detect_layout

EMBEDDED = "<yaml>"
_SELECT = re.compile(r"^\[(?P<field>[^=\]]+)=(?P<value>.*)\]$")


def _yaml(layout: Layout) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=layout.mapping, sequence=layout.offset + 2, offset=layout.offset)
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def documents(path: str, text: str) -> list[Any]:
    try:
        return _fastyaml.load_all(text, round_trip=True)
    except YAMLError as exc:
        raise CodemodError(f"{path} does not parse as YAML: {' '.join(str(exc).split())}") from exc


def plain_documents(path: str, text: str) -> list[Any]:
    """`[plain(doc) for doc in documents(path, text)]`, without copying the shared parse first."""
    try:
        return _fastyaml.read_all(text, lambda docs: [plain(doc) for doc in docs], round_trip=True)
    except YAMLError as exc:
        raise CodemodError(f"{path} does not parse as YAML: {' '.join(str(exc).split())}") from exc


def plain(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {str(key): plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return str(data) if isinstance(data, str) else data


def identity(doc: Any) -> str:
    """`Kind/name` of a Kubernetes object, '' for anything else."""
    if not isinstance(doc, Mapping):
        return ""
    name = (
        (doc.get("metadata") or {}).get("name")
        if isinstance(doc.get("metadata"), Mapping)
        else None
    )
    return f"{doc.get('kind')}/{name}" if doc.get("kind") and name else ""


def select(path: str, docs: list[Any], document: str) -> int:
    """Index of the document `Kind/name` (or of the only document when `document` is '')."""
    present = [index for index, doc in enumerate(docs) if doc is not None]
    if not document:
        if len(present) != 1:
            raise CodemodError(f"{path} holds {len(present)} documents; name one as Kind/name")
        return present[0]
    found = [index for index in present if identity(docs[index]) == document]
    if not found:
        names = ", ".join(identity(docs[i]) or f"#{i}" for i in present)
        raise CodemodError(f"{path}: no document {document} (found: {names or 'none'})")
    return found[0]


def describe(segments: list[str]) -> str:
    return ".".join(segments) or "(top)"


def resolve(path: str, node: Any, segments: list[str]) -> Any:
    for depth, segment in enumerate(segments):
        where = describe(segments[: depth + 1])
        match = _SELECT.match(segment)
        if match and isinstance(node, list):
            items = [
                i
                for i in node
                if isinstance(i, Mapping) and str(i.get(match["field"])) == match["value"]
            ]
            if not items:
                raise CodemodError(
                    f"{path}: no item with {match['field']} {match['value']!r} in {describe(segments[:depth])}"
                )
            node = items[0]
        elif isinstance(node, Mapping) and segment in node:
            node = node[segment]
        else:
            raise CodemodError(f"{path}: {where} not found")
    return node


Operation = Callable[
    [str, str, Any], str
]  # (path, text of the (sub)document stream, target node) -> new text


def edit(path: str, text: str, document: str, segments: list[str], operation: Operation) -> str:
    """Run `operation` on the node at the location; `<yaml>` segments recurse into embedded YAML."""
    if EMBEDDED in segments:
        cut = segments.index(EMBEDDED)
        inner_path = f"{path} ({describe(segments[:cut])})"
        return edit_string(
            path, text, document, segments[:cut],
            lambda inner: edit(inner_path, inner, "", segments[cut + 1 :], operation),
        )  # fmt: skip
    docs = documents(path, text)
    index = select(path, docs, document) if (document or docs) else 0
    node = resolve(path, docs[index] if docs else None, segments)
    return operation(path, text, node)


def edit_string(
    path: str, text: str, document: str, segments: list[str], change: Callable[[str], str]
) -> str:
    """Replace the block scalar (`key: |`) at the location with `change(its value)`."""
    docs = documents(path, text)
    parent = resolve(path, docs[select(path, docs, document)], segments[:-1])
    key = segments[-1]
    value = parent.get(key) if isinstance(parent, Mapping) else None
    if not isinstance(value, LiteralScalarString):
        raise CodemodError(
            f"{path}: {describe(segments)} is not a block scalar (key: |); edit it by hand"
        )
    new_value = change(str(value))
    if new_value == str(value):
        return text
    lines = Lines.split(text)
    key_line, key_column = parent.lc.key(key)
    start, end = key_line + 1, key_line + 1
    for index in range(key_line + 1, len(lines.lines)):
        line = lines.lines[index]
        if not is_blank(line) and indent_of(line) <= key_column:
            break
        if not is_blank(line):
            end = index + 1
    content_indent = min(indent_of(line) for line in lines.lines[start:end] if not is_blank(line))
    new_lines = [
        (" " * content_indent + line) if line.strip() else "" for line in new_value.split("\n")
    ]
    if new_value.endswith("\n"):
        new_lines.pop()
    lines.lines[start:end] = new_lines
    return lines.join()


_SINGLE_QUOTED = re.compile(r"(:\s|-\s)'([^'\"\\]*)'$")


def render(value: Any, layout: Layout, quote: str = '"') -> list[str]:
    """Block YAML lines for `value` (a mapping or a one-item list), in the file's layout; strings that
    need quotes ('0', '') in the file's quote style."""
    stream = io.StringIO()
    _yaml(layout).dump(_literal_blocks(value), stream)
    lines = stream.getvalue().rstrip("\n").split("\n")
    return [_SINGLE_QUOTED.sub(r'\1"\2"', line) for line in lines] if quote == '"' else lines


def quote_of(text: str) -> str:
    """How the file quotes strings; double quotes for a new file (the Kubernetes docs' style)."""
    return detect_style(text).quote if text.strip() else '"'


def _literal_blocks(value: Any) -> Any:
    """Multi-line strings as `|` blocks; everything else as is."""
    if isinstance(value, Mapping):
        return CommentedMap((key, _literal_blocks(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(_literal_blocks(item) for item in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def append_item(path: str, text: str, sequence: Any, item: Any, after: int | None) -> str:
    """Insert `item` after item number `after` of the block sequence (default: its last item)."""
    if not isinstance(sequence, CommentedSeq) or not sequence:
        raise CodemodError(f"{path}: expected a non-empty list to add to")
    if sequence.fa.flow_style():
        raise CodemodError(
            f"{path}: the list is written in flow style ([...]); add the item by hand"
        )
    lines = Lines.split(text)
    anchor = len(sequence) - 1 if after is None else after
    line, column = sequence.lc.item(anchor)
    dash = lines.lines[line].rfind("-", 0, column)
    if dash < 0:
        raise CodemodError(f"{path}: cannot find the '-' of the list item on line {line + 1}")
    end = _end_of_block(lines.lines, line, dash)
    new = [
        " " * dash + row
        for row in render([item], Layout(detect_layout(text).mapping, 0), quote_of(text))
    ]
    lines.insert(end, new)
    return lines.join()


def add_keys(path: str, text: str, mapping: Any, new: Mapping[str, Any]) -> str:
    """Add keys at the end of a block mapping that does not have them yet."""
    if not isinstance(mapping, CommentedMap):
        raise CodemodError(f"{path}: expected a mapping to add {', '.join(new)} to")
    if mapping.fa.flow_style() and mapping:
        raise CodemodError(
            f"{path}: the mapping is written in flow style ({{...}}); add {', '.join(new)} by hand"
        )
    lines = Lines.split(text)
    layout = detect_layout(text)
    if mapping:
        last = list(mapping)[-1]
        line, column = mapping.lc.key(last)
        end = _end_of_block(lines.lines, line, column)
    else:
        raise CodemodError(f"{path}: the mapping is empty ({{}}); add {', '.join(new)} by hand")
    lines.insert(end, [" " * column + row for row in render(dict(new), layout, quote_of(text))])
    return lines.join()


def _end_of_block(lines: list[str], start: int, column: int) -> int:
    """Index just past the last content line that belongs to the entry starting on line `start`.

    Comments and blank lines after it are left out: they introduce whatever comes next."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if is_blank(line) or is_comment(line):
            continue
        if indent_of(line) <= column:
            break
        end = index + 1
    return end


def merge(
    path: str, text: str, document: str, segments: list[str], value: Mapping[str, Any]
) -> str:
    """Deep-merge `value` into the mapping at the location: missing keys are added (one at a time,
    at the deepest mapping that exists), equal ones kept, a different existing value is a conflict."""

    def add_first_missing(path: str, text: str, node: Any) -> str:
        missing = _first_missing(path, node, value, segments)
        if missing is None:
            return text
        relative, key, wanted = missing
        return add_keys(path, text, resolve(path, node, relative), {key: wanted})

    while (added := edit(path, text, document, segments, add_first_missing)) != text:
        text = added
    return text


def _first_missing(
    path: str,
    node: Any,
    value: Mapping[str, Any],
    segments: list[str],
    relative: tuple[str, ...] = (),
) -> tuple[list[str], str, Any] | None:
    if not isinstance(node, Mapping):
        raise CodemodError(f"{path}: {describe([*segments, *relative])} is not a mapping")
    for key, wanted in value.items():
        if key not in node:
            return list(relative), key, wanted
        if isinstance(node[key], Mapping) and isinstance(wanted, Mapping):
            if (
                found := _first_missing(path, node[key], wanted, segments, (*relative, key))
            ) is not None:
                return found
        elif plain(node[key]) != plain(wanted):
            raise CodemodError(
                f"{path}: {describe([*segments, *relative, key])} is {plain(node[key])!r}, "
                f"not {plain(wanted)!r}; change it by hand"
            )
    return None


_TARGET = "<the edited node>"


def snapshot(path: str, text: str, document: str, segments: list[str]) -> tuple[Any, Any]:
    """(every document as plain data with the located node replaced by a marker, that node)."""
    docs = plain_documents(path, text)
    index = select(path, docs, document) if (document or docs) else 0
    cut = segments.index(EMBEDDED) if EMBEDDED in segments else len(segments)
    parent_path, key = segments[: cut - 1], segments[cut - 1] if cut else None
    if key is None:
        return _TARGET, docs[index]
    parent = resolve(path, docs[index], parent_path)
    if cut < len(segments):
        parent[key], target = snapshot(path, str(parent[key]), "", segments[cut + 1 :])
    else:
        target = resolve(path, parent, [key])
        _replace(parent, key, _TARGET)
    return docs, target


def _replace(parent: Any, key: str, marker: str) -> None:
    match = _SELECT.match(key)
    if match and isinstance(parent, list):
        index = next(
            i
            for i, item in enumerate(parent)
            if isinstance(item, dict) and str(item.get(match["field"])) == match["value"]
        )
        parent[index] = marker
    else:
        parent[key] = marker


def verified(
    path: str,
    before: str,
    after: str,
    document: str,
    segments: list[str],
    change: Callable[[Any], Any],
) -> str:
    """`after`, once it parses to `before` with only the located node changed, as `change` says."""
    outside_before, target_before = snapshot(path, before, document, segments)
    outside_after, target_after = snapshot(path, after, document, segments)
    if outside_after != outside_before or target_after != change(copy.deepcopy(target_before)):
        raise CodemodError(
            f"{path}: the edit at {describe(segments)} did not give the expected content; edit by hand"
        )
    return after
