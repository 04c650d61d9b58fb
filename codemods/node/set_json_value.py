"""Ensure keys in a JSON config file (node-config's default.json, custom-environment-variables.json, ...).

A mapping value is merged key by key, so `{"faro": {"enabled": false}}` adds only what is missing.
An existing key with another value is a human decision: CodemodError, never an overwrite.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from codemods._api import CodemodError
from codemods.node import _json

DESCRIPTION = "Ensure a (dotted) key has a value in a JSON file, keeping the file's layout."
FILES = ("*.json", "**/*.json")


class Params(NamedTuple):
    key: str  # dotted path, e.g. 'frontend.faro'; missing parents are created as objects
    value: Any  # any JSON value; a mapping is merged into an existing object
    after: str = ""  # sibling key to place a new key after; default: last


def apply(params: Params, path: str, text: str) -> str:
    data, layout = _json.load(path, text)
    *parents, leaf = params.key.split(".")
    merged = _ensure(data, parents, leaf, params.value, params.after, path)
    return text if merged == data else _json.dump(merged, layout)


def _ensure(
    mapping: dict[str, Any], parents: list[str], leaf: str, value: Any, after: str, where: str
) -> dict:
    """`after` places the outermost key that is new; deeper new keys simply come last."""
    if not parents:
        return _put(
            mapping, leaf, _merge(mapping.get(leaf, _MISSING), value, f"{where}: {leaf}"), after
        )
    head, rest = parents[0], parents[1:]
    child = mapping.get(head, {})
    if not isinstance(child, dict):
        raise CodemodError(f"{where}: {head} is not an object")
    inner_after = after if head in mapping else ""
    return _put(
        mapping, head, _ensure(child, rest, leaf, value, inner_after, f"{where}: {head}"), after
    )


_MISSING = object()  # unlike None, which is JSON null


def _merge(existing: Any, wanted: Any, where: str) -> Any:
    if existing is _MISSING:
        return wanted
    if isinstance(existing, dict) and isinstance(wanted, dict):
        for key, value in wanted.items():
            existing = _put(
                existing, key, _merge(existing.get(key, _MISSING), value, f"{where}.{key}"), ""
            )
        return existing
    if existing != wanted:
        raise CodemodError(f"{where} is already {existing!r}, not {wanted!r}; change it by hand")
    return existing


def _put(mapping: dict[str, Any], key: str, value: Any, after: str) -> dict[str, Any]:
    if key in mapping:
        return {**mapping, key: value}
    if after and after not in mapping:
        raise CodemodError(f"cannot place {key} after {after}: no such key")
    index = list(mapping).index(after) + 1 if after else len(mapping)
    return _json.insert_key(mapping, key, value, index)
