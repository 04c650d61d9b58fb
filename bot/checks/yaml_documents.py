"""The documents of an edited YAML file, parsed once for the checks that read them (Kubernetes
schemas, embedded Alloy configurations). Callers must not change what they get: it is shared."""

from __future__ import annotations

import functools
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError


@functools.lru_cache(maxsize=64)
def documents(text: str) -> tuple[Any, ...] | None:
    """Every document of `text`, or None when it is not YAML (the yaml check reports that)."""
    try:
        return tuple(YAML(typ="safe", pure=True).load_all(text))
    except YAMLError:
        return None
