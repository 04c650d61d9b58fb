"""The Kubernetes API through the official client: apps/v1 Deployments and StatefulSets by label, and
the ConfigMaps their containers load with envFrom. Credentials: kubeconfig (optionally a context), or
the pod's service account inside the cluster. Never kubectl."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import urllib3
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException

from bot.stack.http import Deadline, StackError


@dataclass(frozen=True)
class Container:
    workload: str  # 'Deployment/acapy'
    name: str
    env: dict[str, str]  # name -> literal value ('' for valueFrom)
    config_maps: tuple[str, ...]  # envFrom configMapRef names


class Kube:
    def __init__(self, api: client.ApiClient, deadline: Deadline) -> None:
        self._apps = client.AppsV1Api(api)
        self._core = client.CoreV1Api(api)
        self._deadline = deadline
        self.requests = 0

    def containers(self, namespace: str, labels: dict[str, str]) -> list[Container]:
        """Containers of the Deployments and StatefulSets in the namespace that carry these labels."""
        selector = ",".join(f"{key}={value}" for key, value in labels.items())
        found = []
        for kind, lister in (
            ("Deployment", self._apps.list_namespaced_deployment),
            ("StatefulSet", self._apps.list_namespaced_stateful_set),
        ):
            workloads = self._call(
                f"list {kind}s in {namespace}", lister, namespace, label_selector=selector
            )
            for workload in workloads.items:
                for container in workload.spec.template.spec.containers or []:
                    env = {entry.name: entry.value or "" for entry in container.env or []}
                    refs = tuple(
                        source.config_map_ref.name
                        for source in container.env_from or []
                        if source.config_map_ref is not None
                    )
                    found.append(
                        Container(f"{kind}/{workload.metadata.name}", container.name, env, refs)
                    )
        return found

    def config_map_keys(self, namespace: str, name: str) -> set[str]:
        config_map = self._call(
            f"read ConfigMap {namespace}/{name}",
            self._core.read_namespaced_config_map,
            name,
            namespace,
        )
        return set((config_map.data or {}).keys())

    def _call(self, what: str, method: Any, *args: object, **kwargs: object) -> Any:
        self.requests += 1
        timeout = self._deadline.request_timeout()
        try:
            return method(*args, _request_timeout=timeout, **kwargs)
        except ApiException as exc:
            raise StackError(_api_problem(what, exc), status=exc.status) from None
        except urllib3.exceptions.HTTPError as exc:
            raise StackError(
                f"Kubernetes API: cannot {what}: {_transport_problem(exc)}; check --kube-context / KUBECONFIG"
            ) from None


def _transport_problem(exc: urllib3.exceptions.HTTPError) -> str:
    reason = getattr(exc, "reason", None) or exc
    where = f" ({exc.pool.host}:{exc.pool.port})" if getattr(exc, "pool", None) is not None else ""  # type: ignore[attr-defined]
    if (
        isinstance(reason, urllib3.exceptions.NewConnectionError)
        and "refused" in str(reason).lower()
    ):
        return f"connection refused{where}"
    if isinstance(reason, urllib3.exceptions.TimeoutError):
        return f"no answer in time{where}"
    return f"{type(reason).__name__}{where}"


def _api_problem(what: str, exc: ApiException) -> str:
    if exc.status in (401, 403):
        return (
            f"Kubernetes API refused to {what} ({exc.status} {exc.reason}): the kubeconfig user or the "
            "pod's service account needs get/list on apps deployments and statefulsets (and get on configmaps)"
        )
    return f"Kubernetes API: cannot {what}: {exc.status} {exc.reason}"


def connect(context: str, deadline: Deadline) -> Kube:
    """kubeconfig ($KUBECONFIG or ~/.kube/config; `context` picks one) or, without one, in-cluster."""
    configuration = client.Configuration()
    kubeconfig = os.environ.get("KUBECONFIG") or str(Path.home() / ".kube" / "config")
    try:
        if context or any(Path(p).is_file() for p in kubeconfig.split(os.pathsep) if p):
            config.load_kube_config(  # the client reads $KUBECONFIG only at import: pass it now
                config_file=kubeconfig, context=context or None,
                client_configuration=configuration, persist_config=False,
            )  # fmt: skip
        else:
            config.load_incluster_config(client_configuration=configuration)
    except (ConfigException, OSError, ValueError) as exc:
        raise StackError(
            f"no Kubernetes credentials: {exc}; set KUBECONFIG (and --kube-context) or run inside the cluster"
        ) from None
    configuration.retries = 0  # one answer or one failure per request, within the deadline
    return Kube(client.ApiClient(configuration), deadline)
