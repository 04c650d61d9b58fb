"""Results computed once per run for inputs that several change sets share (the base render of a chart).

The "before" render of a chart depends on the chart's files, the values, the release, the namespace
and the helm binary, not on the change set, so change sets on the same chart share it. The key
holds the digest of every file under the chart and helm's version; a thread that asks for a key
another thread is computing waits for that result instead of rendering again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_RESULTS: dict[Hashable, Any] = {}
_KEY_LOCKS: dict[Hashable, threading.Lock] = {}
_GUARD = threading.Lock()


def once(key: Hashable, compute: Callable[[], T]) -> T:
    """compute() the first time `key` is asked for in this process; its result afterwards."""
    with _GUARD:
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:
        if key not in _RESULTS:
            _RESULTS[key] = compute()
        result: T = _RESULTS[key]
        return result


def tree_digest(directory: Path) -> str:
    """sha256 over the relative path and content of every file under `directory` (symlinks followed)."""
    digest = hashlib.sha256()
    seen: set[str] = set()
    for root, dirs, files in os.walk(directory, followlinks=True):
        if (real := os.path.realpath(root)) in seen:  # a link back up the tree: walk it once
            dirs.clear()
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            digest.update(str(path.relative_to(directory)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def tool_version(binary: str) -> str:
    """`<binary> version` output, '' when it has none: part of a render's key."""
    try:
        done = subprocess.run(
            [binary, "version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def clear() -> None:
    """Forget every result (tests)."""
    with _GUARD:
        _RESULTS.clear()
        _KEY_LOCKS.clear()
