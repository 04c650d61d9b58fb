"""NetworkPolicy semantics (codemods/gitops/_netpol.py), and the proof that the Pyroscope change sets
leave every Phase 1 connection allowed or denied exactly as before."""

import itertools

import pytest
from ruamel.yaml import YAML

from codemods.gitops import _netpol, plan_pyroscope
from tests.helpers.gitops import apply, params, sample_files

yaml = YAML(typ="safe")


def test_selectors():
    labels = {"app.kubernetes.io/name": "tempo", "tier": "backend"}
    assert _netpol.selects({}, labels)
    assert _netpol.selects({"matchLabels": {"tier": "backend"}}, labels)
    assert not _netpol.selects({"matchLabels": {"tier": "web"}}, labels)
    expression = {"key": "app.kubernetes.io/name", "operator": "In", "values": ["tempo", "loki"]}
    assert _netpol.selects({"matchExpressions": [expression]}, labels)
    assert not _netpol.selects({"matchExpressions": [{**expression, "operator": "NotIn"}]}, labels)
    assert _netpol.selects({"matchExpressions": [{"key": "x", "operator": "DoesNotExist"}]}, labels)


def _policies(text: str) -> list[dict]:
    return [doc for doc in yaml.load_all(text) if doc and doc.get("kind") == "NetworkPolicy"]


def _pods(namespace: str) -> dict[str, _netpol.Pod]:
    """One pod per Phase 1 component, a service pod, a pod without labels, the router, and SeaweedFS."""
    pods = {
        name: _netpol.Pod({"app.kubernetes.io/name": name}, namespace)
        for name in ("alloy", "tempo", "mimir", "loki", "grafana")
    }
    pods["service"] = _netpol.Pod(
        {"dts.gov.bc.ca/telemetry": "enabled", "app": "traction"}, namespace
    )
    pods["other"] = _netpol.Pod({"app": "debug"}, namespace)
    pods["router"] = _netpol.Pod({"ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default"},
                                 "openshift-ingress", (("policy-group.network.openshift.io/ingress", ""),))  # fmt: skip
    pods["seaweedfs"] = _netpol.Pod(
        {"app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/component": "filer"},
        "ca7f8f-tools",
    )
    return pods


PHASE_1_PORTS = [53, 3000, 3100, 3200, 4317, 4318, 5353, 7946, 8080, 8333, 9095]


@pytest.mark.parametrize("env", ["dev", "test", "prod"])
def test_phase_1_traffic_is_unchanged(env):
    files = sample_files()
    path = f"environments/{env}/platform/networkpolicies.yaml"
    after = apply(files, plan_pyroscope.plan(params(env), files))
    before_policies, after_policies = _policies(files[path]), _policies(after[path])
    assert len(after_policies) > len(before_policies)
    pods = _pods(f"ca7f8f-{env}")
    for (a, source), (b, target), port in itertools.product(
        pods.items(), pods.items(), PHASE_1_PORTS
    ):
        was, now = (
            _netpol.allowed(p, source, target, port) for p in (before_policies, after_policies)
        )
        assert was == now, f"{env}: {a} -> {b}:{port} was {'allowed' if was else 'denied'}"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_new_traffic_is_allowed_and_only_that(env):
    files = sample_files()
    path = f"environments/{env}/platform/networkpolicies.yaml"
    policies = _policies(apply(files, plan_pyroscope.plan(params(env), files))[path])
    pods = _pods(f"ca7f8f-{env}")
    release = f"ca7f8f-{env}-pyroscope"
    write, query = ("distributor", "query-frontend") if env == "prod" else ("all", "all")
    pyroscope = {c: _netpol.Pod({"app.kubernetes.io/name": "pyroscope", "app.kubernetes.io/instance": release,
                                 "app.kubernetes.io/component": c}, f"ca7f8f-{env}") for c in {write, query}}  # fmt: skip
    assert _netpol.allowed(policies, pods["alloy"], pyroscope[write], 4040)
    assert _netpol.allowed(policies, pods["grafana"], pyroscope[query], 4040)
    assert not _netpol.allowed(policies, pods["service"], pyroscope[write], 4040)
    assert _netpol.allowed(policies, pods["service"], pods["alloy"], 9999)
    assert not _netpol.allowed(policies, pods["other"], pods["alloy"], 9999)
    assert _netpol.allowed(policies, pods["router"], pods["alloy"], 12347)
    assert not _netpol.allowed(
        policies, pods["service"], pods["alloy"], 12347
    )  # router only (see the PR notes)
    assert not _netpol.allowed(policies, pods["router"], pods["alloy"], 9999)
    if env == "prod":  # egress is restricted there: Pyroscope gets its own way to S3
        assert _netpol.allowed(policies, pyroscope[write], pods["seaweedfs"], 8333)
        assert _netpol.allowed(policies, pyroscope[write], pyroscope[query], 9095)
