"""Reading Helm templates as YAML-shaped text with Go template actions on their own lines.

A template is not YAML until rendered, so these helpers work on lines: indentation says which
YAML block a line belongs to, and `{{ if/with/range }}` ... `{{ end }}` nesting says where an
insertion stays inside (or outside) a conditional.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods._api import CodemodError
from codemods.helm._text import indent_of, is_blank, is_comment

_OPEN = re.compile(r"\{\{-?\s*(if|with|range|define|block)\b")
_END = re.compile(r"\{\{-?\s*end\b")
_ELSE = re.compile(r"^\s*\{\{-?\s*else\b")
NINDENT = re.compile(r"\bnindent\s+(\d+)")
_CONTAINERS = re.compile(r"^\s*containers:\s*$")
_NAME = re.compile(r"^\s*(?:- )?name:\s*(.*?)\s*$")


def is_action(line: str) -> bool:
    """A line that is only template actions (`{{- if ... }}`, `{{- include ... | nindent 8 }}`)."""
    return line.lstrip().startswith("{{")


def depth_change(line: str) -> int:
    return len(_OPEN.findall(line)) - len(_END.findall(line))


def _is_content(line: str) -> bool:
    return not (is_blank(line) or is_comment(line) or is_action(line))


class Block(NamedTuple):
    header: int  # index of the `key:` line
    items: int  # indentation of the block's entries
    end: int  # index just past the block's last line (actions that open the next key excluded)
    insert_at: int  # where a new entry goes: after the last entry, at the block's own nesting depth
    is_list: bool  # entries are '- ' items
    base: int  # template nesting depth of the entries, relative to the header line


def block(lines: list[str], header: int, path: str) -> Block:
    """The entries under `lines[header]` (a `key:` line), up to the next key at a lower indentation."""
    items = _item_indent(lines, header, path)
    is_list = _starts_with_dash(lines, header, items)
    depth, base, candidates = 0, None, []
    for index in range(header + 1, len(lines)):
        line = lines[index]
        if _is_content(line) and (
            indent_of(line) < items
            or (is_list and indent_of(line) == items and not line.lstrip().startswith("- "))
        ):
            break
        before, depth = depth, depth + depth_change(line)
        if _is_content(line):
            base = before if base is None else min(base, before)
        opens = depth > before or _ELSE.match(line)
        if not (is_blank(line) or is_comment(line) or opens):
            candidates.append((index, depth))
    base = 0 if base is None else base
    at = max((index + 1 for index, after in candidates if after == base), default=header + 1)
    end = max((index + 1 for index, _ in candidates), default=header + 1)
    return Block(header, items, end, at, is_list, base)


def depth_at(lines: list[str], start: int, index: int) -> int:
    """Template nesting depth at `lines[index]`, relative to `lines[start]`."""
    return sum(depth_change(line) for line in lines[start + 1 : index])


def _item_indent(lines: list[str], header: int, path: str) -> int:
    header_indent = indent_of(lines[header])
    for line in lines[header + 1 :]:
        if (
            is_action(line)
            and (match := NINDENT.search(line))
            and int(match.group(1)) > header_indent
        ):
            return int(match.group(1))
        if _is_content(line):
            if indent_of(line) > header_indent or line.lstrip().startswith("- "):
                return indent_of(line)
            break
    raise CodemodError(
        f"{path}: {lines[header].strip()} (line {header + 1}) has no entries to line up with"
    )


def _starts_with_dash(lines: list[str], header: int, items: int) -> bool:
    following = (line for line in lines[header + 1 :] if _is_content(line))
    first = next(following, "")
    return indent_of(first) == items and first.lstrip().startswith("- ")


def find_key(
    lines: list[str], key: str, indent: int, start: int = 0, stop: int | None = None
) -> list[int]:
    """Indexes of `key:` lines (nothing after the colon) at exactly `indent`."""
    pattern = re.compile(rf"^ {{{indent}}}{re.escape(key)}:\s*$")
    return [
        index
        for index in range(start, len(lines) if stop is None else stop)
        if pattern.match(lines[index])
    ]


class Container(NamedTuple):
    name: str  # as written, e.g. 'tenant-ui' or '{{ .Chart.Name }}'
    start: int  # the '- ' line
    end: int
    indent: int  # indentation of the container's keys (dash + 2)


def containers(lines: list[str], path: str) -> list[Container]:
    """The entries of every `containers:` list (not `initContainers:`)."""
    found = []
    for header in (index for index, line in enumerate(lines) if _CONTAINERS.match(line)):
        region = block(lines, header, path)
        starts = [
            index
            for index in range(header + 1, region.end)
            if indent_of(lines[index]) == region.items and lines[index].lstrip().startswith("- ")
        ]
        for start, end in zip(starts, starts[1:] + [region.end], strict=True):
            found.append(
                Container(
                    _container_name(lines, start, end, region.items + 2),
                    start,
                    end,
                    region.items + 2,
                )
            )
    return found


def _container_name(lines: list[str], start: int, end: int, indent: int) -> str:
    for index in range(start, end):
        line = lines[index]
        if (index == start or indent_of(line) == indent) and (match := _NAME.match(line)):
            return match.group(1).strip("'\"")
    return ""


def container(lines: list[str], name: str, path: str) -> Container:
    found = containers(lines, path)
    matching = [c for c in found if c.name == name] if name else found
    if len(matching) == 1:
        return matching[0]
    names = ", ".join(repr(c.name) for c in found) or "none"
    if not matching:
        raise CodemodError(
            f"{path}: no container {name!r} in a containers: list (containers: {names})"
        )
    raise CodemodError(f"{path}: {len(matching)} containers match {name!r}; name one of: {names}")


def conditional(condition: str, entries: list[str], indent: int) -> list[str]:
    """`entries` (already indented) wrapped in `{{- if condition }}` ... `{{- end }}` at `indent`."""
    if not condition:
        return entries
    pad = " " * indent
    return [f"{pad}{{{{- if {condition} }}}}", *entries, f"{pad}{{{{- end }}}}"]


def contains_run(lines: list[str], run: list[str], start: int, stop: int) -> bool:
    """Do lines[start:stop] contain `run` as consecutive lines (ignoring indentation)?"""
    wanted = [line.strip() for line in run]
    have = [line.strip() for line in lines[start:stop]]
    return any(have[i : i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1))
