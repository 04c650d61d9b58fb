"""Tempo's search and trace-by-id APIs (query-frontend, port 3200)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.stack.http import Service


@dataclass(frozen=True)
class TraceSummary:
    trace_id: str
    root_service: str
    root_name: str


def search(
    tempo: Service, traceql: str, start_s: int, end_s: int, limit: int = 20
) -> list[TraceSummary]:
    params = {"q": traceql, "start": str(start_s), "end": str(end_s), "limit": str(limit)}
    answer = tempo.json("GET", "/api/search", params=params)
    return [
        TraceSummary(
            str(trace.get("traceID", "")),
            str(trace.get("rootServiceName", "")),
            str(trace.get("rootTraceName", "")),
        )
        for trace in (answer.get("traces") or [] if isinstance(answer, dict) else [])
    ]


def trace_services(tempo: Service, trace_id: str) -> set[str]:
    """The service.name of every resource in one trace (OTLP JSON, v1 `batches` or v2 `trace`)."""
    answer = tempo.json("GET", f"/api/traces/{trace_id}", headers={"Accept": "application/json"})
    resources: list[Any] = []
    if isinstance(answer, dict):
        trace: dict[str, Any] = answer["trace"] if isinstance(answer.get("trace"), dict) else answer
        resources = trace.get("batches") or trace.get("resourceSpans") or []
    names = set()
    for resource in resources:
        for attribute in (resource.get("resource") or {}).get("attributes") or []:
            if attribute.get("key") == "service.name":
                names.add(str((attribute.get("value") or {}).get("stringValue", "")))
    return names
