"""Add env entries, optionally behind `{{- if <condition> }}`, to one container of a Helm template.

By default the entries go after the last entry of the container's `env:` list, at the list's own
nesting depth: after a closing `{{- end }}` of a `range` over extra values (not inside the loop),
after items that follow a `{{- with }}` ... `{{- end }}` hook, before a `{{- if }}` that opens the
next key. `after` puts them right after a named entry instead (two change sets that both append
to one list would give patches that conflict). With the condition false the manifest is unchanged.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm import _template
from codemods.helm._text import indent_of, is_blank

DESCRIPTION = "Add conditional env entries to a container's env list in a Helm template."
FILES = ("**/templates/*.yaml", "**/templates/**/*.yaml", "**/templates/*.tpl")


class Params(NamedTuple):
    # [{name: PYROSCOPE_SERVER_ADDRESS, value: '{{ .Values.x | quote }}'}]
    env: list[dict[str, str]]
    # Go template condition, e.g. '.Values.pyroscope.enabled'; empty: always rendered
    condition: str = ""
    # container name as written in the template; empty: the file's only container
    container: str = ""
    # name of an existing entry to insert after (and after the condition around it); empty: at the end
    after: str = ""


def apply(params: Params, path: str, text: str) -> str:
    entries = _entries(params, path)
    lines = Lines.split(text)
    container = _template.container(lines.lines, params.container, path)
    headers = _template.find_key(
        lines.lines, "env", container.indent, container.start, container.end
    )
    if len(headers) != 1:
        raise CodemodError(
            f"{path}: container {container.name!r} has {len(headers) or 'no'} env: lists at line "
            f"{container.start + 1}; add an env hook by hand first"
        )
    env = _template.block(lines.lines, headers[0], path)
    new = _template.conditional(params.condition, _render(entries, env.items), env.items)
    if _template.contains_run(lines.lines, new, env.header, env.end):
        return text
    for name, _ in entries:
        if (clash := _entry_line(lines.lines, env, name)) is not None:
            raise CodemodError(
                f"{path}: container {container.name!r} already sets {name} (line {clash + 1}); "
                "change it by hand"
            )
    at = _after_entry(lines.lines, env, params.after, path) if params.after else env.insert_at
    lines.insert(at, new)
    return lines.join()


def _entry_line(lines: list[str], env: _template.Block, name: str) -> int | None:
    pattern = re.compile(rf"^\s*- name:\s*['\"]?{re.escape(name)}['\"]?\s*$")
    return next((i for i in range(env.header, env.end) if pattern.match(lines[i])), None)


def _after_entry(lines: list[str], env: _template.Block, name: str, path: str) -> int:
    """Index just past the entry `name` and past any template condition around it."""
    start = _entry_line(lines, env, name)
    if start is None:
        raise CodemodError(f"{path}: no env entry {name} to insert after")
    depth = _template.depth_at(lines, env.header, start)
    end = start + 1
    while end < env.end and (is_blank(lines[end]) or indent_of(lines[end]) > env.items):
        end += 1
    while depth > env.base and end < env.end:
        depth += _template.depth_change(lines[end])
        end += 1
    return end


def _entries(params: Params, path: str) -> list[tuple[str, str]]:
    if not params.env:
        raise CodemodError(f"{path}: no env entries given")
    entries = []
    for entry in params.env:
        if set(entry) != {"name", "value"} or not all(
            isinstance(v, str) and v for v in entry.values()
        ):
            raise CodemodError(
                f"env entries need exactly a non-empty name and value, got {dict(entry)!r}"
            )
        entries.append((entry["name"], entry["value"]))
    return entries


def _render(entries: list[tuple[str, str]], indent: int) -> list[str]:
    pad = " " * indent
    return [
        line
        for name, value in entries
        for line in (f"{pad}- name: {name}", f"{pad}  value: {value}")
    ]
