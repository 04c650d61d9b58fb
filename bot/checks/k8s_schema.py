"""kubernetes-validate with its schemas loaded once per run.

`kubernetes_validate.validate` reads the kind's schema and the ~1 MB `_definitions.json` from disk
and builds a new validator on every call. This builds the same Draft 2020-12 validator (same schema
file, same registry) once per (kind, apiVersion, Kubernetes version) and raises the same errors.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import jsonschema
from kubernetes_validate import utils
from referencing import Registry, Resource

_LOCK = threading.Lock()


def validate(obj: dict[str, Any], desired_version: str) -> None:
    """As kubernetes_validate.validate(obj, desired_version, strict=True), from cached validators.

    Raises utils.SchemaNotFoundError, utils.ValidationError or utils.VersionNotSupportedError.
    """
    desired_version = desired_version.removeprefix("v")
    version = _schema_version(utils.major_minor(desired_version))
    validator = _validator(str(obj["kind"]), str(obj["apiVersion"]), desired_version, version)
    try:
        validator.validate(obj)
    except jsonschema.ValidationError as exc:
        raise utils.ValidationError(exc, version=utils.major_minor(version)) from None


@functools.cache
def _schema_version(desired: str) -> str:
    """The newest bundled schema version that is not newer than the desired major.minor."""
    versions = utils.all_versions()
    if desired > versions[-1]:  # compared as strings, as kubernetes-validate does
        raise utils.VersionNotSupportedError(version=desired)
    return [version for version in versions if utils.major_minor(version) <= desired][-1]


def _validator(kind: str, api_version: str, desired: str, version: str) -> Any:
    with _LOCK:  # one load per key even when change sets validate at once
        return _cached_validator(kind, api_version, desired, version)


@functools.cache
def _cached_validator(kind: str, api_version: str, desired: str, version: str) -> Any:
    schema_dir = f"v{version}-local-strict"
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = utils.schema_contents(
            f"kubernetes-json-schema/{schema_dir}/{kind.lower()}-{group}.json", desired
        )
    except FileNotFoundError:
        raise utils.SchemaNotFoundError(
            version=utils.major_minor(desired), kind=kind, api_version=api_version
        ) from None
    registry = Resource.from_contents(schema) @ Registry()
    registry = _definitions(schema_dir, desired) @ registry
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@functools.cache
def _definitions(schema_dir: str, desired: str) -> Resource[Any]:
    return Resource.from_contents(
        utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json", desired)
    )
