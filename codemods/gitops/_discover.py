"""Find an environment's Phase 1 pattern in a GitOps repository (codemods/gitops/_repo.py).

Each function answers one question about one namespace, or raises CodemodError naming the file and
what was not found, so a repository without the pattern fails before anything is written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codemods._api import CodemodError
from codemods.alloy import _syntax
from codemods.gitops._repo import Application, Location, Repo, location_of, one, walk
from codemods.gitops._yaml import EMBEDDED

TEMPO_CHARTS = ("tempo", "tempo-distributed")
_VARIABLE = re.compile(r"^\$\{(\w+)\}$")


def application(repo: Repo, namespace: str, charts: tuple[str, ...], what: str) -> Application:
    """The one Application of `namespace` that deploys one of `charts`."""
    found = [
        app
        for app in repo.applications
        if app.namespace == namespace and set(app.charts) & set(charts)
    ]
    if len(found) == 1:
        return found[0]
    others = ", ".join(
        f"{a.name} ({'/'.join(a.charts) or 'no chart'}) in {a.doc.path}"
        for a in repo.applications
        if a.namespace == namespace
    )
    if not found:
        raise CodemodError(
            f"no {what} Application for namespace {namespace}: no Argo CD Application with chart "
            f"{' or '.join(charts)} and destination.namespace {namespace} "
            f"(Applications for {namespace}: {others or 'none'}; {len(repo.applications)} Applications in the repository)"
        )
    raise CodemodError(
        f"{len(found)} {what} Applications for namespace {namespace}: {', '.join(map(repr, found))}; expected one"
    )


@dataclass(frozen=True)
class S3:
    endpoint: str  # host:port, no scheme
    insecure: bool
    access_key_variable: str  # S3_ACCESS_KEY_ID: the variable Tempo's config expands
    secret_key_variable: str
    secrets: tuple[str, ...]  # Secret names Tempo loads with extraEnvFrom

    @property
    def host(self) -> str:
        return self.endpoint.rpartition(":")[0] or self.endpoint

    @property
    def port(self) -> int:
        port = self.endpoint.rpartition(":")[2]
        return int(port) if port.isdigit() else (80 if self.insecure else 443)


def s3_of(app: Application) -> S3:
    """Tempo's object storage: endpoint, the variables its credentials come from, and their Secret."""
    values = app.values()
    where = str(values.location)
    s3 = one([n for s, n in walk(values.data) if s[-1:] == ("s3",) and isinstance(n, Mapping) and "endpoint" in n],
             f"{where}: the S3 settings of {app.name}", "a mapping `s3` with an `endpoint`")  # fmt: skip
    variables = {
        str(k): m.group(1)
        for k, v in s3.items()
        if isinstance(v, str) and (m := _VARIABLE.match(v))
    }
    access = one(
        [v for k, v in variables.items() if "access" in k],
        f"{where}: {app.name}'s S3 access key variable",
        "an s3 key like access_key: ${VAR}",
    )
    secret = one(
        [v for k, v in variables.items() if "secret" in k],
        f"{where}: {app.name}'s S3 secret key variable",
        "an s3 key like secret_key: ${VAR}",
    )
    secrets = sorted({
        str(ref["secretRef"]["name"])
        for s, node in walk(values.data) if s[-1:] == ("extraEnvFrom",) and isinstance(node, list)
        for ref in node if isinstance(ref, Mapping) and isinstance(ref.get("secretRef"), Mapping)
    })  # fmt: skip
    if not secrets:
        raise CodemodError(
            f"{where}: {app.name} loads no Secret with extraEnvFrom (secretRef): cannot tell where the S3 credentials come from"
        )
    endpoint = str(s3["endpoint"])
    scheme, _, rest = endpoint.partition("://")
    insecure = (
        bool(s3.get("insecure", scheme == "http")) if rest else bool(s3.get("insecure", False))
    )
    return S3(rest or endpoint, insecure, access, secret, tuple(secrets))


def storage_class(app: Application) -> str:
    """The storage class Tempo's volumes use ('' when it leaves the cluster default)."""
    found = {
        str(n)
        for s, n in walk(app.values().data)
        if s and s[-1] in ("storageClass", "storageClassName") and isinstance(n, str) and n
    }
    return sorted(found)[0] if len(found) == 1 else ""


@dataclass(frozen=True)
class BucketList:
    location: Location
    items: list[Any]  # as they are (mappings with name, or names)
    owner_wave: int  # sync wave of the Application that provisions the list
    owner: str

    def names(self) -> list[str]:
        return [str(i.get("name")) if isinstance(i, Mapping) else str(i) for i in self.items]


def bucket_list(repo: Repo, environment: str) -> BucketList:
    """The one list that declares the environment's `dts-{type}-{env}-{purpose}` buckets."""
    pattern = re.compile(rf"^dts-[a-z0-9]+-{re.escape(environment)}-[a-z0-9-]+$")
    found = []
    for doc in repo.documents:
        for segments, node in walk(doc.data):
            if isinstance(node, list) and any(pattern.match(_bucket_name(i)) for i in node):
                found.append((Location(doc.path, doc.identity, segments), node))
    if len(found) != 1:
        lists = ", ".join(str(loc) for loc, _ in found)
        problem = "none" if not found else f"{len(found)} lists ({lists}); expected one"
        raise CodemodError(
            f"bucket provisioning for {environment}: no single list of dts-*-{environment}-* buckets in the repository's YAML: {problem}"
        )
    location, items = found[0]
    owner = _owner(repo, location)
    return BucketList(location, items, owner.sync_wave if owner else 0, owner.name if owner else "")


def _bucket_name(item: Any) -> str:
    return str(item.get("name", "")) if isinstance(item, Mapping) else str(item)


def _owner(repo: Repo, location: Location) -> Application | None:
    """The Application that deploys a file: it is the Application, names it as a value file, or syncs its directory."""
    for app in repo.applications:
        if app.doc.path == location.path and app.doc.identity == location.document:
            return app
        if any(s.get("chart") and location.path in _value_files(app, s) for _, s in app.sources()):
            return app
    directory = posixpath.dirname(location.path)
    covering = [
        app
        for app in repo.applications
        for _, s in app.sources()
        if s.get("path") and _covers(str(s["path"]), directory)
    ]
    return covering[0] if covering else None


def _value_files(app: Application, source: Mapping[str, Any]) -> list[str]:
    files = []
    for entry in (source.get("helm") or {}).get("valueFiles") or []:
        try:
            files.append(app.value_file(str(entry)))
        except CodemodError:
            continue
    return files


def _covers(source_path: str, directory: str) -> bool:
    source_path = posixpath.normpath(source_path)
    return directory == source_path or directory.startswith(source_path + "/")


@dataclass(frozen=True)
class Registration:
    """How a new Application file joins the environment: nothing to do (app-of-apps directory or the
    same multi-document file), or an entry in a kustomization's `resources`."""

    how: str  # 'directory', 'same-file' or 'kustomization'
    file: str  # the new Application's file
    kustomization: str = ""
    after: str = ""  # the resources entry to insert after


def registration(repo: Repo, tempo: Application, file_name: str) -> Registration:
    path = tempo.doc.path
    directory = posixpath.dirname(path)
    if len([d for d in repo.documents if d.path == path and d.kind == "Application"]) > 1:
        return Registration("same-file", path)
    new_file = posixpath.join(directory, file_name)
    for candidate in _kustomizations_above(repo, directory):
        base = posixpath.dirname(candidate)
        resources = (repo.yaml(candidate) or {}).get("resources") or []
        relative = posixpath.relpath(path, base) if base else path
        if relative in resources:
            entry = posixpath.relpath(new_file, base) if base else new_file
            return Registration("kustomization", new_file, candidate, relative if entry else "")
    parents = [
        app for app in repo.applications for _, s in app.sources()
        if s.get("path") and not s.get("chart") and _covers(str(s["path"]), directory)
        and (posixpath.normpath(str(s["path"])) == directory or (s.get("directory") or {}).get("recurse"))
    ]  # fmt: skip
    if parents:
        return Registration("directory", new_file)
    raise CodemodError(
        f"{path}: cannot tell how {tempo.name} is registered: no kustomization.yaml lists it and no "
        f"Argo CD Application syncs its directory {directory or '.'} (app of apps)"
    )


def _kustomizations_above(repo: Repo, directory: str) -> list[str]:
    found = []
    while True:
        for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            candidate = posixpath.join(directory, name) if directory else name
            if candidate in repo.files:
                found.append(candidate)
        if not directory:
            return found
        directory = posixpath.dirname(directory)


@dataclass(frozen=True)
class AlloyConfig:
    location: Location  # a .alloy file (segments empty) or an Alloy string inside YAML
    text: str
    blocks: list[_syntax.Block]

    def first(self, name: str) -> _syntax.Block | None:
        return next((b for b in self.blocks if b.name == name), None)


def alloy_config(repo: Repo, alloy: Application) -> AlloyConfig:
    """The Alloy configuration: inline in the values (alloy.configMap.content), or the ConfigMap the
    chart is pointed at (alloy.configMap.name) from a kustomize configMapGenerator or a manifest."""
    values = alloy.values()
    config_map = ((values.data.get("alloy") or {}).get("configMap")) or {}
    if isinstance(config_map.get("content"), str):
        location = values.location.child("alloy", "configMap", "content")
        return _parsed(location, config_map["content"])
    name, key = config_map.get("name"), str(config_map.get("key") or "config.alloy")
    if not name:
        raise CodemodError(
            f"{values.location}: the Alloy values set neither alloy.configMap.content nor alloy.configMap.name"
        )
    for path in sorted(
        p
        for p in repo.files
        if posixpath.basename(p) in ("kustomization.yaml", "kustomization.yml")
    ):
        if not _deploys_to(repo, path, alloy.namespace):
            continue
        for generator in (repo.yaml(path) or {}).get("configMapGenerator") or []:
            if generator.get("name") == name:
                for entry in generator.get("files") or []:
                    file_key, _, file_path = str(entry).rpartition("=")
                    if (file_key or posixpath.basename(file_path)) == key:
                        full = posixpath.normpath(
                            posixpath.join(posixpath.dirname(path), file_path)
                        )
                        return _parsed(Location(full, "", ()), repo.text(full))
    for doc in repo.of_kind("ConfigMap"):
        if (
            doc.name == name
            and _deploys_to(repo, doc.path, alloy.namespace, doc)
            and isinstance((doc.data.get("data") or {}).get(key), str)
        ):
            return _parsed(location_of(doc).child("data", key), doc.data["data"][key])
    raise CodemodError(
        f"{values.location}: Alloy reads ConfigMap {name} (key {key}), but no configMapGenerator or ConfigMap in the repository makes it"
    )


def _deploys_to(repo: Repo, path: str, namespace: str, doc: Any = None) -> bool:
    """Does this manifest (or kustomization) end up in `namespace`? Its own namespace says so, or the
    Application that syncs its directory."""
    if doc is not None and (doc.data.get("metadata") or {}).get("namespace"):
        return bool(doc.data["metadata"]["namespace"] == namespace)
    data = repo.yaml(path) if doc is None else None
    if isinstance(data, Mapping) and data.get("namespace"):
        return bool(data["namespace"] == namespace)
    owner = _owner(repo, Location(path, "", ()))
    return owner is not None and owner.namespace == namespace


def _parsed(location: Location, text: str) -> AlloyConfig:
    try:
        return AlloyConfig(location, text, _syntax.top_blocks(text))
    except _syntax.AlloySyntaxError as exc:
        raise CodemodError(f"{location}: the Alloy configuration does not parse: {exc}") from exc


def component_ref(config: AlloyConfig, name: str, export: str, hint: str = "") -> str:
    """`loki.write.default.receiver`: the export of the one (or the `hint`-matching) component `name`."""
    blocks = [b for b in config.blocks if b.name == name and b.label is not None]
    if hint:
        blocks = [b for b in blocks if hint in config.text[b.start : b.end]] or blocks
    if not blocks:
        raise CodemodError(f"{config.location}: no {name} component in the Alloy configuration")
    return f"{blocks[0].id}.{export}"


def tempo_exporter(config: AlloyConfig) -> str:
    """The OTLP exporter that sends traces to Tempo (its endpoint names tempo)."""
    found = [
        b
        for b in config.blocks
        if b.name.startswith("otelcol.exporter.otlp") and "tempo" in config.text[b.start : b.end]
    ]
    if not found:
        raise CodemodError(
            f"{config.location}: no otelcol.exporter.otlp/otlphttp component sending to Tempo"
        )
    return f"{found[0].id}.input"


def values_list(
    values_location: Location, data: Mapping[str, Any], suffix: tuple[str, ...]
) -> tuple[Location, list[Any]] | None:
    """The list at a path ending in `suffix` inside Helm values (e.g. ('datasources',) in Grafana's)."""
    for segments, node in walk(data):
        if segments[-len(suffix) :] == suffix and isinstance(node, list):
            return values_location.child(*segments), node
    return None


def is_embedded(location: Location) -> bool:
    return EMBEDDED in location.segments
