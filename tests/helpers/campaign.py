"""Write small campaigns (recipes.yaml + recipes/) into a temporary directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        YAML().dump(data, handle)


def item(item_id: str, service: str | None, labels: list[str] | None = None) -> dict:
    return {
        "id": item_id, "service": service, "title": f"title of {item_id}", "labels": labels or ["phase-3"],
        "effort": "~1h", "requirements": ["do it"], "acceptance": ["it is done"], "issue": None,
    }  # fmt: skip


def campaign(
    services: dict[str, str], items: list[dict], repos: dict[str, dict] | None = None
) -> dict:
    """services: name -> repo full name; each gets a repo entry under its own name."""
    return {
        "campaign": "phase-3",
        "plan": "Phase 3 Profiling and RUM",
        "tracking_repo": "example/tracking",
        "settings": {
            "branch_prefix": "phase-3",
            "profiling_env": "PYROSCOPE_SERVER_ADDRESS",
            "faro_upstream": "http://alloy:12347/collect",
            "packages": {"pyroscope-io": "1.4.0"},
            "label_colors": {"phase-3": "5319e7"},
            "default_label_color": "ededed",
        },
        "repos": {name: {"repo": full, "base": "main"} for name, full in services.items()}
        | (repos or {}),
        "services": {name: {"repo": name} for name in services},
        "items": items,
    }


def write_campaign(root: Path, data: dict, recipes: dict[str, dict]) -> Path:
    write_yaml(root / "recipes.yaml", data)
    for service, recipe in recipes.items():
        write_yaml(root / "recipes" / f"{service}.yaml", recipe)
    return root


PYROSCOPE_STEPS = [
    {"codemod": "python.add_dependency", "path": "pyproject.toml",
     "with": {"name": "pyroscope-io", "constraint": "^${packages.pyroscope-io}"}},
    {"codemod": "python.add_startup_call", "path": "app/main.py",
     "with": {"function": "main", "application_name": "svc", "server_address_env": "${profiling_env}",
              "version_expr": '"1.0"'}},
]  # fmt: skip

SERVICE_FILES = {
    "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.13"\nhttpx = "^0.28.1"\n',
    "poetry.lock": "# lock\n",
    "app/main.py": 'import os\n\n\ndef main():\n    """Run."""\n    return 0\n',
}
