"""Validate the fake's traffic against GitHub's OpenAPI description (npm @octokit/openapi).

The 13 MB description is sliced to the operations the fake serves and the `$ref` closure of their
components (examples dropped), which loads in a fraction of a second with spec validation on.
Known gaps between GitHub's description and what GitHub and PyGithub really send are listed in
ALLOWED, each with its reason; everything else is an error the test reports.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

SPEC_PATH = (
    Path(__file__).resolve().parents[2]
    / "tools/node/node_modules/@octokit/openapi/generated/api.github.com.json"
)
MISSING_SPEC = (
    f"GitHub's OpenAPI description is not installed ({SPEC_PATH}); run `npm ci` in tools/node"
)

# (method, path template) of every operation the fake implements
OPERATIONS = [
    ("get", "/user"),
    ("get", "/rate_limit"),
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/forks"),
    ("post", "/repos/{owner}/{repo}/forks"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("post", "/repos/{owner}/{repo}/pulls"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("patch", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"),
    ("get", "/repos/{owner}/{repo}/labels"),
    ("post", "/repos/{owner}/{repo}/labels"),
    ("get", "/repos/{owner}/{repo}/labels/{name}"),
    ("get", "/repos/{owner}/{repo}/issues"),
    ("post", "/repos/{owner}/{repo}/issues"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/search/issues"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
    ("get", "/repos/{owner}/{repo}/commits/{ref}/status"),
    ("delete", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("post", "/app/installations/{installation_id}/access_tokens"),
]


@dataclass(frozen=True)
class Allowance:
    operation: str  # operationId
    kind: str  # "request" or "response"
    matches: Callable[[Any, str], bool]  # (parsed JSON body, error text) -> allowed?
    reason: str


def _is_string_array(body: Any, _: str) -> bool:
    return isinstance(body, list) and all(isinstance(x, str) for x in body)


def _null_label_description(_: Any, error: str) -> bool:
    pattern = r"\d+/labels/\d+/description: None (is not of type 'string'|for not nullable)"
    return all(re.fullmatch(pattern, e) for e in error.split("; "))


def _null_commit_users(_: Any, error: str) -> bool:
    return all(
        re.fullmatch(r"\d+/(author|committer): None is not valid under any of the given schemas", e)
        for e in error.split("; ")
    )


def _null_conclusion(_: Any, error: str) -> bool:
    return all(
        re.fullmatch(r"check_runs/\d+/conclusion: None is not one of \[.*\]", e)
        for e in error.split("; ")
    )


def _null_state_reason(_: Any, error: str) -> bool:
    return all(
        re.fullmatch(r"(\d+/|items/\d+/)?state_reason: None is not one of \[.*\]", e)
        for e in error.split("; ")
    )


ISSUE_OPERATIONS = (
    "issues/create", "issues/get", "issues/update", "issues/list-for-repo",
    "search/issues-and-pull-requests",
)  # fmt: skip

ALLOWED = [
    Allowance(
        "issues/add-labels",
        "request",
        _is_string_array,
        "PyGithub's add_to_labels sends a bare JSON array; the schema only has {labels: [...]}, "
        "though its description says arrays are accepted (tooling.md §4 gotcha 2)",
    ),
    Allowance(
        "pulls/list",
        "response",
        _null_label_description,
        "GitHub sends `description: null` for labels without one; pull-request-simple.labels[].description "
        "is not nullable in the description (tooling.md §4 gotcha 3)",
    ),
    Allowance(
        "pulls/list-commits",
        "response",
        _null_commit_users,
        "GitHub sends `author: null` / `committer: null` when a commit's email maps to no account; the "
        "schema says `nullable: true` next to `oneOf`, which openapi-core does not apply",
    ),
    Allowance(
        "checks/list-for-ref",
        "response",
        _null_conclusion,
        "a check run still in progress has `conclusion: null`; the schema is `nullable: true` with an `enum` "
        "that lacks null, which openapi-core checks strictly (OpenAPI 3.0 nullable-enum ambiguity)",
    ),
    *(
        Allowance(
            operation,
            "response",
            _null_state_reason,
            "an open issue has `state_reason: null`; the schema is `nullable: true` with an `enum` that "
            "lacks null (the same OpenAPI 3.0 nullable-enum ambiguity as check runs' conclusion)",
        )
        for operation in ISSUE_OPERATIONS
    ),
]


@lru_cache(maxsize=1)
def load_full_spec() -> dict[str, Any] | None:
    if not SPEC_PATH.exists():
        return None
    return json.loads(SPEC_PATH.read_text())


def slice_spec(
    full: dict[str, Any], operations: list[tuple[str, str]], server: str
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path in operations:
        item = full["paths"][path]
        sliced = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        sliced[method] = _drop_examples(item[method])
    spec = {
        "openapi": full["openapi"],
        "info": full["info"],
        "servers": [{"url": server}],
        "paths": paths,
        "components": {},
    }
    pending = _refs(paths)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        node = _drop_examples(full["components"][kind][name])
        spec["components"].setdefault(kind, {})[name] = node
        pending |= _refs(node)
    return spec


def _drop_examples(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_examples(v) for k, v in node.items() if k != "examples"}
    if isinstance(node, list):
        return [_drop_examples(v) for v in node]
    return node


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        for v in node.values():
            found |= _refs(v)
    elif isinstance(node, list):
        for v in node:
            found |= _refs(v)
    return found


class Validator:
    """Validates werkzeug requests/responses; `errors` collects what is neither valid nor allowed."""

    def __init__(self, spec: dict[str, Any]) -> None:
        from openapi_core import OpenAPI

        self.openapi = OpenAPI.from_dict(copy.deepcopy(spec))
        self.spec = spec
        self.errors: list[str] = []
        self.allowed: list[str] = []  # which allowances were used, for the record
        self._ops = [
            (
                method.upper(),
                _path_regex(spec, path, [*item.get("parameters", []), *op.get("parameters", [])]),
                op["operationId"],
                op,
            )
            for path, item in spec["paths"].items()
            for method, op in item.items()
            if method != "parameters"
        ]
        self.prefix = spec["servers"][0]["url"]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any], str] | None:
        """(operationId, operation, path as openapi-core can match it) for a request path."""
        local = path[len(self.prefix) :] if path.startswith(self.prefix) else None
        if local is None:
            return None
        for m, pattern, op_id, op in self._ops:
            match = pattern.match(local)
            if m == method and match:
                # Octokit's `x-multi-segment` parameters (git refs: heads/a/b) span several segments;
                # openapi-core matches one, so their slashes are percent-encoded for validation
                adapted = local
                for value in match.groupdict().values():
                    adapted = adapted.replace(value, quote(value, safe=""), 1)
                return op_id, op, self.prefix + adapted
        return None

    def check_request(self, request) -> None:
        found = self.operation(request.method, request.path)
        if found is None:
            self.errors.append(
                f"{request.method} {request.path}: no such operation in the sliced description"
            )
            return
        errors = list(self.openapi.iter_request_errors(_adapt(request, found[2])))
        self._record(
            found[0],
            "request",
            request.get_json(silent=True),
            errors,
            f"{request.method} {request.path}",
        )

    def check_response(self, request, response) -> None:
        from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse

        found = self.operation(request.method, request.path)
        if found is None:
            return
        op_id, op, path = found
        if str(response.status_code) not in op["responses"] and response.status_code >= 400:
            # GitHub answers errors its description omits (403 on label writes, 404 everywhere):
            # check the body is GitHub's basic-error shape instead
            body = response.get_json(silent=True)
            if not (isinstance(body, dict) and isinstance(body.get("message"), str)):
                self.errors.append(
                    f"{request.method} {request.path}: {response.status_code} body is not a basic-error"
                )
            return
        errors = list(
            self.openapi.iter_response_errors(
                _adapt(request, path), WerkzeugOpenAPIResponse(response)
            )
        )
        where = f"{request.method} {request.path} -> {response.status_code}"
        self._record(op_id, "response", response.get_json(silent=True), errors, where)

    def _record(
        self, op_id: str, kind: str, body: Any, errors: list[Exception], where: str
    ) -> None:
        for error in errors:
            text = _error_text(error)
            allowance = next(
                (
                    a
                    for a in ALLOWED
                    if a.operation == op_id and a.kind == kind and a.matches(body, text)
                ),
                None,
            )
            if allowance is not None:
                self.allowed.append(f"{where}: {allowance.reason}")
            else:
                self.errors.append(f"{where}: {kind}: {text}")


def _path_regex(
    spec: dict[str, Any], path: str, parameters: list[dict[str, Any]]
) -> re.Pattern[str]:
    resolved = [_resolve(spec, p) for p in parameters]
    multi = {p.get("name") for p in resolved if p.get("x-multi-segment")}
    pattern = re.sub(
        r"\{([^}]+)\}", lambda m: f"(?P<{m[1]}>.+)" if m[1] in multi else "[^/]+", path
    )
    return re.compile(f"^{pattern}$")


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    _, _, kind, name = ref.split("/", 3)
    return spec["components"][kind][name]


def _adapt(request, path: str):
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest

    class Adapted(WerkzeugOpenAPIRequest):
        @property
        def path(self) -> str:
            return path

    return Adapted(request)


def _error_text(error: Exception) -> str:
    """The schema errors with their JSON paths (`labels/0/description: None is not of type 'string'`)."""
    lines = []
    cause: BaseException | None = error
    while cause is not None:
        for sub in getattr(cause, "schema_errors", ()) or ():
            path = "/".join(str(p) for p in getattr(sub, "absolute_path", ()))
            lines.append(f"{path or '.'}: {getattr(sub, 'message', sub)}")
        cause = cause.__cause__
    return "; ".join(lines) if lines else f"{type(error).__name__}: {error}"


@lru_cache(maxsize=4)
def _cached_spec(server: str) -> str | None:
    full = load_full_spec()
    return None if full is None else json.dumps(slice_spec(full, OPERATIONS, server))


def validator(server: str = "/api/v3") -> Validator | None:
    """A validator for the fake's API prefix, or None when the description is not installed."""
    text = _cached_spec(server)
    return None if text is None else Validator(json.loads(text))
