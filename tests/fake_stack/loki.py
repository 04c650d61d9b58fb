"""A fake Loki: push and query_range per tenant (X-Scope-OrgID, auth_enabled), with the subset of LogQL
the bot writes: a stream selector of = and =~ matchers, then |= and |~ line filters. Like Loki, an
unknown tenant gets an empty 200, and no tenant at all a 401 'no org id'."""

from __future__ import annotations

import json
import re
import time

from werkzeug.wrappers import Request, Response

from tests.fake_stack.server import FakeServer, json_response

_SELECTOR = re.compile(r"^\{(?P<matchers>[^}]*)\}(?P<filters>.*)$", re.S)
_MATCHER = re.compile(r'\s*(\w+)\s*(=~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?')
_FILTER = re.compile(r'\s*(\|=|\|~)\s*"((?:[^"\\]|\\.)*)"')


def _unquote(text: str) -> str:
    return json.loads(f'"{text}"')


class FakeLoki(FakeServer):
    name = "loki"

    def __init__(self, auth_enabled: bool = True) -> None:
        super().__init__()
        self.auth_enabled = auth_enabled
        self.streams: dict[str, list[tuple[dict[str, str], int, str]]] = {}  # tenant -> entries
        self.route("POST", "/loki/api/v1/push", self._push)
        self.route("GET", "/loki/api/v1/query_range", self._query_range)

    def _tenant(self, request: Request) -> str | None:
        if not self.auth_enabled:
            return "fake"
        return request.headers.get("X-Scope-OrgID") or None

    def _push(self, request: Request, _: dict) -> Response:
        tenant = self._tenant(request)
        if tenant is None:
            return Response("no org id\n", status=401)
        for stream in json.loads(request.get_data())["streams"]:
            labels = dict(stream["stream"]) or {
                "service_name": "unknown_service"
            }  # discover_service_name
            for ts, line in stream["values"]:
                self.streams.setdefault(tenant, []).append((labels, int(ts), line))
        return Response("", status=204)

    def _query_range(self, request: Request, _: dict) -> Response:
        tenant = self._tenant(request)
        if tenant is None:
            return Response("no org id\n", status=401)
        query = request.args["query"]
        parsed = _SELECTOR.match(query.strip())
        if parsed is None:
            return Response(f"parse error : {query}\n", status=400)
        matchers = [(k, op, _unquote(v)) for k, op, v in _MATCHER.findall(parsed["matchers"])]
        if not any(
            op != "!=" and not re.fullmatch(v if op == "=~" else re.escape(v), "")
            for _, op, v in matchers
        ):
            return Response("queries require at least one regexp or equality matcher that does not have an "
                            "empty-compatible value\n", status=400)  # fmt: skip
        filters = [(op, _unquote(text)) for op, text in _FILTER.findall(parsed["filters"])]
        start = int(request.args.get("start", time.time_ns() - 3600 * 10**9))
        end = int(request.args.get("end", time.time_ns()))
        limit = int(request.args.get("limit", 100))
        found: dict[str, dict] = {}
        hits = 0
        for labels, ts, line in sorted(self.streams.get(tenant, []), key=lambda e: -e[1]):
            if hits >= limit or not start <= ts <= end:
                continue
            if all(_matches(labels.get(k, ""), op, v) for k, op, v in matchers) and all(
                (text in line) if op == "|=" else re.search(text, line) for op, text in filters
            ):
                key = json.dumps(labels, sort_keys=True)
                found.setdefault(key, {"stream": labels, "values": []})["values"].append(
                    [str(ts), line]
                )
                hits += 1
        data = {
            "resultType": "streams",
            "result": list(found.values()),
            "stats": {"summary": {"totalEntriesReturned": hits}},
        }
        return json_response({"status": "success", "data": data})


def _matches(value: str, op: str, wanted: str) -> bool:
    if op == "=":
        return value == wanted
    if op == "!=":
        return value != wanted
    return re.fullmatch(wanted, value) is not None
