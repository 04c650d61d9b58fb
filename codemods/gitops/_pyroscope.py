"""What a Pyroscope deployment looks like, derived from the environment's Tempo: the Helm values for
grafana/pyroscope 2.x, the Argo CD Application, and the Alloy and Grafana pieces that point at it.

Chart facts (observability.md §3): v2 storage has no ingesters; microservices are selected with
architecture.microservices.enabled and take their per-component defaults (with memory limits) from
architecture.microservices.v2, which a `null` removes (Helm deletes null keys when it merges values);
pyroscope.components.<name> overrides what exists. The single binary is one StatefulSet on 4040.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from codemods._api import CodemodError
from codemods.alloy._syntax import attributes, string
from codemods.gitops._discover import S3
from codemods.gitops._repo import Application

CHART = "pyroscope"
HTTP_PORT = 4040
V2_COMPONENTS = (
    "distributor", "segment-writer", "metastore", "compaction-worker", "query-frontend",
    "query-backend", "tenant-settings", "ad-hoc-profiles", "admin",
)  # fmt: skip
WRITE_COMPONENT, QUERY_COMPONENT = "distributor", "query-frontend"
RESOURCE_KEYS = {"replicas", "cpu", "memory", "memory_limit", "volume", "plan"}
CPU_PROFILE = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"


def release_name(tempo: Application) -> str:
    """The Pyroscope Application's name (and release name): Tempo's, with tempo -> pyroscope."""
    base = next((chart for chart in ("tempo-distributed", "tempo") if chart in tempo.name), "")
    if base:
        return tempo.name.replace(base, CHART, 1)
    return f"{tempo.namespace}-{CHART}"


def service_url(release: str, namespace: str, component: str = "") -> str:
    """The chart's Service for a component ('' = the single binary); fullname is the release name
    when it contains 'pyroscope' (templates/_helpers.tpl)."""
    fullname = release if CHART in release else f"{release}-{CHART}"
    name = f"{fullname}-{component}" if component else fullname
    return f"http://{name}.{namespace}.svc.cluster.local:{HTTP_PORT}"


def values(
    mode: str, s3: S3, bucket: str, log_level: str, resources: Mapping[str, Any], storage_class: str
) -> dict[str, Any]:
    pyroscope: dict[str, Any] = {
        "extraArgs": {"log.level": log_level, "config.expand-env": "true"},
        "extraEnvFrom": [{"secretRef": {"name": name}} for name in s3.secrets],
        # OpenShift restricted-v2 assigns the UID and fsGroup; the chart's fixed 10001 is rejected
        "podSecurityContext": {"fsGroup": None, "runAsUser": None},
        "structuredConfig": {"storage": {"backend": "s3", "s3": {
            "endpoint": s3.endpoint,
            "bucket_name": bucket,
            "access_key_id": f"${{{s3.access_key_variable}}}",
            "secret_access_key": f"${{{s3.secret_key_variable}}}",
            "insecure": s3.insecure,
            "bucket_lookup_type": "path-style",
        }}},
    }  # fmt: skip
    data: dict[str, Any] = {}
    if mode == "microservices":
        components = _components(resources, storage_class)
        limits_off = {
            name: {"resources": {"limits": None}}
            for name in V2_COMPONENTS
            if "memory_limit" not in resources[name]
        }
        data["architecture"] = {"microservices": {"enabled": True, "v2": limits_off}}
        pyroscope["components"] = components
    else:
        pyroscope["replicaCount"] = 1
        pyroscope["resources"] = _resources(resources, "single binary")
        pyroscope["persistence"] = _persistence(resources, storage_class)
    data["pyroscope"] = pyroscope
    data["alloy"] = {"enabled": False}  # we run our own Alloy; the chart would add a second one
    return data


def _components(resources: Mapping[str, Any], storage_class: str) -> dict[str, Any]:
    missing = [name for name in V2_COMPONENTS if name not in resources]
    unknown = [name for name in resources if name not in V2_COMPONENTS]
    if missing or unknown:
        raise CodemodError(
            "microservices need requests for every v2 component"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not v2 components: {', '.join(unknown)}" if unknown else "")
        )
    components = {}
    for name in V2_COMPONENTS:
        entry = resources[name]
        component: dict[str, Any] = {
            "replicaCount": int(entry["replicas"]),
            "resources": _resources(entry, name),
        }
        if name == "metastore":
            replicas = int(entry["replicas"])
            if replicas % 2 == 0:
                raise CodemodError(f"metastore replicas must be odd (Raft quorum), got {replicas}")
            component["persistence"] = _persistence(entry, storage_class)
            component["extraArgs"] = {"metastore.raft.bootstrap-expect-peers": replicas}
        components[name] = component
    return components


def _resources(entry: Mapping[str, Any], what: str) -> dict[str, Any]:
    unknown = set(entry) - RESOURCE_KEYS
    if unknown or "cpu" not in entry or "memory" not in entry:
        raise CodemodError(
            f"{what}: resources need cpu and memory (and optionally {', '.join(sorted(RESOURCE_KEYS - {'cpu', 'memory'}))}); got {', '.join(sorted(entry))}"
        )
    resources: dict[str, Any] = {
        "requests": {"cpu": str(entry["cpu"]), "memory": str(entry["memory"])}
    }
    if "memory_limit" in entry:
        resources["limits"] = {"memory": str(entry["memory_limit"])}
    return resources


def _persistence(entry: Mapping[str, Any], storage_class: str) -> dict[str, Any]:
    if "volume" not in entry:
        raise CodemodError(
            "the metastore (single binary: /data) needs a volume size: its Raft log must survive restarts"
        )
    persistence: dict[str, Any] = {"enabled": True, "size": str(entry["volume"])}
    if storage_class:
        persistence["storageClassName"] = storage_class
    return persistence


def requests_total(mode: str, resources: Mapping[str, Any]) -> tuple[int, int]:
    """(millicores, MiB) requested by the whole deployment."""
    entries = (
        [resources] if mode != "microservices" else [resources[name] for name in V2_COMPONENTS]
    )
    cpu = sum(millicores(str(e["cpu"])) * int(e.get("replicas", 1)) for e in entries)
    memory = sum(mebibytes(str(e["memory"])) * int(e.get("replicas", 1)) for e in entries)
    return cpu, memory


def millicores(value: str) -> int:
    return int(value[:-1]) if value.endswith("m") else round(float(value) * 1000)


def mebibytes(value: str) -> int:
    units = {
        "Ki": 1 / 1024,
        "Mi": 1,
        "Gi": 1024,
        "Ti": 1024 * 1024,
        "K": 1000 / 1024**2 * 1024,
        "M": 1000**2 / 1024**2,
        "G": 1000**3 / 1024**2,
    }
    for suffix in sorted(units, key=len, reverse=True):
        if value.endswith(suffix):
            return round(float(value[: -len(suffix)]) * units[suffix])
    return round(int(value) / 1024**2)


def application(
    tempo: Application, name: str, version: str, helm: dict[str, Any], wave: int | None
) -> dict[str, Any]:
    """Tempo's Application with the Pyroscope chart: same project, destination, sync policy, labels."""
    source_segments, tempo_source = tempo.chart_source()
    metadata = copy.deepcopy(tempo.doc.data.get("metadata") or {})
    metadata["name"] = name
    metadata["labels"] = {k: _renamed(v, tempo) for k, v in (metadata.get("labels") or {}).items()}
    if wave is not None:
        metadata.setdefault("annotations", {})["argocd.argoproj.io/sync-wave"] = str(wave)
    for key in ("uid", "resourceVersion", "creationTimestamp", "generation"):
        metadata.pop(key, None)
    chart_source = {
        "repoURL": tempo_source["repoURL"],
        "chart": CHART,
        "targetRevision": version,
        "helm": {"releaseName": name, **helm},
    }
    spec: dict[str, Any] = {"project": tempo.spec.get("project", "default")}
    if source_segments[1] == "source":
        spec["source"] = chart_source
    else:
        spec["sources"] = [
            chart_source if s.get("chart") else copy.deepcopy(s) for _, s in tempo.sources()
        ]
    for key in ("destination", "syncPolicy", "revisionHistoryLimit"):
        if key in tempo.spec:
            spec[key] = copy.deepcopy(tempo.spec[key])
    return {
        "apiVersion": tempo.doc.data["apiVersion"],
        "kind": "Application",
        "metadata": metadata,
        "spec": spec,
    }


def _renamed(value: Any, tempo: Application) -> Any:
    return (
        CHART
        if isinstance(value, str) and value in ("tempo", "tempo-distributed", *tempo.charts)
        else value
    )


def renamed_file(tempo_path_name: str) -> str:
    for base in ("tempo-distributed", "tempo"):
        if base in tempo_path_name:
            return tempo_path_name.replace(base, CHART, 1)
    return f"{CHART}.yaml"


def receive_http_body(port: int, write_ref: str) -> str:
    return "\n".join([
        "http {", *attributes([("listen_address", string("0.0.0.0")), ("listen_port", str(port))], "  "), "}",
        f"forward_to = [{write_ref}]",
    ])  # fmt: skip


def write_body(url: str, external_labels: str) -> str:
    lines = ["endpoint {", *attributes([("url", string(url))], "  "), "}"]
    if external_labels:
        lines.append(f"external_labels = {external_labels}")
    return "\n".join(lines)


def faro_body(port: int, origins: list[str], logs_ref: str, traces_ref: str) -> str:
    cors = "[" + ", ".join(string(origin) for origin in origins) + "]"
    server = [("listen_address", string("0.0.0.0")), ("listen_port", str(port))]
    if origins:
        server.append(("cors_allowed_origins", cors))
    return "\n".join([
        "// an empty value copies the key from the log line, so Loki can select entries by app and kind",
        "extra_log_labels = {", *[f"{line}," for line in attributes([("app_name", '""'), ("kind", '""')], "  ")], "}",
        "",
        "server {", *attributes(server, "  "), "}",
        "",
        "output {", *attributes([("logs", f"[{logs_ref}]"), ("traces", f"[{traces_ref}]")], "  "), "}",
    ])  # fmt: skip


def flamegraph_dashboard(title: str, uid: str, datasource_uid: str) -> str:
    """A small dashboard of our own: a CPU flame graph per service, from the Pyroscope datasource."""
    datasource = {"type": "grafana-pyroscope-datasource", "uid": datasource_uid}
    dashboard = {
        "title": title,
        "uid": uid,
        "templating": {"list": [{
            "name": "service", "type": "query", "datasource": datasource, "refresh": 2,
            "query": {"type": "labelValue", "profileTypeId": CPU_PROFILE, "labelName": "service_name"},
        }]},
        "panels": [{
            "type": "flamegraph", "title": "CPU: $service", "datasource": datasource,
            "targets": [{"refId": "A", "queryType": "profile", "profileTypeId": CPU_PROFILE,
                         "labelSelector": '{service_name="$service"}', "datasource": datasource}],
            "gridPos": {"x": 0, "y": 0, "w": 24, "h": 16},
        }],
        "schemaVersion": 39,
    }  # fmt: skip
    return json.dumps(dashboard, indent=2) + "\n"
