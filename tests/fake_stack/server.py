"""A WSGI fake on 127.0.0.1 with a request log and the faults every fake shares (delay, fixed status)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

Handler = Callable[[Request, dict[str, str]], Response]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any) -> None:
        pass


class FakeServer:
    """Subclasses fill `routes`: (method, path regex) -> handler(request, path groups)."""

    name = "fake"

    def __init__(self) -> None:
        self.url = ""
        self.log: list[tuple[str, str]] = []  # (method, path)
        self.delay = 0.0  # seconds before every answer (slow-server faults)
        self.fail: tuple[int, str] | None = None  # answer every request with this status and body
        self.routes: list[tuple[str, Any, Handler]] = []

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        import re

        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def counts(self) -> Counter[str]:
        return Counter(path for _, path in self.log)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        self.log.append((request.method, request.path))
        if self.delay:
            time.sleep(self.delay)
        response = self._dispatch(request)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        if self.fail is not None:
            return Response(self.fail[1], status=self.fail[0], content_type="text/plain")
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                return handler(request, match.groupdict())
        return Response("404 page not found\n", status=404, content_type="text/plain")


@contextmanager
def serve(app: FakeServer) -> Iterator[FakeServer]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    app.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL nothing listens on (the port was just released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def json_response(data: Any, status: int = 200) -> Response:
    import json
    from http import HTTPStatus

    # "403 Forbidden" as Go servers write it (werkzeug would send "403 FORBIDDEN")
    return Response(
        json.dumps(data),
        status=f"{status} {HTTPStatus(status).phrase}",
        content_type="application/json",
    )
