"""A GitOps repository as data: every YAML document, Argo CD Applications and where their values live.

Pure: it reads a mapping of repo-relative paths to text (the engine passes a read-only view of the
checkout) and never touches the disk. Applications are found by what they are (kind, chart,
destination namespace), not by where they are, and their Helm values are read the way Argo CD
reads them: inline `valuesObject`, an inline `values` string, or value files through a `$ref` source.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ruamel.yaml.error import YAMLError

from codemods import _fastyaml
from codemods._api import CodemodError
from codemods.gitops._yaml import EMBEDDED

YAML_SUFFIXES = (".yaml", ".yml")
# list items inside a path are selected by the first of these fields they have
_ITEM_KEYS = ("name", "chart", "uid", "ref", "key")


@dataclass(frozen=True)
class Location:
    """Where to edit: a file, a document in it ('Kind/name' or ''), and a path inside (codemods/gitops/_yaml.py)."""

    path: str
    document: str
    segments: tuple[str, ...]

    def child(self, *segments: str) -> Location:
        return Location(self.path, self.document, (*self.segments, *segments))

    def __str__(self) -> str:
        inside = ".".join(s for s in self.segments if s != EMBEDDED)
        return (
            f"{self.path}"
            + (f" ({self.document})" if self.document else "")
            + (f" at {inside}" if inside else "")
        )


@dataclass(frozen=True)
class Document:
    path: str
    index: int
    data: Any

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "")) if isinstance(self.data, Mapping) else ""

    @property
    def name(self) -> str:
        metadata = self.data.get("metadata") if isinstance(self.data, Mapping) else None
        return str(metadata.get("name", "")) if isinstance(metadata, Mapping) else ""

    @property
    def identity(self) -> str:
        return f"{self.kind}/{self.name}" if self.kind and self.name else ""

    def annotation(self, key: str) -> str | None:
        metadata = self.data.get("metadata") or {}
        value = (metadata.get("annotations") or {}).get(key)
        return None if value is None else str(value)


class Repo:
    """Lazy, cached parse of every YAML file in a mapping path -> text."""

    def __init__(self, files: Mapping[str, str]):
        self.files = files
        self.unparsable: dict[str, str] = {}
        self._parsed: dict[str, Any] = {}

    @cached_property
    def documents(self) -> list[Document]:
        found = []
        for path in sorted(p for p in self.files if p.endswith(YAML_SUFFIXES)):
            for index, data in enumerate(self._load(path)):
                if data is not None:
                    found.append(Document(path, index, data))
        return found

    def _load(self, path: str) -> list[Any]:
        try:
            return _fastyaml.load_all(self.files[path], round_trip=False)
        except YAMLError as exc:
            self.unparsable[path] = " ".join(str(exc).split())
            return []

    def of_kind(self, kind: str, api_prefix: str = "") -> list[Document]:
        return [
            doc for doc in self.documents
            if doc.kind == kind and str(doc.data.get("apiVersion", "")).startswith(api_prefix)
        ]  # fmt: skip

    @cached_property
    def applications(self) -> list[Application]:
        return [Application(self, doc) for doc in self.of_kind("Application", "argoproj.io/")]

    def text(self, path: str) -> str:
        if path not in self.files:
            raise CodemodError(f"{path}: not found in the repository")
        return self.files[path]

    def yaml(self, path: str) -> Any:
        if path not in self._parsed:
            try:
                self._parsed[path] = _fastyaml.load(self.text(path), round_trip=False)
            except YAMLError as exc:
                raise CodemodError(
                    f"{path} does not parse as YAML: {' '.join(str(exc).split())}"
                ) from exc
        return self._parsed[path]


def location_of(doc: Document) -> Location:
    return Location(doc.path, doc.identity if doc.identity else "", ())


@dataclass(frozen=True)
class Values:
    """Helm values of an Application: their data and where to edit them."""

    data: dict[str, Any]
    location: Location
    style: str  # 'valuesObject', 'values' (a YAML string) or 'valueFiles'
    file: str = ""  # the value file, for 'valueFiles'


class Application:
    def __init__(self, repo: Repo, doc: Document):
        self.repo = repo
        self.doc = doc

    def __repr__(self) -> str:
        return f"Application {self.name} ({self.doc.path})"

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def spec(self) -> dict[str, Any]:
        return self.doc.data.get("spec") or {}

    @property
    def namespace(self) -> str:
        return str((self.spec.get("destination") or {}).get("namespace", ""))

    def sources(self) -> list[tuple[tuple[str, ...], Mapping[str, Any]]]:
        """(path segments to the source, the source) for `source` or each of `sources`."""
        if isinstance(self.spec.get("source"), Mapping):
            return [(("spec", "source"), self.spec["source"])]
        found: list[tuple[tuple[str, ...], Mapping[str, Any]]] = []
        for source in self.spec.get("sources") or []:
            if isinstance(source, Mapping):
                key = next((k for k in ("chart", "ref", "path") if source.get(k)), None)
                if key:
                    found.append((("spec", "sources", f"[{key}={source[key]}]"), source))
        return found

    @property
    def charts(self) -> list[str]:
        return [str(source["chart"]) for _, source in self.sources() if source.get("chart")]

    def chart_source(self) -> tuple[tuple[str, ...], Mapping[str, Any]]:
        found = [(segments, source) for segments, source in self.sources() if source.get("chart")]
        if not found:
            raise CodemodError(f"{self.doc.path}: Application {self.name} has no Helm chart source")
        return found[0]

    @property
    def sync_wave(self) -> int:
        value = self.doc.annotation("argocd.argoproj.io/sync-wave")
        try:
            return int(value) if value is not None else 0
        except ValueError:
            raise CodemodError(
                f"{self.doc.path}: {self.name}: sync-wave {value!r} is not a number"
            ) from None

    def values(self) -> Values:
        segments, source = self.chart_source()
        helm = source.get("helm") or {}
        base = Location(self.doc.path, self.doc.identity, (*segments, "helm"))
        if isinstance(helm.get("valuesObject"), Mapping):
            return Values(dict(helm["valuesObject"]), base.child("valuesObject"), "valuesObject")
        if isinstance(helm.get("values"), str):
            data = _fastyaml.load(helm["values"], round_trip=False) or {}
            return Values(data, base.child("values", EMBEDDED), "values")
        files = [self.value_file(str(f)) for f in helm.get("valueFiles") or []]
        if files:
            path = files[-1]  # the last file wins in Helm; edits go where the env's own values are
            data = self.repo.yaml(path) or {}
            return Values(data, Location(path, "", ()), "valueFiles", path)
        raise CodemodError(
            f"{self.doc.path}: Application {self.name} has no Helm values (valuesObject, values or valueFiles)"
        )

    def value_file(self, entry: str) -> str:
        """A `valueFiles` entry as a repo path: `$<ref>/path` or relative to the source's path."""
        if entry.startswith("$"):
            ref, _, relative = entry[1:].partition("/")
            if not any(source.get("ref") == ref for _, source in self.sources()):
                raise CodemodError(
                    f"{self.doc.path}: {self.name}: value file {entry} names ${ref}, which no source defines"
                )
            path = posixpath.normpath(relative)
        else:
            source_path = next((s.get("path") for _, s in self.sources() if s.get("path")), None)
            if source_path is None:
                raise CodemodError(
                    f"{self.doc.path}: {self.name}: value file {entry} is not in this repository"
                )
            path = posixpath.normpath(posixpath.join(str(source_path), entry))
        if path not in self.repo.files:
            raise CodemodError(f"{self.doc.path}: {self.name}: value file {path} does not exist")
        return path


def walk(node: Any, segments: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every node with its path segments (list items by their identifying field, YAML strings parsed)."""
    yield segments, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "values" and isinstance(value, str) and segments[-1:] == ("helm",):
                try:
                    inner = _fastyaml.load(value, round_trip=False)
                except YAMLError:
                    continue
                yield from walk(inner, (*segments, str(key), EMBEDDED))
            else:
                yield from walk(value, (*segments, str(key)))
    elif isinstance(node, list):
        for item in node:
            key = next(
                (
                    k
                    for k in _ITEM_KEYS
                    if isinstance(item, Mapping) and isinstance(item.get(k), (str, int))
                ),
                None,
            )
            if key is not None:
                yield from walk(item, (*segments, f"[{key}={item[key]}]"))


def one(found: list[Any], what: str, where: str) -> Any:
    if len(found) == 1:
        return found[0]
    if not found:
        raise CodemodError(f"{what}: not found ({where})")
    raise CodemodError(
        f"{what}: {len(found)} candidates ({', '.join(map(str, found))}); expected one"
    )
