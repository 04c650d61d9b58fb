"""Grafana Pyroscope: readiness, the Connect query API (protobuf-JSON), and the legacy /ingest API that
Alloy's pyroscope.receive_http also serves. Real servers send 64-bit integers as JSON strings and leave
out empty fields ({} for no names), so every reader below tolerates both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.stack.http import Service, StackError

CPU_PROFILE = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"
_CONNECT = {"Content-Type": "application/json", "Connect-Protocol-Version": "1"}


def ready(pyroscope: Service) -> str:
    """'ready', or StackError with Pyroscope's own reason (503 'Some services are not Running', ...)."""
    response = pyroscope.request("GET", "/ready", ok=(200, 503))
    text = response.text.strip()
    if response.status_code == 503:
        raise StackError(f"Pyroscope is not ready (503): {text or 'no reason given'}", status=503)
    return text


def _connect(pyroscope: Service, method: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = pyroscope.json(
        "POST", f"/querier.v1.QuerierService/{method}", json=body, headers=_CONNECT
    )
    if not isinstance(answer, dict):
        raise StackError(f"Pyroscope {method} answered {type(answer).__name__}, expected an object")
    return answer


def label_values(
    pyroscope: Service, name: str, start_ms: int, end_ms: int, matchers: list[str] | None = None
) -> list[str]:
    body = {"name": name, "start": str(start_ms), "end": str(end_ms), "matchers": matchers or []}
    return [str(value) for value in _connect(pyroscope, "LabelValues", body).get("names") or []]


def profile_types(pyroscope: Service, start_ms: int, end_ms: int) -> list[str]:
    answer = _connect(pyroscope, "ProfileTypes", {"start": str(start_ms), "end": str(end_ms)})
    return [str(kind.get("ID", "")) for kind in answer.get("profileTypes") or []]


@dataclass(frozen=True)
class FlameGraph:
    names: list[str]
    total: int  # samples (or nanoseconds, bytes) under the root
    levels: int  # depth of the tree

    @property
    def empty(self) -> bool:
        return self.total <= 0 or len(self.names) <= 1  # only the root node


def select_merge_stacktraces(
    pyroscope: Service, profile_type: str, selector: str, start_ms: int, end_ms: int
) -> FlameGraph:
    body = {
        "profileTypeID": profile_type, "labelSelector": selector,
        "start": str(start_ms), "end": str(end_ms), "maxNodes": "1024",
    }  # fmt: skip
    graph = _connect(pyroscope, "SelectMergeStacktraces", body).get("flamegraph") or {}
    try:
        total = int(graph.get("total") or 0)  # int64 arrives as a JSON string
    except (TypeError, ValueError):
        raise StackError(
            f"Pyroscope flamegraph total is not a number: {graph.get('total')!r}"
        ) from None
    return FlameGraph(list(graph.get("names") or []), total, len(graph.get("levels") or []))


def ingest(
    receiver: Service, name: str, folded: str, start_s: int, end_s: int, sample_rate: int = 100
) -> None:
    """Send a profile in the folded format ('a;b;c 12' per line) to /ingest (Pyroscope, or Alloy's
    pyroscope.receive_http). `name` is the application name, optionally with {tags}."""
    query = urlencode({
        "name": name, "from": start_s, "until": end_s, "format": "folded",
        "sampleRate": sample_rate, "spyName": "phase3-bot", "units": "samples", "aggregationType": "sum",
    })  # fmt: skip
    receiver.request(
        "POST", f"/ingest?{query}", data=folded.encode(), headers={"Content-Type": "text/plain"}
    )
