"""A loopback Grafana Alloy `faro.receiver` (observability.md §2.3, §4): where browsers' Faro data lands.

`POST /collect` decodes the JSON payload (gzip when `Content-Encoding: gzip`) and answers 202 `ok`;
bad JSON is 400, a body over 5 MiB 413. CORS is off unless `cors_allowed_origins` is set, as in Alloy:
then rs/cors answers preflights (204, the origin echoed, the allowed headers) and tags responses;
without it an OPTIONS preflight reaches the payload decoder and gets a 400 without CORS headers.
rs/cors refuses a preflight that asks for a header outside ALLOWED_HEADERS (no CORS headers in the
answer); `extra_allowed_headers` widens the list, as a newer Alloy might.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.helpers import loopback

MAX_PAYLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_HEADERS = (
    "content-type",
    "content-encoding",
    "traceparent",
    "x-api-key",
    "x-faro-session-id",
    "x-scope-orgid",
)


@dataclass
class FaroReceiver:
    url: str  # http://127.0.0.1:<port>/collect
    cors_allowed_origins: list[str] = field(default_factory=list)
    payloads: list[dict[str, Any]] = field(default_factory=list)
    preflights: list[str] = field(default_factory=list)  # Origin of each OPTIONS request
    allowed_headers: tuple[str, ...] = ALLOWED_HEADERS

    @property
    def origin(self) -> str:
        return self.url.removesuffix("/collect")

    def items(self, kind: str) -> list[dict[str, Any]]:
        """Every exceptions/logs/measurements/events item received."""
        return [item for payload in self.payloads for item in payload.get(kind) or []]

    def spans(self) -> list[dict[str, Any]]:
        """Every OTLP span in the payloads' `traces`."""
        return [
            span
            for payload in self.payloads
            for resource in (payload.get("traces") or {}).get("resourceSpans", [])
            for scope in resource.get("scopeSpans", [])
            for span in scope.get("spans", [])
        ]

    def app_names(self) -> set[str]:
        return {payload.get("meta", {}).get("app", {}).get("name", "") for payload in self.payloads}

    def vitals(self) -> set[str]:
        """Names of the Web Vitals received (ttfb, fcp, lcp, cls, inp, ...)."""
        return {
            name
            for item in self.items("measurements")
            if item.get("type") == "web-vitals"
            for name in item.get("values", {})
            if name != "delta" and "_" not in name
        }

    def wait_until(
        self, condition: Callable[[FaroReceiver], object], timeout: float = 10.0
    ) -> bool:
        """Poll condition(self) until it is true or timeout passes; whether it became true."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True


@contextmanager
def serve(
    cors_allowed_origins: list[str] | None = None, extra_allowed_headers: tuple[str, ...] = ()
) -> Iterator[FaroReceiver]:
    server = loopback.QuietServer(("127.0.0.1", 0), _Handler)
    with loopback.running(server) as origin:
        state = FaroReceiver(
            url=origin + "/collect",
            cors_allowed_origins=list(cors_allowed_origins or []),
            allowed_headers=ALLOWED_HEADERS + extra_allowed_headers,
        )
        server.receiver = state  # type: ignore[attr-defined]
        yield state


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def receiver(self) -> FaroReceiver:
        return self.server.receiver  # type: ignore[attr-defined]

    def _allowed_origin(self) -> str | None:
        origin = self.headers.get("Origin")
        allowed = self.receiver.cors_allowed_origins
        if not allowed or origin is None:
            return None
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def do_OPTIONS(self) -> None:
        if self.path != "/collect":
            return self._reply(404, b"404 page not found\n")
        self.receiver.preflights.append(self.headers.get("Origin", ""))
        if not self.receiver.cors_allowed_origins:
            # no CORS handler: the preflight is decoded as a payload (an empty body)
            return self._reply(400, b"EOF\n")
        headers = {"Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}
        requested = [
            name.strip().lower()
            for name in self.headers.get("Access-Control-Request-Headers", "").split(",")
            if name.strip()
        ]
        origin = self._allowed_origin()
        if origin and all(name in self.receiver.allowed_headers for name in requested):
            headers |= {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": ", ".join(requested),
            }
        self._reply(204, b"", headers)

    def do_POST(self) -> None:
        if self.path != "/collect":
            return self._reply(404, b"404 page not found\n")
        cors = {"Vary": "Origin"}
        if origin := self._allowed_origin():
            cors["Access-Control-Allow-Origin"] = origin
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_PAYLOAD_BYTES:
            return self._reply(413, b"Request Entity Too Large\n", cors)
        body = self.rfile.read(length)
        try:
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            payload = json.loads(body)
        except (OSError, ValueError) as error:
            return self._reply(400, f"{error}\n".encode(), cors)
        self.receiver.payloads.append(payload)
        self._reply(202, b"ok", cors)

    def do_GET(self) -> None:
        if self.path == "/-/ready":
            return self._reply(200, b"ready")
        self._reply(404, b"404 page not found\n")

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass
