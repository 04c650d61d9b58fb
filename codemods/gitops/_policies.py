"""The NetworkPolicies Pyroscope, the profile receiver and the Faro receiver need in one namespace.

Built from the namespace's existing policies: who the service pods are (the peers allowed to reach
Alloy's OTLP ports), how the OpenShift router is selected, how storage clients reach S3. A policy is
only added where the pods it selects are already isolated in that direction: a first policy on
non-isolated pods would cut traffic they have today, so Phase 1 traffic stays exactly as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codemods._api import CodemodError
from codemods.gitops import _netpol
from codemods.gitops._discover import S3
from codemods.gitops._pyroscope import HTTP_PORT, QUERY_COMPONENT, WRITE_COMPONENT
from codemods.gitops._repo import Document, Repo

OTLP_PORTS = {4317, 4318}
PYROSCOPE_INTERNAL_PORTS = [HTTP_PORT, 7946, 9095, 9099]  # HTTP, memberlist, gRPC, metastore Raft
ROUTER_LABEL = "policy-group.network.openshift.io/ingress"


@dataclass(frozen=True)
class Pods:
    """Labels of the pods involved (the charts' own labels, observability.md §8)."""

    release: str  # the Pyroscope release
    namespace: str
    alloy: dict[str, str]  # podSelector matchLabels of Alloy in the namespace's policies
    grafana: dict[str, str]

    def pyroscope(self, component: str = "") -> dict[str, str]:
        labels = {"app.kubernetes.io/name": "pyroscope", "app.kubernetes.io/instance": self.release}
        return {**labels, "app.kubernetes.io/component": component} if component else labels


def namespace_policies(repo: Repo, namespace: str) -> list[Document]:
    kustomize_namespace = {}
    for doc in repo.documents:
        if doc.path.rsplit("/", 1)[-1] in (
            "kustomization.yaml",
            "kustomization.yml",
        ) and doc.data.get("namespace"):
            kustomize_namespace[doc.path.rsplit("/", 1)[0]] = str(doc.data["namespace"])
    found = []
    for doc in repo.of_kind("NetworkPolicy", "networking.k8s.io/"):
        own = (doc.data.get("metadata") or {}).get("namespace") or kustomize_namespace.get(
            doc.path.rsplit("/", 1)[0]
        )
        if own == namespace:
            data = copy.deepcopy(doc.data)
            data.setdefault("metadata", {})["namespace"] = namespace
            found.append(Document(doc.path, doc.index, data))
    if not found:
        raise CodemodError(
            f"no NetworkPolicy for namespace {namespace} in the repository: cannot follow the existing pattern"
        )
    return found


def target_file(policies: list[Document]) -> str:
    """The file most of the namespace's policies live in."""
    counts: dict[str, int] = {}
    for doc in policies:
        counts[doc.path] = counts.get(doc.path, 0) + 1
    return max(counts, key=lambda path: (counts[path], path))


def build(
    policies: list[Document], pods: Pods, mode: str, s3: S3, profile_port: int, faro_port: int
) -> tuple[list[tuple[dict[str, Any], str]], list[str]]:
    """([(new policy, why)], notes). Raises when the pattern they copy is missing."""
    existing = [doc.data for doc in policies]
    micro = mode == "microservices"
    write = pods.pyroscope(WRITE_COMPONENT if micro else "")
    query = pods.pyroscope(QUERY_COMPONENT if micro else "")
    wanted = [
        _allow("Ingress", "pyroscope-allow-alloy", pods, write, [_pod(pods.alloy)], [HTTP_PORT], "Alloy -> Pyroscope (pyroscope.write)"),
        _allow("Ingress", "pyroscope-allow-grafana", pods, query, [_pod(pods.grafana)], [HTTP_PORT], "Grafana -> Pyroscope's query path (the datasource)"),
        _allow("Ingress", "alloy-allow-profiles-from-services", pods, pods.alloy, _service_peers(policies, pods), [profile_port],
                 "Service pods -> Alloy's profile receiver (pyroscope.receive_http); the same pods that send OTLP"),
        _allow("Ingress", "alloy-allow-faro-from-router", pods, pods.alloy, [_router_peer(existing)], [faro_port],
                 "The OpenShift router -> Alloy's Faro receiver only: Faro traffic comes from browsers through the Route"),
    ]  # fmt: skip
    if micro:
        wanted.append(_allow("Ingress", "pyroscope-allow-internal", pods, pods.pyroscope(), [_pod(pods.pyroscope())], PYROSCOPE_INTERNAL_PORTS,
                               "Pyroscope components -> each other: HTTP, memberlist, gRPC, metastore Raft"))  # fmt: skip
    if _isolated(
        existing, pods.namespace, pods.pyroscope(WRITE_COMPONENT if micro else ""), "Egress"
    ):
        wanted.append(_allow("Egress", "pyroscope-egress-s3", pods, pods.pyroscope(), _s3_peers(policies, s3), [s3.port],
                              f"Pyroscope -> object storage ({s3.endpoint}); egress is restricted in {pods.namespace}"))  # fmt: skip
    new, notes = [], []
    for policy, comment in wanted:
        direction = policy["spec"]["policyTypes"][0]
        selector = policy["spec"]["podSelector"]["matchLabels"]
        is_new_pod = (
            selector.get("app.kubernetes.io/name") == "pyroscope" and direction == "Ingress"
        )
        if not is_new_pod and not _isolated(existing, pods.namespace, selector, direction):
            notes.append(
                f"{policy['metadata']['name']}: not added, {direction.lower()} of those pods is not restricted in {pods.namespace}"
            )
            continue
        new.append((policy, comment))
    return new, notes + _egress_gaps(existing, pods, micro)


def _isolated(
    existing: list[Mapping[str, Any]], namespace: str, labels: Mapping[str, str], direction: str
) -> bool:
    return _netpol.isolated(existing, _netpol.Pod(dict(labels), namespace), direction)


def _pod(labels: Mapping[str, str]) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": dict(labels)}}


def _policy(
    name: str, pods: Pods, selector: Mapping[str, str], direction: str, rule: dict[str, Any]
) -> dict[str, Any]:
    key = "ingress" if direction == "Ingress" else "egress"
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": pods.namespace},
        "spec": {
            "podSelector": {"matchLabels": dict(selector)},
            "policyTypes": [direction],
            key: [rule],
        },
    }


def _ports(ports: list[int]) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port} for port in ports]


def _allow(
    direction: str,
    name: str,
    pods: Pods,
    selector: Mapping[str, str],
    peers: list[Any],
    ports: list[int],
    comment: str,
) -> tuple[dict[str, Any], str]:
    peer_key = "from" if direction == "Ingress" else "to"
    rule = {peer_key: peers, "ports": _ports(ports)}
    return _policy(name, pods, selector, direction, rule), comment


def _rules(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return list((doc.get("spec") or {}).get(key) or [])


def _rule_ports(rule: Mapping[str, Any]) -> set[Any]:
    return {p.get("port") for p in rule.get("ports") or []}


def _service_peers(policies: list[Document], pods: Pods) -> list[Any]:
    """The peers allowed to reach Alloy's OTLP ports today: the service pods."""
    for doc in policies:
        if _netpol.selects((doc.data.get("spec") or {}).get("podSelector"), pods.alloy):
            for rule in _rules(doc.data, "ingress"):
                if _rule_ports(rule) & OTLP_PORTS and rule.get("from"):
                    return copy.deepcopy(rule["from"])
    names = ", ".join(sorted({doc.path for doc in policies}))
    raise CodemodError(
        f"{names}: no NetworkPolicy lets service pods reach Alloy's OTLP ports (4317/4318): cannot tell who the service pods are"
    )


def _router_peer(existing: list[Mapping[str, Any]]) -> dict[str, Any]:
    for policy in existing:
        for rule in _rules(policy, "ingress"):
            for peer in rule.get("from") or []:
                if ROUTER_LABEL in ((peer.get("namespaceSelector") or {}).get("matchLabels") or {}):
                    return copy.deepcopy(dict(peer))
    return {"namespaceSelector": {"matchLabels": {ROUTER_LABEL: ""}}}


def _s3_peers(policies: list[Document], s3: S3) -> list[Any]:
    """How the storage clients reach S3 today (an egress rule to its port), or the endpoint's namespace."""
    for doc in policies:
        for rule in _rules(doc.data, "egress"):
            if s3.port in _rule_ports(rule) and rule.get("to"):
                return copy.deepcopy(rule["to"])
    parts = s3.host.split(".")
    if len(parts) > 2 and parts[2] == "svc":
        return [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": parts[1]}}}]
    raise CodemodError(
        f"egress is restricted, but no NetworkPolicy allows egress to S3 port {s3.port} and {s3.host} names no namespace"
    )


def _egress_gaps(existing: list[Mapping[str, Any]], pods: Pods, micro: bool) -> list[str]:
    """Traffic inside the namespace that restricted egress would block and no policy allows."""
    notes = []
    pyroscope = _netpol.Pod(pods.pyroscope(WRITE_COMPONENT if micro else ""), pods.namespace)
    for source, name in ((pods.alloy, "Alloy"), (pods.grafana, "Grafana")):
        if not _netpol.egress_allowed(
            existing, _netpol.Pod(dict(source), pods.namespace), pyroscope, HTTP_PORT
        ):
            notes.append(
                f"egress from {name} to Pyroscope is not allowed by any policy in {pods.namespace}; add one by hand"
            )
    return notes
