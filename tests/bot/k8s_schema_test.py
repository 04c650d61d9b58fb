"""The cached schema validators give what kubernetes_validate.validate gives, error for error."""

from __future__ import annotations

import copy
from typing import Any

import pytest

kubernetes_validate = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate")
from kubernetes_validate import utils  # noqa: E402

from bot.checks import k8s_schema  # noqa: E402

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx", "env": [{"name": "A"}]}]},
        },
    },
}


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    obj = copy.deepcopy(DEPLOYMENT)
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


CASES = {
    "valid": DEPLOYMENT,
    "unknown field": _with(["spec", "replica"], 2),
    "wrong type": _with(["spec", "replicas"], "two"),
    "missing required": _with(["spec", "template", "spec", "containers", 0, "name"], None),
    "nested unknown": _with(["spec", "template", "spec", "containers", 0, "ports"], [{"port": 1}]),
    "rbac group": {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "r"},
        "rules": [{"verbs": ["get"], "resource": ["pods"]}],
    },
    "no schema": {"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": {}},
    "configmap": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}},
}


def _outcome(validate: Any, obj: dict[str, Any], version: str) -> tuple[Any, ...]:
    try:
        validate(obj, version)
    except utils.ValidationError as exc:
        return ("invalid", exc.message, list(exc.path), list(exc.schema_path), exc.version)
    except (utils.SchemaNotFoundError, utils.VersionNotSupportedError) as exc:
        return (type(exc).__name__, exc.message)
    return ("valid",)


@pytest.mark.parametrize("version", ["1.30.0", "v1.29", "1.37.2", "1.99.0"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_cached_validation_equals_kubernetes_validate(case: str, version: str) -> None:
    obj = CASES[case]

    def plain(obj: dict[str, Any], version: str) -> None:
        kubernetes_validate.validate(obj, version, strict=True)

    expected = _outcome(plain, obj, version)
    assert _outcome(k8s_schema.validate, obj, version) == expected
    assert _outcome(k8s_schema.validate, obj, version) == expected  # from the cache, the same
