"""Add keys, optionally behind `{{- if <condition> }}`, to the `data:` of a ConfigMap template.

For charts whose app reads its settings from a ConfigMap (envFrom) that maps values to keys one
by one. The keys go after the last existing key at the mapping's own nesting depth, so a
trailing `{{- end -}}` that closes the whole file stays last.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines
from codemods.helm import _template

DESCRIPTION = "Add conditional keys to the data: mapping of a ConfigMap template."
FILES = ("**/templates/*.yaml", "**/templates/**/*.yaml")


class Params(NamedTuple):
    # key -> value as template text, e.g. {FARO_URL: '{{ .Values.faro.url | quote }}'}
    data: dict[str, str]
    condition: str = ""  # Go template condition; empty: always rendered


def apply(params: Params, path: str, text: str) -> str:
    if not params.data:
        raise CodemodError(f"{path}: no data keys given")
    lines = Lines.split(text)
    headers = _template.find_key(lines.lines, "data", 0)
    if len(headers) != 1:
        raise CodemodError(
            f"{path} has {len(headers) or 'no'} top-level data: mappings; expected one ConfigMap"
        )
    data = _template.block(lines.lines, headers[0], path)
    pad = " " * data.items
    new = _template.conditional(
        params.condition, [f"{pad}{key}: {value}" for key, value in params.data.items()], data.items
    )
    if _template.contains_run(lines.lines, new, data.header, data.end):
        return text
    for key in params.data:
        pattern = re.compile(rf"^ {{{data.items}}}['\"]?{re.escape(key)}['\"]?:")
        clash = next(
            (i for i in range(data.header, data.end) if pattern.match(lines.lines[i])), None
        )
        if clash is not None:
            raise CodemodError(
                f"{path} already has data key {key} (line {clash + 1}); change it by hand"
            )
    lines.insert(data.insert_at, new)
    return lines.join()
