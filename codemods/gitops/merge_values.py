"""Merge keys into a YAML mapping (Helm values inside an Argo CD Application, a values file, ...).

Missing keys are added as new lines at the end of the deepest mapping that exists; keys already
there with the same value are kept; a different existing value is a conflict (changed by hand).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from codemods._api import CodemodError
from codemods.gitops import _yaml
from codemods.helm._yaml import Layout

DESCRIPTION = "Merge keys into a YAML mapping, adding only what is missing."
FILES = ("**/*.yaml", "**/*.yml")


class Params(NamedTuple):
    path: list[
        str
    ]  # location of the mapping: keys, '[field=value]' items, '<yaml>' for embedded values
    value: dict[str, Any]  # the keys to merge in (nested mappings merge recursively)
    document: str = ""  # 'Kind/name' in a multi-document file; '' for the file's only document
    comment: str = ""  # a new (empty) file only: comment lines written above the values


def apply(params: Params, path: str, text: str) -> str:
    if not text.strip():
        if params.path:
            raise CodemodError(
                f"{path} is empty; cannot merge at {_yaml.describe(list(params.path))}"
            )
        header = [f"# {line}".rstrip() for line in params.comment.splitlines()]
        return "\n".join(header + _yaml.render(params.value, Layout())) + "\n"
    result = _yaml.merge(path, text, params.document, params.path, params.value)
    if result == text:
        return text
    return _yaml.verified(
        path, text, result, params.document, params.path, lambda node: _merged(node, params.value)
    )


def _merged(node: Any, value: dict[str, Any]) -> Any:
    for key, wanted in value.items():
        if isinstance(node.get(key), dict) and isinstance(wanted, dict):
            _merged(node[key], wanted)
        else:
            node[key] = _yaml.plain(wanted)
    return node
