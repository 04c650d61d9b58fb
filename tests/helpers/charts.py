"""Chart trees for validator tests: a base and a changed copy, as a ValidationContext gives them."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


class Checkout:
    """A ValidationContext: `work_dir` holds the change, `base_dir()` the pristine base."""

    def __init__(self, work_dir: Path, base: Path):
        self.work_dir = work_dir
        self._base = base

    def base_dir(self, *paths: str) -> Path:
        return self._base


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def two_copies(tmp_path: Path, files: dict[str, str]) -> Checkout:
    return Checkout(write_tree(tmp_path / "work", files), write_tree(tmp_path / "base", files))


def sample_checkout(tmp_path: Path, repo: str) -> Checkout:
    """Base and work copies of samples/<repo>."""
    for name in ("base", "work"):
        shutil.copytree(SAMPLES / repo, tmp_path / name)
    return Checkout(tmp_path / "work", tmp_path / "base")
