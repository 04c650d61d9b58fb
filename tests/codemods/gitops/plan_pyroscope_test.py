"""Pattern discovery for the Pyroscope deployment (codemods/gitops/plan_pyroscope.py), on the bundled
sample (app-of-apps directories, $values value files) and on a second layout (kustomization lists,
inline values, embedded Alloy configuration)."""

import pytest
from ruamel.yaml import YAML

from bot.checks import alloy as alloy_check
from codemods import CodemodError
from codemods.alloy import _syntax
from codemods.gitops import plan_pyroscope
from tests.codemods.gitops import layout_b
from tests.helpers.gitops import apply, changed, params, sample_files

yaml = YAML(typ="safe", pure=True)


@pytest.fixture(scope="module")
def sample():
    return sample_files()


@pytest.fixture(scope="module")
def planned(sample):
    return {
        env: apply(sample, plan_pyroscope.plan(params(env), sample))
        for env in ("dev", "test", "prod")
    }


def test_sample_dev_follows_the_tempo_pattern(sample, planned):
    after = planned["dev"]
    assert changed(sample, after) == [
        "environments/dev/apps/pyroscope.yaml", "environments/dev/platform/config.alloy",
        "environments/dev/platform/networkpolicies.yaml", "environments/dev/values/alloy.yaml",
        "environments/dev/values/grafana.yaml", "environments/dev/values/pyroscope.yaml",
        "environments/dev/values/seaweedfs.yaml",
    ]  # fmt: skip
    app = yaml.load(after["environments/dev/apps/pyroscope.yaml"])
    tempo = yaml.load(sample["environments/dev/apps/tempo.yaml"])
    assert (
        app["metadata"]["name"]
        == app["spec"]["sources"][0]["helm"]["releaseName"]
        == "ca7f8f-dev-pyroscope"
    )
    for key in ("project", "destination", "syncPolicy"):
        assert app["spec"][key] == tempo["spec"][key]
    assert (
        app["spec"]["sources"][0]["chart"] == "pyroscope"
        and app["spec"]["sources"][0]["targetRevision"] == "2.2.1"
    )
    assert app["spec"]["sources"][0]["helm"]["valueFiles"] == [
        "$values/environments/dev/values/pyroscope.yaml"
    ]
    assert app["spec"]["sources"][1] == tempo["spec"]["sources"][1]  # the $values ref source
    assert app["metadata"]["labels"]["dts.gov.bc.ca/backend"] == "pyroscope"
    buckets = yaml.load(after["environments/dev/values/seaweedfs.yaml"])["filer"]["s3"][
        "createBuckets"
    ]
    assert {"name": "dts-profiles-dev-blocks", "anonymousRead": False} in buckets


def test_sample_values_reuse_tempos_s3_settings(planned):
    values = yaml.load(planned["dev"]["environments/dev/values/pyroscope.yaml"])
    assert values["pyroscope"]["structuredConfig"]["storage"]["s3"] == {
        "endpoint": "seaweedfs-dev-s3.ca7f8f-dev.svc.cluster.local:8333", "bucket_name": "dts-profiles-dev-blocks",
        "access_key_id": "${S3_ACCESS_KEY_ID}", "secret_access_key": "${S3_SECRET_ACCESS_KEY}",
        "insecure": True, "bucket_lookup_type": "path-style",
    }  # fmt: skip
    assert values["pyroscope"]["extraEnvFrom"] == [{"secretRef": {"name": "dts-s3-credentials"}}]
    assert values["pyroscope"]["extraArgs"] == {"log.level": "info", "config.expand-env": "true"}
    assert values["pyroscope"]["podSecurityContext"] == {"fsGroup": None, "runAsUser": None}
    assert values["alloy"] == {"enabled": False}
    assert (
        values["pyroscope"]["persistence"]["storageClassName"] == "netapp-block-standard"
    )  # Tempo's


def test_dev_test_and_prod_differ_where_the_plan_says(planned):
    dev, test, prod = (
        yaml.load(planned[e][f"environments/{e}/values/pyroscope.yaml"])
        for e in ("dev", "test", "prod")
    )
    for single in (dev, test):
        assert "architecture" not in single and single["pyroscope"]["replicaCount"] == 1
        assert single["pyroscope"]["resources"] == {
            "requests": {"cpu": "200m", "memory": "512Mi"},
            "limits": {"memory": "1Gi"},
        }
    assert (
        test["pyroscope"]["structuredConfig"]["storage"]["s3"]["bucket_name"]
        == "dts-profiles-test-blocks"
    )
    assert prod["architecture"]["microservices"]["enabled"] is True
    components = prod["pyroscope"]["components"]
    assert {name: c["replicaCount"] for name, c in components.items()} == {
        "distributor": 2, "segment-writer": 3, "metastore": 3, "compaction-worker": 1, "query-frontend": 1,
        "query-backend": 2, "tenant-settings": 1, "ad-hoc-profiles": 1, "admin": 1,
    }  # fmt: skip
    assert not {"ingester", "querier", "store-gateway", "compactor"} & set(components)
    assert [n for n, c in components.items() if "limits" in c["resources"]] == ["segment-writer"]
    assert set(prod["architecture"]["microservices"]["v2"]) == set(components) - {"segment-writer"}
    metastore = components["metastore"]
    assert metastore["persistence"]["enabled"] and metastore["extraArgs"] == {
        "metastore.raft.bootstrap-expect-peers": 3
    }
    configs = {e: planned[e][f"environments/{e}/platform/config.alloy"] for e in ("dev", "prod")}
    assert "http://ca7f8f-dev-pyroscope.ca7f8f-dev.svc.cluster.local:4040" in configs["dev"]
    assert (
        "http://ca7f8f-prod-pyroscope-distributor.ca7f8f-prod.svc.cluster.local:4040"
        in configs["prod"]
    )
    grafana = yaml.load(planned["prod"]["environments/prod/values/grafana.yaml"])
    pyroscope_ds = grafana["datasources"]["datasources.yaml"]["datasources"][-1]
    assert pyroscope_ds["name"] == "Pyroscope (prod)" and pyroscope_ds["uid"] == "pyroscope-prod"
    assert (
        pyroscope_ds["url"]
        == "http://ca7f8f-prod-pyroscope-query-frontend.ca7f8f-prod.svc.cluster.local:4040"
    )


def test_alloy_gets_both_receivers_wired_to_existing_components(planned):
    config = planned["prod"]["environments/prod/platform/config.alloy"]
    assert alloy_check.check_alloy("config.alloy", config).status == "passed"
    blocks = {b.id: b for b in _syntax.top_blocks(config)}
    faro = blocks["faro.receiver.browser"]
    assert faro.blocks("server")[0].attribute("listen_address").literal() == "0.0.0.0"
    assert faro.blocks("output")[0].attribute("logs").references() == [
        "loki.write.default.receiver"
    ]
    assert faro.blocks("output")[0].attribute("traces").references() == [
        "otelcol.exporter.otlp.tempo.input"
    ]
    receiver = blocks["pyroscope.receive_http.sdk"]
    assert receiver.blocks("http")[0].attribute("listen_port").literal() == 9999
    ports = yaml.load(planned["prod"]["environments/prod/values/alloy.yaml"])["alloy"]["extraPorts"]
    assert [(p["name"], p["port"]) for p in ports][-2:] == [("faro", 12347), ("profiles", 9999)]


def test_the_plans_port_12347_is_caught_by_the_alloy_check(sample):
    after = apply(sample, plan_pyroscope.plan(params("dev", profile_port=12347), sample))
    result = alloy_check.check_alloy(
        "config.alloy", after["environments/dev/platform/config.alloy"]
    )
    assert result.status == "failed"
    assert (
        "port clash: faro.receiver.browser 0.0.0.0:12347 and pyroscope.receive_http.sdk 0.0.0.0:12347"
        in result.detail
    )


def test_a_second_run_changes_nothing(sample, planned):
    for env in ("dev", "test", "prod"):
        after = planned[env]
        again = apply(after, plan_pyroscope.plan(params(env), after))
        assert changed(after, again) == [], env


def test_the_three_environments_stack(sample):
    files = dict(sample)
    for env in ("dev", "test", "prod"):
        files = apply(files, plan_pyroscope.plan(params(env), files))
    buckets = yaml.load(files["environments/tools/values/seaweedfs-ha.yaml"])["filer"]["s3"][
        "createBuckets"
    ]
    names = [b["name"] for b in buckets]
    assert (
        names.index("dts-profiles-test-blocks")
        < names.index("dts-traces-prod-blocks")
        < names.index("dts-profiles-prod-blocks")
    )


def test_second_layout_kustomization_and_inline_values():
    files = layout_b.files()
    plan = plan_pyroscope.plan(params("dev", namespace=layout_b.NS), files)
    after = apply(files, plan)
    assert changed(files, after) == [
        "clusters/ca7f8f-dev/alloy.yaml", "clusters/ca7f8f-dev/buckets.yaml", "clusters/ca7f8f-dev/grafana.yaml",
        "clusters/ca7f8f-dev/kustomization.yaml", "clusters/ca7f8f-dev/policies/netpol.yaml",
        "clusters/ca7f8f-dev/pyroscope.yaml",
    ]  # fmt: skip
    assert yaml.load(after["clusters/ca7f8f-dev/kustomization.yaml"])["resources"] == [
        "buckets.yaml", "tempo.yaml", "pyroscope.yaml", "alloy.yaml", "grafana.yaml"]  # fmt: skip
    app = yaml.load(after["clusters/ca7f8f-dev/pyroscope.yaml"])
    assert (
        app["metadata"]["name"] == "dev-pyroscope"
        and app["spec"]["source"]["helm"]["releaseName"] == "dev-pyroscope"
    )
    values = app["spec"]["source"]["helm"]["valuesObject"]
    assert (
        values["pyroscope"]["structuredConfig"]["storage"]["s3"]["endpoint"]
        == "minio.storage.svc:9000"
    )
    assert values["pyroscope"]["structuredConfig"]["storage"]["s3"]["insecure"] is True
    assert (
        values["pyroscope"]["structuredConfig"]["storage"]["s3"]["access_key_id"]
        == "${AWS_ACCESS_KEY_ID}"
    )
    assert values["pyroscope"]["extraEnvFrom"] == [{"secretRef": {"name": "tempo-s3"}}]
    assert "annotations" not in app["metadata"]  # like Tempo: wave 0, already after the buckets' -5
    buckets = yaml.load(after["clusters/ca7f8f-dev/buckets.yaml"])["spec"]["source"]["helm"][
        "valuesObject"
    ]["buckets"]
    assert buckets[-1] == {"name": "dts-profiles-dev-blocks", "versioning": False}
    alloy = yaml.load(after["clusters/ca7f8f-dev/alloy.yaml"])["spec"]["source"]["helm"][
        "valuesObject"
    ]["alloy"]
    config = alloy["configMap"]["content"]
    assert (
        "traces = [otelcol.exporter.otlphttp.traces.input]" in config
        and "logs   = [loki.write.logs.receiver]" in config
    )
    assert [p["name"] for p in alloy["extraPorts"]] == ["faro", "profiles"]
    grafana = yaml.load(
        yaml.load(after["clusters/ca7f8f-dev/grafana.yaml"])["spec"]["source"]["helm"]["values"]
    )
    assert [ds["uid"] for ds in grafana["datasources"]["datasources.yaml"]["datasources"]] == [
        "traces",
        "pyroscope-dev",
    ]
    policies = list(yaml.load_all(after["clusters/ca7f8f-dev/policies/netpol.yaml"]))
    router = next(
        p for p in policies if p["metadata"]["name"] == "alloy-allow-profiles-from-services"
    )
    assert router["spec"]["ingress"][0]["from"] == [
        {"namespaceSelector": {"matchLabels": {"team": "dts"}}}
    ]
    assert (
        changed(
            after, apply(after, plan_pyroscope.plan(params("dev", namespace=layout_b.NS), after))
        )
        == []
    )


def test_a_repository_without_a_tempo_application_fails_clearly():
    with pytest.raises(CodemodError) as failure:
        plan_pyroscope.plan(params("dev", namespace=layout_b.NS), layout_b.files(tempo=False))
    message = str(failure.value)
    assert message.startswith(
        "no Tempo Application for namespace ca7f8f-dev: no Argo CD Application with chart tempo or tempo-distributed"
    )
    assert "dev-alloy (alloy) in clusters/ca7f8f-dev/alloy.yaml" in message


def test_a_tempo_without_a_credentials_secret_fails_naming_the_file():
    with pytest.raises(
        CodemodError,
        match=r"clusters/ca7f8f-dev/tempo.yaml \(Application/dev-tempo\) at spec.source.helm.valuesObject: dev-tempo loads no Secret",
    ):
        plan_pyroscope.plan(params("dev", namespace=layout_b.NS), layout_b.files(secret=False))


def test_an_unknown_namespace_fails_before_any_step(sample):
    with pytest.raises(CodemodError, match="no Tempo Application for namespace ca7f8f-qa"):
        plan_pyroscope.plan(params("dev", namespace="ca7f8f-qa"), sample)


def test_microservices_need_every_component_and_an_odd_metastore(sample):
    with pytest.raises(CodemodError, match="missing: admin"):
        plan_pyroscope.plan(
            params(
                "prod",
                resources={k: v for k, v in params("prod").resources.items() if k != "admin"},
            ),
            sample,
        )
    even = {
        **params("prod").resources,
        "metastore": {"replicas": 2, "cpu": "1", "memory": "1Gi", "volume": "1Gi"},
    }
    with pytest.raises(CodemodError, match="metastore replicas must be odd"):
        plan_pyroscope.plan(params("prod", resources=even), sample)
