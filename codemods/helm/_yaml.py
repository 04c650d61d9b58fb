"""The one place ruamel.yaml is configured for Helm values files.

Round-trip mode with the settings that keep Helm values byte-identical through load + dump
(tooling.md §7): quotes kept, no re-wrapping, the file's own indentation and sequence offset
(detected here, not guessed by ruamel), an explicit `---` only when the file has one, `null`
written as `null`. The codemods edit text and use this module to parse and to verify.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from codemods import _fastyaml
from codemods._api import CodemodError

# `key:` with nothing after it but an optional comment: a mapping or sequence follows
_OPENING_KEY = re.compile(r"^( *)(?![-#])[^\s#][^#]*?:\s*(#.*)?$")
_NESTED_KEY = re.compile(r"^( *)(?![-#])[^\s#][^#]*?:(\s|$)")
_SEQUENCE_ITEM = re.compile(r"^( *)- ")


class Layout(NamedTuple):
    mapping: int = 2  # spaces per nested mapping level
    offset: int = 2  # spaces before '- ' under its key (Helm style: 2; flat style: 0)
    explicit_start: bool = False  # the file starts with '---'


def detect_layout(text: str) -> Layout:
    """Indentation as the file writes it: the first nested key and the first sequence under a key."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    mapping = offset = None
    for line, following in itertools.pairwise(lines):
        opening = _OPENING_KEY.match(line)
        if not opening:
            continue
        parent = len(opening.group(1))
        if (
            mapping is None
            and (nested := _NESTED_KEY.match(following))
            and len(nested.group(1)) > parent
        ):
            mapping = len(nested.group(1)) - parent
        if (
            offset is None
            and (item := _SEQUENCE_ITEM.match(following))
            and len(item.group(1)) >= parent
        ):
            offset = len(item.group(1)) - parent
    return Layout(mapping or 2, 2 if offset is None else offset, text.lstrip().startswith("---"))


def _yaml(layout: Layout) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=layout.mapping, sequence=layout.offset + 2, offset=layout.offset)
    yaml.explicit_start = layout.explicit_start
    # keep `value: null` (the default representer writes nothing after the colon)
    yaml.representer.add_representer(
        type(None),
        lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null"),
    )
    return yaml


def load(path: str, text: str, comments: bool = False) -> Any:
    """The round-trip document (CommentedMap with line info), or CodemodError naming the file.
    Comments (ruamel's slower parser) only for a document that is dumped again."""
    try:
        if comments:
            return _yaml(detect_layout(text)).load(text)
        return _fastyaml.load(text, round_trip=True)
    except YAMLError as exc:
        raise CodemodError(f"{path} does not parse as YAML: {' '.join(str(exc).split())}") from exc


def load_plain(path: str, text: str) -> Any:
    """`plain(load(path, text))`, without copying the shared parse first."""
    try:
        return _fastyaml.read(text, plain, round_trip=True)
    except YAMLError as exc:
        raise CodemodError(f"{path} does not parse as YAML: {' '.join(str(exc).split())}") from exc


def dump(data: Any, layout: Layout) -> str:
    stream = io.StringIO()
    _yaml(layout).dump(data, stream)
    return stream.getvalue()


def roundtrip(path: str, text: str) -> str:
    """Load and dump with the file's own layout; equal to `text` for every values file we edit."""
    return dump(load(path, text, comments=True), detect_layout(text))


def plain(data: Any) -> Any:
    """Plain dicts, lists and scalars (quoted strings become str), for comparing content."""
    if isinstance(data, dict):
        return {str(key): plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    if isinstance(data, str):
        return str(data)
    return data
