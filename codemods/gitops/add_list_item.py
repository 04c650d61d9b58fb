"""Add an item to a YAML list (buckets, Service ports, datasources, kustomize resources, ...).

The list is found by document and path (codemods/gitops/_yaml.py); the item is inserted as new
lines, so existing lines and comments stay as they are. Already there (same identity) -> no change.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any, NamedTuple

from codemods._api import CodemodError
from codemods.gitops import _yaml

DESCRIPTION = "Add an item to a list in a YAML file (Kubernetes, Argo CD, Helm values), once."
FILES = ("**/*.yaml", "**/*.yml")


class Params(NamedTuple):
    path: list[
        str
    ]  # location of the list: keys, '[field=value]' items, '<yaml>' for embedded values
    item: Any  # the new item: a scalar or a mapping
    key: str = "name"  # field that identifies a mapping item ('' for scalar items: the item itself)
    after: str = (
        ""  # glob on the identities: insert after the last matching item (default: at the end)
    )
    document: str = ""  # 'Kind/name' in a multi-document file; '' for the file's only document


def identity(params: Params, item: Any) -> Any:
    if params.key:
        return item.get(params.key) if isinstance(item, Mapping) else None
    return item


def apply(params: Params, path: str, text: str) -> str:
    wanted = identity(params, _yaml.plain(params.item))
    if wanted is None:
        raise CodemodError(f"{path}: the new item has no {params.key!r}")

    def add(path: str, text: str, sequence: Any) -> str:
        if not isinstance(sequence, list):
            raise CodemodError(f"{path}: {_yaml.describe(params.path)} is not a list")
        identities = [identity(params, _yaml.plain(item)) for item in sequence]
        if wanted in identities:
            return text
        matching = [
            i
            for i, found in enumerate(identities)
            if params.after and fnmatch.fnmatchcase(str(found), params.after)
        ]
        return _yaml.append_item(
            path, text, sequence, params.item, matching[-1] if matching else None
        )

    result = _yaml.edit(path, text, params.document, params.path, add)
    if result == text:
        return text
    return _yaml.verified(
        path, text, result, params.document, params.path, lambda items: _inserted(params, items)
    )


def _inserted(params: Params, items: list[Any]) -> list[Any]:
    matching = [
        i
        for i, item in enumerate(items)
        if params.after and fnmatch.fnmatchcase(str(identity(params, item)), params.after)
    ]
    items.insert(matching[-1] + 1 if matching else len(items), _yaml.plain(params.item))
    return items
