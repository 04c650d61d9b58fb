"""Plan the Pyroscope deployment of one environment, following the pattern its Tempo already uses.

Discovers, in the whole repository: the environment's Tempo, Alloy and Grafana Applications (by chart
and destination namespace), Tempo's S3 settings and credential Secret, the bucket list, how
Applications are registered, where Alloy's configuration lives, and the namespace's NetworkPolicies.
Returns the codemod steps: bucket, Application (+ values file or inline values, + registration),
Alloy components and Service ports, NetworkPolicies, Grafana datasource, dashboard and app.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from codemods._api import Plan, PlannedStep
from codemods.gitops import _discover, _grafana, _policies, _pyroscope, _yaml
from codemods.gitops._repo import Application, Location, Repo

DESCRIPTION = "Deploy Grafana Pyroscope to one environment the way its Tempo is deployed (Argo CD)."
FAROS_APP_PLUGIN = (
    "grafana-pyroscope-app"  # Profiles Drilldown: flame graphs, in Grafana's app list
)


class Params(NamedTuple):
    environment: str  # dev, test or prod: bucket and datasource names
    namespace: str  # the destination namespace, e.g. ca7f8f-dev
    chart_version: str  # grafana/pyroscope, e.g. 2.2.1
    mode: Literal["single-binary", "microservices"]
    # single-binary: {cpu, memory, memory_limit, volume}; microservices: {component: {replicas, cpu, ...}}
    resources: dict[str, Any]
    profile_port: int  # Alloy's pyroscope.receive_http port (never faro.receiver's)
    faro_port: int = 12347
    cors_origins: list[str] = []  # noqa: RUF012  (a NamedTuple field default, never mutated)
    log_level: str = "info"
    bucket: str = ""  # default dts-profiles-<environment>-blocks


def plan(params: Params, files: Mapping[str, str]) -> Plan:
    repo = Repo(files)
    namespace = params.namespace
    tempo = _discover.application(repo, namespace, _discover.TEMPO_CHARTS, "Tempo")
    alloy = _discover.application(repo, namespace, ("alloy",), "Alloy")
    grafana = _discover.application(repo, namespace, ("grafana",), "Grafana")
    s3 = _discover.s3_of(tempo)
    bucket = params.bucket or f"dts-profiles-{params.environment}-blocks"
    buckets = _discover.bucket_list(repo, params.environment)
    config = _discover.alloy_config(repo, alloy)
    policies = _discover_policies(repo, namespace)
    release = _pyroscope.release_name(tempo)
    micro = params.mode == "microservices"
    write_url = _pyroscope.service_url(
        release, namespace, _pyroscope.WRITE_COMPONENT if micro else ""
    )
    query_url = _pyroscope.service_url(
        release, namespace, _pyroscope.QUERY_COMPONENT if micro else ""
    )
    notes: list[str] = []
    steps = _bucket_steps(buckets, bucket)
    steps += _application_steps(params, repo, tempo, s3, bucket, buckets, release, notes)
    steps += _alloy_steps(params, alloy, config, write_url, notes)
    steps += _policy_steps(params, policies, alloy, grafana, s3, release, notes)
    steps += _grafana.steps(params.environment, grafana, query_url, notes)
    cpu, memory = _pyroscope.requests_total(params.mode, params.resources)
    notes.insert(0, f"Pyroscope {release} ({params.mode}) in {namespace}: writes via {write_url}, queries via {query_url}; "
                    f"requests {cpu}m CPU, {memory}Mi memory in total")  # fmt: skip
    return Plan(tuple(steps), tuple(notes))


def _discover_policies(repo: Repo, namespace: str) -> list[Any]:
    return _policies.namespace_policies(repo, namespace)


def _step(codemod: str, location: Location, create: bool = False, **params: Any) -> PlannedStep:
    if location.segments or "path" in params:
        params.setdefault("path", list(location.segments))
    if location.document:
        params["document"] = location.document
    return PlannedStep(codemod, location.path, params, create)


def _bucket_steps(buckets: _discover.BucketList, bucket: str) -> list[PlannedStep]:
    template = next((item for item in reversed(buckets.items) if isinstance(item, Mapping)), None)
    item: Any = {**dict(template), "name": bucket} if template is not None else bucket
    env_glob = "-".join(
        bucket.split("-")[:1] + ["*"] + bucket.split("-")[2:3] + ["*"]
    )  # dts-*-dev-*
    return [
        _step(
            "gitops.add_list_item",
            buckets.location,
            item=item,
            key="name" if template is not None else "",
            after=env_glob,
        )
    ]


def _application_steps(
    params: Params, repo: Repo, tempo: Application, s3: _discover.S3, bucket: str,
    buckets: _discover.BucketList, release: str, notes: list[str],
) -> list[PlannedStep]:  # fmt: skip
    values = _pyroscope.values(
        params.mode, s3, bucket, params.log_level, params.resources, _discover.storage_class(tempo)
    )
    tempo_values = tempo.values()
    steps: list[PlannedStep] = []
    helm: dict[str, Any]
    if tempo_values.style == "valueFiles":
        values_file = posixpath.join(
            posixpath.dirname(tempo_values.file),
            _pyroscope.renamed_file(posixpath.basename(tempo_values.file)),
        )
        entry = _value_file_entry(tempo, values_file)
        helm = {"valueFiles": [entry]}
        header = f"Grafana Pyroscope {params.chart_version} ({params.mode}) for {params.namespace}; written by the Phase 3 bot from {tempo.name}'s pattern."
        steps.append(
            PlannedStep(
                "gitops.merge_values",
                values_file,
                {"path": [], "value": values, "comment": header},
                create=True,
            )
        )
    elif tempo_values.style == "values":
        helm = {"values": "\n".join(_yaml.render(values, _yaml.Layout())) + "\n"}
    else:
        helm = {"valuesObject": values}
    wave = max(tempo.sync_wave, buckets.owner_wave + 1)
    has_wave = tempo.doc.annotation("argocd.argoproj.io/sync-wave") is not None
    application = _pyroscope.application(
        tempo, release, params.chart_version, helm, wave if (has_wave or wave) else None
    )
    notes.append(
        f"sync wave {wave}: after the bucket provisioning ({buckets.owner or buckets.location.path}, wave {buckets.owner_wave}) and with {tempo.name} (wave {tempo.sync_wave})"
    )
    registration = _discover.registration(
        repo, tempo, _pyroscope.renamed_file(posixpath.basename(tempo.doc.path))
    )
    comment = {
        f"Application/{release}": f"Grafana Pyroscope ({params.mode}), derived from {tempo.name}: same project, destination, sync policy and values style"
    }
    steps.append(
        PlannedStep(
            "gitops.add_documents",
            registration.file,
            {"documents": [application], "comments": comment},
            create=registration.how != "same-file",
        )
    )
    if registration.how == "kustomization":
        base = posixpath.dirname(registration.kustomization)
        entry = posixpath.relpath(registration.file, base) if base else registration.file
        steps.append(
            PlannedStep(
                "gitops.add_list_item",
                registration.kustomization,
                {"path": ["resources"], "item": entry, "key": "", "after": registration.after},
            )
        )
    notes.append(
        f"registered like {tempo.name}: {registration.how} ({registration.kustomization or posixpath.dirname(registration.file)})"
    )
    return steps


def _value_file_entry(tempo: Application, values_file: str) -> str:
    """Tempo's valueFiles entry with the file name changed: same $ref prefix or relative base."""
    _, source = tempo.chart_source()
    last = str(((source.get("helm") or {}).get("valueFiles") or [])[-1])
    return posixpath.join(posixpath.dirname(last), posixpath.basename(values_file))


def _alloy_steps(
    params: Params,
    alloy: Application,
    config: _discover.AlloyConfig,
    write_url: str,
    notes: list[str],
) -> list[PlannedStep]:
    steps = []
    add = "alloy.add_component"
    existing_write = config.first("pyroscope.write")
    write_ref = (
        f"{existing_write.id}.receiver" if existing_write else "pyroscope.write.default.receiver"
    )
    if existing_write is None:
        steps.append(_step(add, config.location, component="pyroscope.write", label="default",
                           body=_pyroscope.write_body(write_url, _external_labels(config)),
                           comment="Profiles -> Pyroscope (Phase 3)"))  # fmt: skip
    else:
        notes.append(
            f"{config.location}: {existing_write.id} already exists; the profile receiver forwards to it"
        )
    if config.first("pyroscope.receive_http") is None:
        steps.append(_step(add, config.location, component="pyroscope.receive_http", label="sdk",
                           body=_pyroscope.receive_http_body(params.profile_port, write_ref),
                           comment=f"Profiles from the services' Pyroscope SDKs, on port {params.profile_port} (12347 is faro.receiver's)"))  # fmt: skip
    else:
        notes.append(
            f"{config.location}: a pyroscope.receive_http already exists; left as it is (check its port)"
        )
    if config.first("faro.receiver") is None:
        logs = _discover.component_ref(config, "loki.write", "receiver")
        traces = _discover.tempo_exporter(config)
        steps.append(_step(add, config.location, component="faro.receiver", label="browser",
                           body=_pyroscope.faro_body(params.faro_port, list(params.cors_origins), logs, traces),
                           comment="Browser RUM (Grafana Faro): logs -> Loki, traces -> Tempo"))  # fmt: skip
    else:
        notes.append(f"{config.location}: a faro.receiver already exists; left as it is")
    steps += _service_port_steps(params, alloy)
    return steps


def _external_labels(config: _discover.AlloyConfig) -> str:
    """loki.write's external_labels, so profiles carry the same labels as logs."""
    loki = config.first("loki.write")
    labels = loki.attribute("external_labels") if loki else None
    if labels is None:
        return ""
    text = config.text[labels.value[0].start : labels.end]
    first, *rest = text.split("\n")
    unit = next((line[: len(line) - len(line.lstrip())] for line in rest if line.strip()), "")
    depth = len(unit) // 2 if unit else 0
    return "\n".join([first, *[line[2 * (depth - 1) :] if depth else line for line in rest]])


def _service_port_steps(params: Params, alloy: Application) -> list[PlannedStep]:
    values = alloy.values()
    ports = [("faro", params.faro_port), ("profiles", params.profile_port)]
    found = _discover.values_list(values.location, values.data, ("alloy", "extraPorts"))
    if found is None:
        items = [{"name": n, "port": p, "targetPort": p, "protocol": "TCP"} for n, p in ports]
        return [
            _step("gitops.merge_values", values.location, value={"alloy": {"extraPorts": items}})
        ]
    location, existing = found
    keys = [
        k
        for k in ("name", "port", "targetPort", "protocol")
        if any(isinstance(i, Mapping) and k in i for i in existing)
    ] or ["name", "port", "targetPort"]
    full = {"name": None, "port": None, "targetPort": None, "protocol": "TCP"}
    return [
        _step(
            "gitops.add_list_item",
            location,
            item={k: (name if k == "name" else port if k != "protocol" else full[k]) for k in keys},
            key="name",
        )
        for name, port in ports
    ]


def _policy_steps(
    params: Params,
    policies: list[Any],
    alloy: Application,
    grafana: Application,
    s3: _discover.S3,
    release: str,
    notes: list[str],
) -> list[PlannedStep]:
    pods = _policies.Pods(
        release, params.namespace, _selector(policies, "alloy"), _selector(policies, "grafana")
    )
    new, found_notes = _policies.build(
        policies, pods, params.mode, s3, params.profile_port, params.faro_port
    )
    notes += found_notes
    if not new:
        return []
    target = _policies.target_file(policies)
    comments = {f"NetworkPolicy/{p['metadata']['name']}": why for p, why in new}
    return [
        PlannedStep(
            "gitops.add_documents", target, {"documents": [p for p, _ in new], "comments": comments}
        )
    ]


def _selector(policies: list[Any], name: str) -> dict[str, str]:
    """How the namespace's policies select a component's pods (matchLabels naming it), else the chart's label."""
    for doc in policies:
        labels = ((doc.data.get("spec") or {}).get("podSelector") or {}).get("matchLabels") or {}
        if labels.get("app.kubernetes.io/name") == name:
            return dict(labels)
    return {"app.kubernetes.io/name": name}
