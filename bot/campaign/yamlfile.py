"""Load a YAML file into plain Python values, remembering the line of every key for error messages."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from bot.errors import ConfigError
from codemods import (
    _fastyaml,  # libyaml's parser into ruamel's objects: the same data and lines, faster
)

KeyPath = tuple[str | int, ...]
MAX_BYTES = 2 * 1024 * 1024  # campaign files are a few KiB; anything this big is the wrong file


def format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class Problems:
    """Collects every problem with a file, so a user sees them all at once."""

    items: list[str] = field(default_factory=list)

    def add(self, source: Document, path: KeyPath, message: str) -> None:
        # a missing key has no line of its own: point at the nearest enclosing key
        line = next(
            (source.lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in source.lines),
            None,
        )
        where = f"{source.name}:{line}" if line else source.name
        self.items.append(
            f"{where}: {format_path(path)}: {message}" if path else f"{where}: {message}"
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(self.items)


@dataclass
class Document:
    name: str  # as shown to users, relative to the campaign root
    data: Any
    lines: dict[KeyPath, int]


def read_text(path: Path, name: str, max_bytes: int = MAX_BYTES) -> str:
    """A small UTF-8 text file, or ConfigError `<name>: <problem>` for anything else a path can be:
    missing, a directory, a device or FIFO, unreadable, too big, or not UTF-8."""
    try:
        kind = os.stat(path).st_mode
        if stat.S_ISDIR(kind):
            raise ConfigError([f"{name}: is a directory, expected a file"])
        if not stat.S_ISREG(kind):  # /dev/zero or a FIFO would never end
            raise ConfigError([f"{name}: is not a regular file (a device, FIFO or socket)"])
        with open(path, "rb") as handle:
            # st_size lies for /proc files: read at most one byte past the limit instead
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ConfigError([f"{name}: file not found"]) from None
    except OSError as exc:
        raise ConfigError([f"{name}: cannot read: {exc.strerror or exc}"]) from None
    if len(data) > max_bytes:
        raise ConfigError([f"{name}: larger than {max_bytes // 1024} KiB; is this the right file?"])
    try:
        return data.decode("utf-8-sig")  # a leading BOM is harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        problem = f"not UTF-8 text (byte 0x{byte} at offset {exc.start}); save it as UTF-8"
        raise ConfigError([f"{name}:{line}: {problem}"]) from None


def load(path: Path, name: str) -> Document:
    text = read_text(path, name)
    try:
        raw = _fastyaml.load(text, round_trip=True)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        what = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise ConfigError([f"{where}: not valid YAML: {what}"]) from None
    lines: dict[KeyPath, int] = {}
    return Document(name, _plain(raw, (), lines), lines)


def _plain(node: Any, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    """ruamel's round-trip types (ScalarBoolean is an int!) to plain dict/list/str/int/float/bool."""
    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            line = node.lc.key(key)[0] + 1 if node.lc.data and key in node.lc.data else None
            if line:
                lines[path + (key,)] = line
            result[str(key)] = _plain(value, path + (str(key),), lines)
        return result
    if isinstance(node, CommentedSeq):
        for index in range(len(node)):
            if node.lc.data and index in node.lc.data:
                lines[path + (index,)] = node.lc.item(index)[0] + 1
        return [_plain(value, path + (index,), lines) for index, value in enumerate(node)]
    if type(node).__name__ == "ScalarBoolean":
        return bool(node)
    for plain in (bool, int, float, str):
        if isinstance(node, plain):
            return plain(node)
    return node
