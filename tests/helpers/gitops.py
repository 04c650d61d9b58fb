"""GitOps repositories as path -> text mappings, and running a planner's steps over them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods import CODEMODS
from codemods.gitops import plan_pyroscope
from tests.conftest import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "samples" / "bcgov-c+tenant-gitops-ca7f8f"

SINGLE = {"cpu": "200m", "memory": "512Mi", "memory_limit": "1Gi", "volume": "2Gi"}
MICRO = {
    "distributor": {"replicas": 2, "cpu": "100m", "memory": "256Mi"},
    "segment-writer": {"replicas": 3, "cpu": "300m", "memory": "1536Mi", "memory_limit": "3Gi"},
    "query-backend": {"replicas": 2, "cpu": "150m", "memory": "512Mi"},
    "query-frontend": {"replicas": 1, "cpu": "100m", "memory": "256Mi"},
    "compaction-worker": {"replicas": 1, "cpu": "150m", "memory": "512Mi"},
    "metastore": {"replicas": 3, "cpu": "100m", "memory": "256Mi", "volume": "2Gi"},
    "tenant-settings": {"replicas": 1, "cpu": "50m", "memory": "64Mi"},
    "ad-hoc-profiles": {"replicas": 1, "cpu": "50m", "memory": "64Mi"},
    "admin": {"replicas": 1, "cpu": "50m", "memory": "64Mi"},
}


def sample_files() -> dict[str, str]:
    return {
        p.relative_to(SAMPLE).as_posix(): p.read_text() for p in SAMPLE.rglob("*") if p.is_file()
    }


def params(env: str, **overrides: Any) -> plan_pyroscope.Params:
    micro = env == "prod"
    values = {
        "environment": env, "namespace": f"ca7f8f-{env}", "chart_version": "2.2.1",
        "mode": "microservices" if micro else "single-binary", "resources": MICRO if micro else SINGLE,
        "profile_port": 9999, "cors_origins": [f"https://{env}.example.org"],
    }  # fmt: skip
    return plan_pyroscope.Params(**{**values, **overrides})


def apply(files: dict[str, str], plan: Any) -> dict[str, str]:
    """The files after the plan's steps (each step sees the previous steps' result)."""
    result = dict(files)
    for step in plan.steps:
        codemod = CODEMODS[step.codemod]
        result[step.path] = codemod.apply(
            codemod.Params(**step.params), step.path, result.get(step.path, "")
        )
    return result


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(path for path in after if after[path] != before.get(path))


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root
