"""NetworkPolicy semantics (networking.k8s.io/v1), enough to reason about one namespace.

Used to decide where a new policy is needed and safe (a policy that selects pods which were not
isolated yet would cut the traffic they had), and by the tests to prove that Phase 1 traffic is
allowed or denied exactly as before. Pods are label sets; other namespaces are label sets too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Pod(NamedTuple):
    labels: dict[str, str]
    namespace: str
    namespace_labels: tuple[tuple[str, str], ...] = ()


def selects(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """A label selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); {} matches all."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != str(value):
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key"), expression.get("operator")
        values = [str(v) for v in expression.get("values") or []]
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def policy_types(policy: Mapping[str, Any]) -> list[str]:
    spec = policy.get("spec") or {}
    if spec.get("policyTypes"):
        return list(spec["policyTypes"])
    return ["Ingress", *(["Egress"] if "egress" in spec else [])]


def applies(policy: Mapping[str, Any], pod: Pod, direction: str) -> bool:
    namespace = (policy.get("metadata") or {}).get("namespace")
    return (
        namespace == pod.namespace
        and direction in policy_types(policy)
        and selects((policy.get("spec") or {}).get("podSelector") or {}, pod.labels)
    )


def isolated(policies: list[Mapping[str, Any]], pod: Pod, direction: str) -> bool:
    return any(applies(policy, pod, direction) for policy in policies)


def _peer_matches(peer: Mapping[str, Any], own_namespace: str, other: Pod) -> bool:
    if "ipBlock" in peer:
        return False
    namespace_selector = peer.get("namespaceSelector")
    if namespace_selector is None:
        in_namespace = other.namespace == own_namespace
    else:
        labels = {"kubernetes.io/metadata.name": other.namespace, **dict(other.namespace_labels)}
        in_namespace = selects(namespace_selector, labels)
    pod_selector = peer.get("podSelector")
    return in_namespace and (pod_selector is None or selects(pod_selector, other.labels))


def _port_matches(ports: list[Mapping[str, Any]] | None, port: int) -> bool:
    if not ports:
        return True
    for entry in ports:
        if "port" not in entry:
            return True
        start, end = entry["port"], entry.get("endPort", entry["port"])
        if isinstance(start, int) and start <= port <= end:
            return True
    return False


def _allows(
    policies: list[Mapping[str, Any]], pod: Pod, other: Pod, port: int, direction: str
) -> bool:
    if not isolated(policies, pod, direction):
        return True
    rules_key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    for policy in policies:
        if not applies(policy, pod, direction):
            continue
        for rule in (policy.get("spec") or {}).get(rules_key) or []:
            peers = rule.get(peers_key)
            if (
                not peers or any(_peer_matches(p, pod.namespace, other) for p in peers)
            ) and _port_matches(rule.get("ports"), port):
                return True
    return False


def egress_allowed(policies: list[Mapping[str, Any]], source: Pod, target: Pod, port: int) -> bool:
    return _allows(policies, source, target, port, "Egress")


def allowed(policies: list[Mapping[str, Any]], source: Pod, target: Pod, port: int) -> bool:
    """Would a TCP connection from `source` to `target` on `port` be allowed (both ends' policies)?"""
    return _allows(policies, source, target, port, "Egress") and _allows(
        policies, target, source, port, "Ingress"
    )
