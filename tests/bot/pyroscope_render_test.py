"""The grafana/pyroscope render check (bot/checks/pyroscope.py): what it asserts on rendered objects,
the chart cache, and `skipped` without the chart. The real chart is third-party and never committed;
with BOT_CHART_CACHE set, the samples run renders it (tests/samples_test.py)."""

from pathlib import Path

from bot.checks import pyroscope
from bot.checks.charts import ChartSource
from bot.checks.helm_manifests import Manifest
from codemods.gitops import plan_pyroscope
from tests.helpers.gitops import apply, params, sample_files, write_tree


def workload(
    name: str, component: str, replicas: int, resources: dict, security: dict | None = None
) -> Manifest:
    obj = {
        "kind": "StatefulSet" if component in ("all", "segment-writer", "metastore") else "Deployment",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/component": component}},
        "spec": {"replicas": replicas, "template": {"spec": {
            "securityContext": security or {"runAsNonRoot": True},
            "containers": [{"name": "pyroscope" if component == "all" else component, "resources": resources}],
        }}},
    }  # fmt: skip
    return Manifest("templates/deployments-statefulsets.yaml", obj)


def config(bucket: str) -> Manifest:
    data = {"config.yaml": f"storage:\n  backend: s3\n  s3:\n    bucket_name: {bucket}\n"}
    return Manifest(
        "templates/configmap.yaml",
        {"kind": "ConfigMap", "metadata": {"name": "p-config"}, "data": data},
    )


VALUES = {
    "pyroscope": {
        "structuredConfig": {"storage": {"s3": {"bucket_name": "dts-profiles-prod-blocks"}}}
    }
}
REQUESTS = {"requests": {"cpu": "100m", "memory": "256Mi"}}
MICRO = pyroscope.Params(
    "ca7f8f-prod", "microservices", ["segment-writer"], {"cpu": "950m", "memory": "3.3Gi"}
)


def test_a_render_that_follows_the_policy_passes_and_totals_the_requests():
    manifests = [
        workload("p-distributor", "distributor", 2, REQUESTS),
        workload(
            "p-segment-writer", "segment-writer", 3, {**REQUESTS, "limits": {"memory": "3Gi"}}
        ),
        config("dts-profiles-prod-blocks"),
    ]
    assert pyroscope.expectations(MICRO, manifests, VALUES) == []
    assert pyroscope.totals(manifests, MICRO.budget) == (
        "rendered requests 500m CPU, 1.25Gi memory vs the plan's budget 950m CPU, 3.3Gi memory (within the budget)"
    )


def test_the_chart_defaults_the_policy_forbids_are_caught():
    manifests = [
        workload(
            "p-distributor",
            "distributor",
            2,
            {**REQUESTS, "limits": {"cpu": "1", "memory": "1Gi"}},
            {"runAsUser": 10001, "fsGroup": 10001},
        ),
        workload("p-segment-writer", "segment-writer", 3, {"requests": {"memory": "1Gi"}}),
        workload("p-ingester", "ingester", 3, REQUESTS),
        Manifest(
            "charts/alloy/templates/controllers/statefulset.yaml",
            {"kind": "StatefulSet", "metadata": {"name": "p-alloy"}},
        ),
        config("grafana-pyroscope-data"),
    ]
    assert pyroscope.expectations(MICRO, manifests, VALUES) == [
        "the chart's own Alloy or agent is rendered (StatefulSet p-alloy)",
        "v1 component rendered: ingester",
        "p-distributor/distributor: CPU limit 1 (the policy: no CPU limits)",
        "p-distributor/distributor: memory limit 1Gi (intended only on segment-writer)",
        "p-distributor: fixed runAsUser (OpenShift restricted-v2 rejects it)",
        "p-distributor: fixed fsGroup (OpenShift restricted-v2 rejects it)",
        "p-segment-writer/segment-writer: no memory limit (intended only on segment-writer)",
        "p-segment-writer/segment-writer: no cpu request",
        "the rendered config's storage.s3.bucket_name is 'grafana-pyroscope-data', expected 'dts-profiles-prod-blocks'",
    ]


def test_single_binary_expected_but_microservices_rendered():
    params = pyroscope.Params("ca7f8f-dev", "single-binary", ["pyroscope"])
    problems = pyroscope.expectations(
        params, [workload("p-distributor", "distributor", 1, REQUESTS)], {}
    )
    assert problems[0] == "expected the single binary (component 'all'), rendered: distributor"


class Context:
    def __init__(self, work_dir: Path, charts: ChartSource | None):
        self.work_dir, self.charts = work_dir, charts

    def base_dir(self, *paths: str) -> Path:
        raise AssertionError("not needed")


def test_without_the_chart_the_check_says_skipped_and_why(tmp_path):
    files = sample_files()
    root = write_tree(tmp_path / "repo", apply(files, plan_pyroscope.plan(params("dev"), files)))
    params_dev = pyroscope.Params("ca7f8f-dev", "single-binary", ["pyroscope"])
    (result,) = pyroscope.run(params_dev, Context(root, ChartSource(tmp_path / "cache")))
    assert (result.status, result.target) == (
        "skipped",
        "environments/dev/apps/pyroscope.yaml (ca7f8f-dev-pyroscope)",
    )
    assert result.detail.startswith(
        "pyroscope 2.2.1 is not in the chart cache cache/ (run `helm pull pyroscope --repo https://grafana.github.io/helm-charts --version 2.2.1"
    )
    (no_cache,) = pyroscope.run(params_dev, Context(root, None))
    assert no_cache.status == "skipped" and "no chart cache" in no_cache.detail
    (missing,) = pyroscope.run(params_dev._replace(namespace="ca7f8f-qa"), Context(root, None))
    assert (
        missing.status == "failed"
        and "no Pyroscope Application for namespace ca7f8f-qa" in missing.detail
    )


def test_the_cache_takes_helm_pull_output_or_an_unpacked_chart(tmp_path):
    cache = tmp_path / "cache"
    (cache / "pyroscope").mkdir(parents=True)
    (cache / "pyroscope" / "Chart.yaml").write_text("name: pyroscope\nversion: 2.2.0\n")
    source = ChartSource(cache)
    assert (
        source.find("helm", "https://example.invalid", "pyroscope", "2.2.1")[0] is None
    )  # other version
    (cache / "pyroscope-2.2.1.tgz").write_bytes(b"")
    assert source.find("helm", "https://example.invalid", "pyroscope", "2.2.1") == (
        cache / "pyroscope-2.2.1.tgz",
        "",
    )
    assert source.find("helm", "https://example.invalid", "pyroscope", "2.2.0") == (
        cache / "pyroscope",
        "",
    )
