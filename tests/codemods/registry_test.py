"""Every codemod module on disk is registered, has the codemod surface, and has its own test file."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import codemods
from codemods import CODEMODS, PLANNERS

ROOT = Path(__file__).resolve().parents[2]


def _modules_on_disk() -> list[str]:
    found = []
    for eco in sorted(
        p for p in (ROOT / "codemods").iterdir() if p.is_dir() and not p.name.startswith("_")
    ):
        for info in pkgutil.iter_modules([str(eco)]):
            if not info.name.startswith("_"):
                found.append(f"{eco.name}.{info.name}")
    return found


def test_registry_matches_modules_on_disk():
    assert sorted([*CODEMODS, *PLANNERS]) == _modules_on_disk()
    assert not set(CODEMODS) & set(PLANNERS)


@pytest.mark.parametrize("key", sorted(PLANNERS))
def test_planner_surface(key):
    module = PLANNERS[key]
    assert module is importlib.import_module(f"codemods.{key}")
    assert isinstance(module.DESCRIPTION, str) and module.DESCRIPTION
    assert hasattr(module.Params, "_fields"), "Params must be a NamedTuple"
    assert callable(module.plan)


@pytest.mark.parametrize("key", sorted(CODEMODS))
def test_codemod_surface(key):
    module = CODEMODS[key]
    assert module is importlib.import_module(f"codemods.{key}")
    assert isinstance(module.DESCRIPTION, str) and module.DESCRIPTION
    assert module.FILES and all(isinstance(pattern, str) for pattern in module.FILES)
    assert hasattr(module.Params, "_fields"), "Params must be a NamedTuple"
    assert callable(module.apply)


@pytest.mark.parametrize("key", sorted([*CODEMODS, *PLANNERS]))
def test_codemod_has_tests(key):
    eco, name = key.split(".")
    assert (ROOT / "tests" / "codemods" / eco / f"{name}_test.py").is_file()


def test_codemods_import_nothing_from_the_engine():
    for path in (ROOT / "codemods").rglob("*.py"):
        source = path.read_text()
        for forbidden in (
            "import bot",
            "from bot",
            "import git\n",
            "from git ",
            "import github",
            "from github",
        ):
            assert forbidden not in source, f"{path.relative_to(ROOT)} imports {forbidden.strip()}"
    assert codemods.__name__ == "codemods"
