"""A read-only view of a checkout's text files, read on first use (planners and whole-repo checks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

_MAX_BYTES = 1_000_000  # configuration files are small; anything larger is not what we read


class RepoFiles(Mapping[str, str]):
    """path -> text of the checkout's UTF-8 files (not .git), read when first asked for."""

    def __init__(self, root: Path):
        self._root = root
        self._paths = sorted(
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.is_file()
            and ".git" not in path.relative_to(root).parts
            and path.stat().st_size <= _MAX_BYTES
        )
        self._texts: dict[str, str | None] = {}

    def _text(self, path: str) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = (self._root / path).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[path] = None
        return self._texts[path]

    def __getitem__(self, path: str) -> str:
        text = self._text(path) if path in self._paths else None
        if text is None:
            raise KeyError(path)
        return text

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path in self._paths and self._text(path) is not None

    def __iter__(self) -> Iterator[str]:
        return (path for path in self._paths if self._text(path) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
