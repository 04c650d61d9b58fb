"""A real HTTP server on 127.0.0.1 standing in for a collector (Alloy faro.receiver, Pyroscope)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.helpers import loopback


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class Upstream:
    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 202  # faro.receiver answers 202 "ok"
    reply: bytes = b"ok"
    reply_headers: dict[str, str] = field(default_factory=dict)  # e.g. a Set-Cookie
    delay: float = 0.0

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received


@contextmanager
def serve() -> Iterator[Upstream]:
    state = Upstream(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.received.append(Received("POST", self.path, headers, body))
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("content-type", "text/plain; charset=utf-8")
                self.send_header("content-length", str(len(state.reply)))
                for name, value in state.reply_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(state.reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the proxy under test gave up waiting (timeout tests)

        def log_message(self, *args) -> None:
            pass

    with loopback.running(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as origin:
        state.url = origin
        yield state


def closed_port_url() -> str:
    """A URL nothing listens on (the port was just released)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/collect"
