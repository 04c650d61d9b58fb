"""Chart edits belong in Helm change sets, and every chart a Helm change set edits is rendered whole.

At load time only paths are known, so a chart directory is defined by paths:

- `charts/<name>/` at any depth: Helm's layout for vendored subcharts, and where every target
  repository keeps its charts (`charts/showcase`, `charts/traction`, the helm-charts repos);
- a directory a `helm_render` check of the change set names as `chart:`;
- the directory of a step's `Chart.yaml`.

A path belongs to the outermost chart directory holding it (a subchart is rendered with its parent).
A Helm change set is one whose tracking item id ends in `-helm` (recipes.yaml `items`); every other
change set is a code change set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.campaign.yamlfile import KeyPath

HELM_ITEM_SUFFIX = "-helm"

Problem = tuple[KeyPath, str]


def is_helm_item(item_id: str) -> bool:
    return item_id.endswith(HELM_ITEM_SUFFIX)


def chart_directories(step_paths: Iterable[str], rendered: Iterable[str]) -> set[str]:
    """Chart directories the change set itself declares: rendered charts and `Chart.yaml` parents."""
    declared = {chart.strip("/") for chart in rendered}
    declared |= {path.rpartition("/")[0] for path in step_paths if path.endswith("Chart.yaml")}
    return {chart for chart in declared if chart}


def chart_of(path: str, declared: set[str]) -> str | None:
    """The outermost chart directory holding `path`, or None."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 2]) for i in range(len(parts) - 2) if parts[i] == "charts"]
    candidates += [chart for chart in declared if path.startswith(chart + "/")]
    return min(candidates, key=len) if candidates else None


def problems(item_id: str, steps: list[tuple[int, Any]], rendered: list[str]) -> list[Problem]:
    """Where a change set breaks the chart rules: (key path under the change set, message).

    `steps` are (index, step) pairs with `.codemod` and `.path`; `rendered` the `chart:` of each
    helm_render check."""
    declared = chart_directories((step.path for _, step in steps), rendered)
    if not is_helm_item(item_id):
        return _code_change_problems(item_id, steps, declared)
    edited = sorted({chart for _, step in steps if (chart := chart_of(step.path, declared))})
    found: list[Problem] = []
    for chart in edited:
        if not any(chart == r or chart.startswith(r.rstrip("/") + "/") for r in rendered):
            message = f"edits the chart {chart} but no helm_render check renders it; add one with "
            message += f"chart: {chart} so its default render is compared whole, before and after"
            found.append((("validate",), message))
    return found


def _code_change_problems(
    item_id: str, steps: list[tuple[int, Any]], declared: set[str]
) -> list[Problem]:
    not_helm = f"item {item_id!r} is not a {HELM_ITEM_SUFFIX} item"
    found: list[Problem] = []
    for index, step in steps:
        if chart := chart_of(step.path, declared):
            message = f"{step.path} is inside the chart {chart}, but {not_helm}: chart edits go in "
            message += f"the service's {HELM_ITEM_SUFFIX} change set, behind a switch that is off "
            found.append((("steps", index, "path"), message + "by default"))
        elif step.codemod.startswith("helm."):
            message = f"{step.codemod} edits Helm charts, but {not_helm}"
            found.append((("steps", index, "codemod"), message))
    return found
