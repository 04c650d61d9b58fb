"""A fake Kubernetes API server: the apps/v1 Deployment and StatefulSet lists (label selectors) and core/v1
ConfigMap reads the verifier uses, behind a bearer token. Objects are built with the official client's
models, so their shape is the API's; `kubeconfig()` writes a kubeconfig pointing at the fake."""

from __future__ import annotations

from pathlib import Path

from kubernetes import client
from ruamel.yaml import YAML
from werkzeug.wrappers import Request, Response

from tests.fake_stack.server import FakeServer, json_response

_API = client.ApiClient()


def _status(code: int, reason: str, message: str) -> Response:
    body = client.V1Status(
        api_version="v1", kind="Status", status="Failure", code=code, reason=reason, message=message
    )
    return json_response(_API.sanitize_for_serialization(body), code)


def workload(kind: str, name: str, labels: dict[str, str], containers: dict[str, dict]) -> object:
    """A Deployment or StatefulSet; containers: name -> {'env': {NAME: value}, 'config_maps': [names]}."""
    specs = [
        client.V1Container(
            name=container, image=f"example/{container}:1.0",
            env=[client.V1EnvVar(name=k, value=v) for k, v in spec.get("env", {}).items()] or None,
            env_from=[client.V1EnvFromSource(config_map_ref=client.V1ConfigMapEnvSource(name=c)) for c in spec.get("config_maps", [])] or None,
        )
        for container, spec in containers.items()
    ]  # fmt: skip
    template = client.V1PodTemplateSpec(
        metadata=client.V1ObjectMeta(labels=labels), spec=client.V1PodSpec(containers=specs)
    )
    selector = client.V1LabelSelector(match_labels=labels)
    metadata = client.V1ObjectMeta(name=name, labels=labels)
    if kind == "StatefulSet":
        spec = client.V1StatefulSetSpec(selector=selector, template=template, service_name=name)
        return client.V1StatefulSet(api_version="apps/v1", kind=kind, metadata=metadata, spec=spec)
    spec = client.V1DeploymentSpec(selector=selector, template=template)
    return client.V1Deployment(api_version="apps/v1", kind=kind, metadata=metadata, spec=spec)


class FakeKube(FakeServer):
    name = "kube"

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.objects: dict[str, list] = {}  # namespace -> workloads
        self.config_maps: dict[tuple[str, str], dict[str, str]] = {}  # (namespace, name) -> data
        self.forbidden = False  # RBAC: the user may not list workloads
        self.route(
            "GET",
            "/apis/apps/v1/namespaces/(?P<ns>[^/]+)/(?P<kind>deployments|statefulsets)",
            self._list,
        )
        self.route(
            "GET", "/api/v1/namespaces/(?P<ns>[^/]+)/configmaps/(?P<name>[^/]+)", self._config_map
        )

    def add(self, namespace: str, obj: object) -> None:
        self.objects.setdefault(namespace, []).append(obj)

    def _denied(self, request: Request, resource: str, namespace: str) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _status(401, "Unauthorized", "Unauthorized")
        if self.forbidden:
            message = f'{resource} is forbidden: User "system:serviceaccount:x:y" cannot list resource "{resource}" in API group "apps" in the namespace "{namespace}"'
            return _status(403, "Forbidden", message)
        return None

    def _list(self, request: Request, groups: dict) -> Response:
        if denied := self._denied(request, groups["kind"], groups["ns"]):
            return denied
        kind = "Deployment" if groups["kind"] == "deployments" else "StatefulSet"
        wanted = dict(
            pair.split("=", 1) for pair in request.args.get("labelSelector", "").split(",") if pair
        )
        items = [
            obj for obj in self.objects.get(groups["ns"], [])
            if obj.kind == kind and all(obj.metadata.labels.get(k) == v for k, v in wanted.items())
        ]  # fmt: skip
        list_type = client.V1DeploymentList if kind == "Deployment" else client.V1StatefulSetList
        body = list_type(
            api_version="apps/v1",
            kind=f"{kind}List",
            items=items,
            metadata=client.V1ListMeta(resource_version="1"),
        )
        return json_response(_API.sanitize_for_serialization(body))

    def _config_map(self, request: Request, groups: dict) -> Response:
        if denied := self._denied(request, "configmaps", groups["ns"]):
            return denied
        data = self.config_maps.get((groups["ns"], groups["name"]))
        if data is None:
            return _status(404, "NotFound", f'configmaps "{groups["name"]}" not found')
        body = client.V1ConfigMap(
            api_version="v1",
            kind="ConfigMap",
            metadata=client.V1ObjectMeta(name=groups["name"], namespace=groups["ns"]),
            data=data,
        )
        return json_response(_API.sanitize_for_serialization(body))

    def kubeconfig(self, path: Path, context: str = "fake") -> Path:
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
            "users": [{"name": "fake", "user": {"token": self.token}}],
            "contexts": [{"name": context, "context": {"cluster": "fake", "user": "fake"}}],
        }  # fmt: skip
        with path.open("w") as handle:
            YAML().dump(config, handle)
        return path
