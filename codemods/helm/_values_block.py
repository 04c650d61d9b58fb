"""Write a new block of Helm values as text, in the file's own comment, quote and indent style.

Comment styles found in the target charts:
- bitnami readme-generator: `## @param a.b text` (and `## @section Title`);
- helm-docs: `# -- text` directly above the key;
- helm-docs with explicit keys: `# a.b -- text` (the key path in the comment);
- plain: `## text` or `# text`, whichever the file uses more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from codemods._api import CodemodError
from codemods.helm._yaml import Layout

_BITNAMI = re.compile(r"^\s*## @(param|section) ")
_HELM_DOCS_KEY = re.compile(r"^\s*# [\w.\"'\[\]-]+ -- ")
_HELM_DOCS = re.compile(r"^\s*# -- ")
_ANNOTATED = ("bitnami", "helm-docs", "helm-docs-key")


class Style(NamedTuple):
    docs: str  # 'bitnami', 'helm-docs', 'helm-docs-key' or 'plain'
    marker: str  # '##' or '#': how the file writes a plain comment
    quote: str  # "'" or '"': how the file quotes strings


def detect_style(text: str) -> Style:
    lines = text.splitlines()
    counts = {
        "bitnami": sum(1 for line in lines if _BITNAMI.match(line)),
        "helm-docs-key": sum(1 for line in lines if _HELM_DOCS_KEY.match(line)),
        "helm-docs": sum(1 for line in lines if _HELM_DOCS.match(line)),
    }
    docs = max(counts, key=counts.__getitem__) if any(counts.values()) else "plain"
    plain = [
        line.strip()
        for line in lines
        if line.lstrip().startswith("#")
        and not any(p.match(line) for p in (_BITNAMI, _HELM_DOCS_KEY, _HELM_DOCS))
    ]
    double_hash = sum(1 for line in plain if line.startswith("##"))
    marker = "##" if double_hash * 2 >= len(plain) and double_hash else "#"
    singles = len(re.findall(r":\s+'[^']*'\s*(#.*)?$", text, re.MULTILINE))
    doubles = len(re.findall(r':\s+"[^"]*"\s*(#.*)?$', text, re.MULTILINE))
    return Style(docs, marker, "'" if singles > doubles else '"')


def doc_lines(style: Style, key: str, text: str, leaf: bool) -> list[str]:
    """The comment lines documenting `key` (a full dotted path); maps get a plain comment."""
    if not text:
        return []
    if not leaf or style.docs == "plain":
        return [f"{style.marker} {text}"]
    return {
        "bitnami": [f"## @param {key} {text}"],
        "helm-docs": [f"# -- {text}"],
        "helm-docs-key": [f"# {key} -- {text}"],
    }[style.docs]


def section_lines(style: Style, title: str) -> list[str]:
    if not title:
        return []
    if style.docs == "bitnami":
        return [f"## @section {title}", "##"]
    return [f"{style.marker} {title}"]


def undocumented(style: Style, key: str, value: Any, docs: Mapping[str, str]) -> list[str]:
    """Leaves under `key` that need a doc comment in an annotated file and have none."""
    if style.docs not in _ANNOTATED:
        return []
    if isinstance(value, Mapping) and value:
        return [
            k for child, v in value.items() for k in undocumented(style, f"{key}.{child}", v, docs)
        ]
    return [] if docs.get(key) else [key]


def render(
    key: str,
    value: Any,
    *,
    path: str,
    indent: int,
    layout: Layout,
    style: Style,
    docs: Mapping[str, str],
) -> list[str]:
    """`key: value` as block YAML at `indent`, each key preceded by its doc comment.

    `key` is the last segment; `path` is the full dotted path used in the comments.
    """
    pad = " " * indent
    leaf = not (isinstance(value, Mapping) and value) and not (isinstance(value, list) and value)
    lines = [pad + line for line in doc_lines(style, path, docs.get(path, ""), leaf)]
    if isinstance(value, Mapping) and value:
        lines.append(f"{pad}{key}:")
        for child, child_value in value.items():
            lines += render(
                str(child),
                child_value,
                path=f"{path}.{child}",
                indent=indent + layout.mapping,
                layout=layout,
                style=style,
                docs=docs,
            )
    elif isinstance(value, list) and value:
        lines.append(f"{pad}{key}:")
        lines += _sequence(value, indent + layout.offset, layout, style)
    else:
        lines.append(f"{pad}{key}: {scalar(value, style.quote)}")
    return lines


def _sequence(items: list, indent: int, layout: Layout, style: Style) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, Mapping) and item:
            first, *rest = [
                line
                for key, value in item.items()
                for line in render(
                    str(key),
                    value,
                    path=str(key),
                    indent=indent + 2,
                    layout=layout,
                    style=style,
                    docs={},
                )
            ]
            lines += [" " * indent + "- " + first.lstrip(), *rest]
        elif isinstance(item, (Mapping, list)) and item:
            raise CodemodError(
                "nested sequences are not supported in new values; write them as mappings"
            )
        else:
            lines.append(" " * indent + "- " + scalar(item, style.quote))
    return lines


def scalar(value: Any, quote: str) -> str:
    """A YAML scalar. Strings are always quoted so that 'true', '1.0' or '' stay strings."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    if quote == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars
