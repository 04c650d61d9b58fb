"""Rendered Helm manifests as data: which template made each object, and what a container really gets.

`helm template` prints `# Source: <chart>/<path>` above every document; objects are matched by that
path (without the chart name), so expectations do not depend on the release name. A container's
environment is what Kubernetes would give it: its `env` plus the keys of every ConfigMap or Secret
its `envFrom` names, looked up among the rendered objects.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, NamedTuple

from codemods import _fastyaml  # libyaml's parser into ruamel's objects

_SOURCE = re.compile(r"^# Source: [^/]+/(.+?)\s*$", re.MULTILINE)
_SEPARATOR = re.compile(r"^---\s*$", re.MULTILINE)
_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}


class Manifest(NamedTuple):
    source: (
        str  # path inside the chart: 'templates/ui/deployment.yaml', 'charts/acapy/templates/...'
    )
    obj: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.obj.get("metadata") or {}).get("name", ""))


def parse(rendered: str) -> list[Manifest]:
    manifests = []
    for chunk in _SEPARATOR.split(rendered):
        source = _SOURCE.search(chunk)
        obj = _fastyaml.load(chunk, round_trip=False) if chunk.strip() else None
        if source and isinstance(obj, dict):
            manifests.append(Manifest(source.group(1), obj))
    return manifests


def identity(manifest: Manifest) -> tuple[str, str, str]:
    return manifest.source, manifest.kind, manifest.name


class Expect(NamedTuple):
    source: (
        str  # template that renders the object, relative to the chart: 'templates/deployment.yaml'
    )
    kind: str = ""  # only objects of this kind (a template may render several)
    container: str = ""  # workloads: the container (rendered name); empty: the only container
    env: dict[str, str] | None = None  # variable -> expected value; '*' = present with any value
    data: dict[str, str] | None = None  # ConfigMap/Secret key -> expected value; '*' = present
    json: dict[str, dict[str, Any]] | None = None  # data key holding JSON -> keys it must contain
    # data key holding text (a Caddyfile) -> regular expressions that must each match in it
    matches: dict[str, list[str]] | None = None


def check(expect: Expect, manifests: list[Manifest]) -> list[str]:
    """Problems with `expect` in the rendered `manifests`; empty when it holds. Each names the object."""
    objects = [
        m
        for m in manifests
        if m.source == expect.source and (not expect.kind or m.kind == expect.kind)
    ]
    if not objects:
        rendered = sorted({m.source for m in manifests})
        return [
            (
                f"nothing rendered from {expect.source}{' of kind ' + expect.kind if expect.kind else ''} "
                f"(rendered: {', '.join(rendered)})"
            )
        ]
    problems = []
    for manifest in objects:
        where = f"{manifest.kind} {manifest.name} ({manifest.source})"
        if expect.env:
            problems += [f"{where}: {p}" for p in _check_env(expect, manifest, manifests)]
        data = _data(manifest.obj)
        problems += [f"{where}: {p}" for p in _compare(expect.data or {}, data, "data key")]
        for key, wanted in (expect.json or {}).items():
            problems += [f"{where}: {p}" for p in _check_json(key, wanted, data)]
        for key, patterns in (expect.matches or {}).items():
            problems += [f"{where}: {p}" for p in _check_matches(key, patterns, data)]
    return problems


def _check_env(expect: Expect, manifest: Manifest, manifests: list[Manifest]) -> list[str]:
    containers = pod_containers(manifest.obj)
    if manifest.kind not in _WORKLOADS and manifest.kind not in {"CronJob", "Pod"}:
        return [f"is a {manifest.kind}, not a workload with containers"]
    matching = [c for c in containers if not expect.container or c.get("name") == expect.container]
    if len(matching) != 1:
        names = ", ".join(str(c.get("name")) for c in containers)
        return [f"no single container {expect.container!r} (containers: {names})"]
    container = matching[0]
    env = effective_env(container, manifests)
    return [
        f"container {container.get('name')}: {p}" for p in _compare(expect.env or {}, env, "env")
    ]


def pod_containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if obj.get("kind") != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
    return list(spec.get("containers") or [])


def effective_env(container: dict[str, Any], manifests: list[Manifest]) -> dict[str, str]:
    """name -> value as the container sees it; `valueFrom` entries read '<valueFrom>'.

    Later sources win as in Kubernetes: `envFrom` first, then `env`.
    """
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        prefix = source.get("prefix", "")
        for kind, ref in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if ref in source:
                name = (source[ref] or {}).get("name")
                found = [m for m in manifests if m.kind == kind and m.name == name]
                for key, value in (_data(found[0].obj) if found else {}).items():
                    env[prefix + key] = value
    for entry in container.get("env") or []:
        env[str(entry.get("name"))] = (
            "<valueFrom>" if "valueFrom" in entry else _text(entry.get("value"))
        )
    return env


def _data(obj: dict[str, Any]) -> dict[str, str]:
    data = {key: _text(value) for key, value in (obj.get("data") or {}).items()}
    if obj.get("kind") == "Secret":
        data = {
            key: base64.b64decode(value).decode(errors="replace") for key, value in data.items()
        }
        data.update({key: _text(value) for key, value in (obj.get("stringData") or {}).items()})
    return data


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _compare(wanted: dict[str, str], have: dict[str, str], what: str) -> list[str]:
    problems = []
    for key, value in wanted.items():
        if key not in have:
            problems.append(f"no {what} {key}")
        elif value != "*" and have[key] != str(value):
            problems.append(f"{what} {key} is {have[key]!r}, expected {value!r}")
    return problems


def _check_matches(key: str, patterns: list[str], data: dict[str, str]) -> list[str]:
    if key not in data:
        return [f"no data key {key}"]
    try:
        return [
            f"{key}: nothing matches {pattern!r}"
            for pattern in patterns
            if not re.search(pattern, data[key], re.MULTILINE)
        ]
    except re.error as exc:
        return [f"{key}: bad pattern ({exc})"]


def _check_json(key: str, wanted: dict[str, Any], data: dict[str, str]) -> list[str]:
    if key not in data:
        return [f"no data key {key}"]
    try:
        document = json.loads(data[key])
    except json.JSONDecodeError as exc:
        return [f"data key {key} is not JSON: {exc}"]
    return [
        f"{key}: {name} is {document.get(name)!r}, expected {value!r}"
        if name in document
        else f"{key}: no {name}"
        for name, value in wanted.items()
        if name not in document or (value != "*" and document[name] != value)
    ]
