"""What a change set puts into the running system, derived from its recipe steps and checks, so that
`bot verify` knows what to look for without a second copy in the recipes:

- Pyroscope application names: python.add_startup_call `application_name`, and `values.app_name` of
  the pyroscope-init.ts template;
- Faro app names: `values.app_name` of the faro-* templates and snippets, and `initFaro({ name: '...' })`
  in inserted code;
- workloads: the Deployments/StatefulSets a helm_render check expects, with the variables the steps add.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from bot.campaign.model import Check, Step, Targets, Workload

_INIT_FARO = re.compile(r"initFaro\(\s*\{\s*name:\s*['\"]([^'\"]+)['\"]")
_WORKLOAD_KINDS = ("Deployment", "StatefulSet")


def derive(steps: tuple[Step, ...], checks: tuple[Check, ...]) -> Targets:
    return Targets(
        tuple(dict.fromkeys(_profile_apps(steps))),
        tuple(dict.fromkeys(_faro_apps(steps))),
        tuple(dict.fromkeys(_workloads(steps, checks))),
    )


def _params(step: Step) -> dict[str, Any]:
    return step.params._asdict()


def _profile_apps(steps: tuple[Step, ...]) -> Iterator[str]:
    for step in steps:
        params = _params(step)
        if step.codemod == "python.add_startup_call":
            yield params["application_name"]
        elif params.get("template") == "pyroscope-init.ts" and (params.get("values") or {}).get(
            "app_name"
        ):
            yield params["values"]["app_name"]


def _faro_apps(steps: tuple[Step, ...]) -> Iterator[str]:
    for step in steps:
        params = _params(step)
        if str(params.get("template", "")).startswith("faro") and (params.get("values") or {}).get(
            "app_name"
        ):
            yield params["values"]["app_name"]
        for text in _strings(params):
            yield from _INIT_FARO.findall(text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _workloads(steps: tuple[Step, ...], checks: tuple[Check, ...]) -> Iterator[Workload]:
    mentioned = "\n".join(text for step in steps for text in _strings(_params(step)))
    for check in checks:
        if check.name != "helm_render":
            continue
        params: Any = check.params  # bot.checks.helm.Params
        chart = PurePosixPath(params.chart).name
        for expect in params.expect:
            if expect.get("kind") not in _WORKLOAD_KINDS or not expect.get("env"):
                continue
            added = tuple(
                name for name in expect["env"] if re.search(rf"\b{re.escape(name)}\b", mentioned)
            )
            if added:
                yield Workload(
                    chart,
                    _name_label(chart, expect["source"]),
                    expect["kind"],
                    expect.get("container", ""),
                    added,
                )


def _name_label(chart: str, source: str) -> str:
    """charts/acapy/templates/... inside the traction chart belongs to the acapy subchart."""
    parts = PurePosixPath(source).parts
    return parts[1] if len(parts) > 2 and parts[0] == "charts" else chart
