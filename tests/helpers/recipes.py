"""Apply a recipe's change sets to a sample repository, the way the design describes the engine.

A stand-in for the engine (bot/changes.py) so the codemod data in recipes/*.yaml is exercised end
to end on samples/: `${a.b}` is replaced from recipes.yaml settings in every string under `with:`,
`create: true` files start empty, and every step's output goes through the next step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from codemods import CODEMODS

ROOT = Path(__file__).resolve().parents[2]
_SETTING = re.compile(r"\$\{([^.}]+)(?:\.([^}]+))?\}")


def settings() -> dict[str, Any]:
    return YAML(typ="safe").load((ROOT / "recipes.yaml").read_text())["settings"]


def _substitute(value: Any, config: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return _SETTING.sub(
            lambda m: str(config[m.group(1)][m.group(2)] if m.group(2) else config[m.group(1)]),
            value,
        )
    if isinstance(value, dict):
        return {key: _substitute(item, config) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, config) for item in value]
    return value


def change_sets(service: str) -> dict[str, dict[str, Any]]:
    recipe = YAML(typ="safe").load((ROOT / "recipes" / f"{service}.yaml").read_text())
    return recipe.get("changes") or {}


def apply_change(
    service: str, change: str, repo: Path, *, only_existing: bool = False
) -> dict[str, str]:
    """Run the change set's steps on the files under `repo`; returns path -> new text of edited files.

    only_existing: skip steps on files the sample does not have (files other engineers add later).
    """
    config = settings()
    edited: dict[str, str] = {}
    for step in change_sets(service)[change].get("steps", []):
        path = step["path"]
        if path not in edited and not (repo / path).is_file():
            if step.get("create"):
                edited[path] = ""
            elif only_existing:
                continue
            else:
                raise FileNotFoundError(f"{service}.{change}: {path} is not in {repo}")
        codemod = CODEMODS[step["codemod"]]
        params = codemod.Params(**_substitute(step.get("with") or {}, config))
        text = edited[path] if path in edited else (repo / path).read_text(encoding="utf-8")
        edited[path] = codemod.apply(params, path, text)
    return edited
