"""Loki's query_range API. Loki answers a query for an unknown tenant with an empty 200, not an
error: callers judge 'nothing found' with that in mind."""

from __future__ import annotations

from dataclasses import dataclass

from bot.stack.http import Service, StackError


@dataclass(frozen=True)
class Entry:
    labels: dict[str, str]
    timestamp_ns: int
    line: str


def query_range(
    loki: Service, query: str, start_ns: int, end_ns: int, limit: int = 100
) -> list[Entry]:
    params = {
        "query": query, "start": str(start_ns), "end": str(end_ns), "limit": str(limit),
        "direction": "backward",
    }  # fmt: skip
    answer = loki.json("GET", "/loki/api/v1/query_range", params=params)
    if not isinstance(answer, dict) or answer.get("status", "success") != "success":
        raise StackError(f"Loki query failed: {str(answer)[:200]}")
    data = answer.get("data") or {}
    if data.get("resultType", "streams") != "streams":
        raise StackError(f"Loki answered {data.get('resultType')!r}, expected streams for {query}")
    entries = []
    for stream in data.get("result") or []:
        labels = dict(stream.get("stream") or {})
        for value in stream.get("values") or []:  # [ns, line] or [ns, line, structured metadata]
            entries.append(Entry(labels, int(value[0]), str(value[1])))
    return entries


def selector(**labels: str) -> str:
    """A LogQL stream selector with exact matchers, e.g. {app_name="x", kind="log"}."""
    return "{" + ", ".join(f"{key}={_quote(value)}" for key, value in labels.items()) + "}"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def line_filter(text: str, regex: bool = False) -> str:
    """` |= "text"`, or ` |~ "regex"` (RE2)."""
    return f" {'|~' if regex else '|='} {_quote(text)}"
