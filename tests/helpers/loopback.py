"""Run a stdlib HTTP server on a daemon thread for as long as a `with` block lasts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer


class QuietServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that does not print a traceback when a client hangs up mid-request
    (a browser leaving the page, a proxy that gave up)."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve on a thread; yields the server's http://127.0.0.1:<port> origin; shut down after."""
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
