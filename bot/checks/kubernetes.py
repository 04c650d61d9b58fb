"""Kubernetes objects in edited YAML files must be valid against their schemas.

Built-in kinds go through kubernetes-validate (strict: unknown fields are errors). Argo CD objects
(Application, ApplicationSet, AppProject) have no bundled schema there; they are checked against
Argo CD's published CRD schemas (npm @kubernetes-models/argo-cd, found by node_tools.py), which do not reject
unknown fields. Objects of other kinds (Kustomization, CRDs) cannot be checked: a file with only
such objects is `skipped` with their kinds, and a file with some says which were not checked.
Files without Kubernetes objects (Helm values, ...) and Helm templates get no result.
"""

from __future__ import annotations

import re
from typing import Any

from bot.checks import CheckResult, register_batch_check, yaml_documents
from bot.checks.node_process import NodeError, process
from bot.checks.node_tools import find

NAME = "kubernetes-validate"
KUBE_VERSION = "1.30.0"
_ARGO = "argoproj.io/"
_ARGO_PACKAGE = "@kubernetes-models/argo-cd"
_SCRIPT = "validate-argocd.mjs"
_HELM_TEMPLATE = re.compile(r"(^|/)templates/")
_TIMEOUT = 120


def _objects(text: str) -> list[dict[str, Any]]:
    documents = yaml_documents.documents(text) or ()  # None: the YAML check reports it
    return [d for d in documents if isinstance(d, dict) and d.get("apiVersion") and d.get("kind")]


def _label(obj: dict[str, Any]) -> str:
    return f"{obj['kind']} {(obj.get('metadata') or {}).get('name', '?')}"


def check_manifests(files: dict[str, str]) -> list[CheckResult]:
    found = {
        path: _objects(text)
        for path, text in sorted(files.items())
        if not _HELM_TEMPLATE.search(path)
    }
    found = {path: objects for path, objects in found.items() if objects}
    argo = [
        (path, i, obj)
        for path, objects in found.items()
        for i, obj in enumerate(objects)
        if str(obj["apiVersion"]).startswith(_ARGO)
    ]
    argo_errors, argo_skip = _argo(argo)
    results = []
    for path, objects in found.items():
        errors, unchecked, checked = [], [], 0
        for index, obj in enumerate(objects):
            if str(obj["apiVersion"]).startswith(_ARGO):
                outcome = argo_errors.get((path, index), argo_skip or None)
            else:
                outcome = _builtin(obj)
            if outcome is None:
                checked += 1
            elif outcome.startswith("no schema") or outcome == argo_skip:
                unchecked.append((_label(obj), outcome))
            else:
                errors.append(f"{_label(obj)}: {outcome}")
        results.append(_result(path, checked, errors, unchecked))
    return results


def _result(
    path: str, checked: int, errors: list[str], unchecked: list[tuple[str, str]]
) -> CheckResult:
    if errors:
        return CheckResult(NAME, path, "failed", "; ".join(errors))
    if not checked:
        return CheckResult(NAME, path, "skipped", _grouped(unchecked))
    detail = (
        f"{checked} objects valid for Kubernetes {KUBE_VERSION} (Argo CD objects: its CRD schemas)"
    )
    return CheckResult(
        NAME,
        path,
        "passed",
        detail + (f"; not checked: {_grouped(unchecked)}" if unchecked else ""),
    )


def _grouped(unchecked: list[tuple[str, str]]) -> str:
    """One line per reason, not per object: "NetworkPolicy a, NetworkPolicy b: <why>"."""
    labels: dict[str, list[str]] = {}
    for label, reason in unchecked:
        labels.setdefault(reason, []).append(label)
    return "; ".join(f"{', '.join(names)}: {reason}" for reason, names in labels.items())


def _builtin(obj: dict[str, Any]) -> str | None:
    try:
        from kubernetes_validate import utils

        from bot.checks import k8s_schema
    except ImportError:
        return "no schema: kubernetes-validate is not installed (pip install kubernetes-validate)"
    try:
        k8s_schema.validate(obj, KUBE_VERSION)
    except utils.SchemaNotFoundError:
        return f"no schema for {obj['apiVersion']} {obj['kind']}"
    except utils.ValidationError as exc:
        return f"{'.'.join(map(str, exc.path)) or '(top)'}: {exc.message}"
    return None


def _argo(objects: list[tuple[str, int, dict[str, Any]]]) -> tuple[dict[tuple[str, int], str], str]:
    """(errors by (path, index), '' or why none of them could be checked)."""
    if not objects:
        return {}, ""
    directory = find({_ARGO_PACKAGE})
    if isinstance(directory, str):
        return {}, f"no schema check: {directory}"
    try:
        answer = process(_SCRIPT, directory).request(
            [{"id": f"{path}#{index}", "object": obj} for path, index, obj in objects], _TIMEOUT
        )
    except NodeError as exc:
        return {}, f"no schema check: {exc}"
    errors = {}
    for item in answer:
        path, _, index = item["id"].rpartition("#")
        if item["error"]:
            errors[(path, int(index))] = str(item["error"])
    return errors, ""


register_batch_check((".yaml", ".yml"), check_manifests)
