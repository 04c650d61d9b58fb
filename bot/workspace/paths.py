"""Directories and files the bot writes, made absolute and proven writable before any work starts.

Each check names the setting the path came from (a flag or an environment variable), so a problem
reads `--workspace: cannot create ws/cache: Not a directory` and the run stops with exit 2.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bot.errors import ConfigError


def absolute(path: Path) -> Path:
    """Relative to the working directory, `~` expanded, `..` folded: git runs in other directories."""
    return Path(os.path.abspath(path.expanduser()))


def writable_dir(path: Path, setting: str, created: list[Path] | None = None) -> Path:
    """The absolute directory, created when missing, with a file created and removed in it.
    The outermost directory this made is appended to `created`, so a failed pre-flight can undo it."""
    target = absolute(path)
    new = _outermost_missing(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError([f"{setting}: {path} exists and is not a directory"]) from None
    except OSError as exc:
        raise ConfigError([f"{setting}: cannot create {path}: {_reason(exc, target)}"]) from None
    if new is not None and created is not None:
        created.append(new)
    try:
        handle, probe = tempfile.mkstemp(prefix=".bot-write-check-", dir=target)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError([f"{setting}: cannot write in {path}: {exc.strerror or exc}"]) from None
    return target


def appendable_file(path: Path, setting: str, created: list[Path] | None = None) -> Path:
    """The absolute file, opened for appending (created when missing, never truncated)."""
    target = absolute(path)
    new = _outermost_missing(target)
    try:
        with open(target, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise ConfigError([f"{setting}: cannot write {path}: {_reason(exc, target)}"]) from None
    if new is not None and created is not None:
        created.append(new)
    return target


def remove_if_unused(paths: list[Path]) -> None:
    """Undo what the checks above created, as long as nothing has been put there since."""
    for path in reversed(paths):
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()
        elif path.is_dir():
            for directory in sorted((p for p in path.rglob("*") if p.is_dir()), reverse=True):
                _rmdir_if_empty(directory)
            _rmdir_if_empty(path)


def _rmdir_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: someone put something there, keep it
        path.rmdir()


def _outermost_missing(target: Path) -> Path | None:
    missing = [p for p in (target, *target.parents) if not p.exists()]
    return missing[-1] if missing else None


def _reason(exc: OSError, target: Path) -> str:
    """The OS's reason, plus the culprit when a parent is a file (ENOTDIR alone does not say which)."""
    if isinstance(exc, NotADirectoryError):
        files = [p for p in reversed(target.parents) if p.exists() and not p.is_dir()]
        blocking = files[0] if files else None
        if blocking is not None:
            return f"{blocking} is a file, not a directory"
    return exc.strerror or str(exc)
