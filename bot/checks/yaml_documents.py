"""The documents of an edited YAML file, parsed once for the checks that read them (Kubernetes
schemas, embedded Alloy configurations). Callers must not change what they get: it is shared."""

from __future__ import annotations

import functools
from typing import Any

from ruamel.yaml.error import YAMLError

from codemods import _fastyaml  # libyaml's parser into ruamel's objects: the same data, faster


@functools.lru_cache(maxsize=64)
def documents(text: str) -> tuple[Any, ...] | None:
    """Every document of `text`, or None when it is not YAML (the yaml check reports that)."""
    try:
        return tuple(_fastyaml.load_all(text, round_trip=False))
    except YAMLError:
        return None
