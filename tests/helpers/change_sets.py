"""Just enough of the recipe format to run the Helm change sets against the samples.

A stand-in until the engine's loader (bot/recipes.py) exists: it reads recipes.yaml and
recipes/<service>.yaml, replaces `${a.b}` from `settings` in every string of a step's `with:`,
and applies the steps with the registered codemods. No validation beyond what the tests assert.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from codemods import CODEMODS

ROOT = Path(__file__).resolve().parents[2]
_SETTING = re.compile(r"\$\{([^}.]+)(?:\.([^}]+))?\}")


def _load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


CAMPAIGN = _load(ROOT / "recipes.yaml")


def change_sets(prefix: str = "helm.") -> list[tuple[str, str, dict[str, Any]]]:
    """(service, change key, change set) for change sets whose steps use `prefix` codemods, or skip."""
    found = []
    for path in sorted((ROOT / "recipes").glob("*.yaml")):
        recipe = _load(path)
        for key, change in (recipe.get("changes") or {}).items():
            steps = change.get("steps") or []
            if any(step["codemod"].startswith(prefix) for step in steps) or (
                key.endswith("-helm") and "skip" in change
            ):
                found.append((recipe["service"], key, change))
    return found


def sample_repo(service: str, change: dict[str, Any]) -> str:
    """samples/ directory name (owner+repo) of the repository a change set targets."""
    repo_key = change.get("repo") or CAMPAIGN["services"][service]["repo"]
    return CAMPAIGN["repos"][repo_key]["repo"].replace("/", "+")


def substitute(value: Any) -> Any:
    if isinstance(value, str):
        return _SETTING.sub(_setting, value)
    if isinstance(value, dict):
        return {key: substitute(item) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item) for item in value]
    return value


def _setting(match: re.Match) -> str:
    value = CAMPAIGN["settings"][match.group(1)]
    return str(value[match.group(2)] if match.group(2) else value)


def apply_steps(steps: list[dict[str, Any]], checkout: Path) -> dict[str, str]:
    """Run each step on the file under `checkout`; returns path -> text before the change set."""
    before: dict[str, str] = {}
    for step in steps:
        codemod = CODEMODS[step["codemod"]]
        path = checkout / step["path"]
        text = path.read_text() if path.exists() or not step.get("create") else ""
        before.setdefault(step["path"], text)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            codemod.apply(codemod.Params(**substitute(step.get("with") or {})), step["path"], text)
        )
    return before
