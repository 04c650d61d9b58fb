"""A fake Tempo: spans arrive as OTLP/JSON on /v1/traces (from the fake faro.receiver, or a test acting
as a traced backend); /api/search takes {resource.service.name="x"}; /api/traces/<id> answers v1
`batches`."""

from __future__ import annotations

import re

from werkzeug.wrappers import Request, Response

from tests.fake_stack.server import FakeServer, json_response

_SERVICE = re.compile(r'^\{\s*resource\.service\.name\s*=\s*"([^"]*)"\s*\}$')


def _service(resource_spans: dict) -> str:
    for attribute in (resource_spans.get("resource") or {}).get("attributes") or []:
        if attribute["key"] == "service.name":
            return attribute["value"].get("stringValue", "")
    return ""


class FakeTempo(FakeServer):
    name = "tempo"

    def __init__(self, tenant: str = "") -> None:
        super().__init__()
        self.tenant = tenant  # multi-tenant: queries need this X-Scope-OrgID
        self.batches: list[dict] = []  # OTLP resourceSpans
        self.route("POST", "/v1/traces", self._ingest)
        self.route("GET", "/ready", lambda r, g: Response("ready\n"))
        self.route("GET", "/api/search", self._search)
        self.route("GET", "/api/traces/(?P<trace_id>[0-9a-fA-F]+)", self._trace)

    def _ingest(self, request: Request, _: dict) -> Response:
        self.batches += request.get_json().get("resourceSpans") or []
        return json_response({})

    def _authorised(self, request: Request) -> bool:
        return not self.tenant or request.headers.get("X-Scope-OrgID") == self.tenant

    def _spans(self) -> list[tuple[str, dict, dict]]:
        return [
            (_service(batch), batch, span)
            for batch in self.batches
            for scope in batch.get("scopeSpans") or []
            for span in scope.get("spans") or []
        ]

    def _search(self, request: Request, _: dict) -> Response:
        if not self._authorised(request):
            return Response("no org id\n", status=401)
        match = _SERVICE.match(request.args.get("q", ""))
        if match is None:
            return Response("invalid TraceQL query\n", status=400)
        traces: dict[str, dict] = {}
        for service, _batch, span in self._spans():
            if service == match[1] and span["traceId"] not in traces:
                traces[span["traceId"]] = {
                    "traceID": span["traceId"], "rootServiceName": service, "rootTraceName": span.get("name", ""),
                    "startTimeUnixNano": str(span.get("startTimeUnixNano", "0")), "durationMs": 12,
                }  # fmt: skip
        limit = int(request.args.get("limit", 20))
        return json_response(
            {"traces": list(traces.values())[:limit], "metrics": {"inspectedTraces": len(traces)}}
        )

    def _trace(self, request: Request, groups: dict) -> Response:
        if not self._authorised(request):
            return Response("no org id\n", status=401)
        wanted = groups["trace_id"]
        batches = []
        for batch in self.batches:
            spans = [
                s
                for scope in batch.get("scopeSpans") or []
                for s in scope.get("spans") or []
                if s["traceId"] == wanted
            ]
            if spans:
                batches.append(
                    {"resource": batch.get("resource"), "scopeSpans": [{"spans": spans}]}
                )
        if not batches:
            return Response("trace not found\n", status=404)
        return json_response({"batches": batches})
