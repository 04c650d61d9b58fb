"""The package indexes the environment configures. Nothing here names a host of its own, except pip's
built-in default, which is what pip itself uses when no configuration names an index."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Mapping

PIP_DEFAULT_INDEX = "https://pypi.org/simple"  # pip's own default (pip/_internal/models/index.py)
_cache: dict[tuple[tuple[str, str], ...], str] = {}
_guard = threading.Lock()


def python_index(environ: Mapping[str, str]) -> str:
    """The simple index Poetry and uv should use: uv's own setting, else pip's, else pip's default.

    pip's extra-index-url entries are left out: on a workstation they are local wheel caches
    (file://...), and a lock that recorded them would not install anywhere else."""
    for name in ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"):
        if environ.get(name):
            return environ[name].rstrip("/")
    return (_pip_config(environ).get("index-url") or PIP_DEFAULT_INDEX).rstrip("/")


def uv_index_env(environ: Mapping[str, str]) -> dict[str, str]:
    """uv does not read pip's configuration: hand it pip's index when uv has none of its own."""
    if any(environ.get(name) for name in ("UV_DEFAULT_INDEX", "UV_INDEX_URL")):
        return {}
    index = python_index(environ)
    return {} if index == PIP_DEFAULT_INDEX else {"UV_DEFAULT_INDEX": index}


def _pip_config(environ: Mapping[str, str]) -> dict[str, str]:
    """pip's effective settings (`pip config list`: files and PIP_* variables), last one wins."""
    key = tuple(
        sorted(
            (k, v)
            for k, v in environ.items()
            if k.startswith(("PIP_", "VIRTUAL_ENV", "XDG_CONFIG"))
        )
    )
    with _guard:
        if key not in _cache:
            _cache[key] = _pip_config_list(environ)
    settings: dict[str, str] = {}
    for line in _cache[key].splitlines():
        name, _, value = line.partition("=")
        settings[name.split(".", 1)[-1]] = value.strip().strip("'\"")
    return settings


def _pip_config_list(environ: Mapping[str, str]) -> str:
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"], env=dict(environ), capture_output=True,
            text=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout if result.returncode == 0 else ""
