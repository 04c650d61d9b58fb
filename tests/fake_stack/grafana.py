"""A fake Grafana: datasource by name and its health check, behind a service account token."""

from __future__ import annotations

from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from tests.fake_stack.server import FakeServer, json_response


class FakeGrafana(FakeServer):
    name = "grafana"

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.datasources: dict[str, dict] = {}  # name -> {uid, healthy, message}
        self.route("GET", "/api/datasources/name/(?P<name>.+)", self._by_name)
        self.route("GET", "/api/datasources/uid/(?P<uid>[^/]+)/health", self._health)

    def _denied(self, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return json_response({"message": "Unauthorized"}, 401)
        return None

    def _by_name(self, request: Request, groups: dict) -> Response:
        if denied := self._denied(request):
            return denied
        name = unquote(groups["name"])
        if name not in self.datasources:
            return json_response({"message": "Data source not found"}, 404)
        source = self.datasources[name]
        return json_response(
            {
                "id": 1,
                "uid": source["uid"],
                "name": name,
                "type": "grafana-pyroscope-datasource",
                "access": "proxy",
            }
        )

    def _health(self, request: Request, groups: dict) -> Response:
        if denied := self._denied(request):
            return denied
        for source in self.datasources.values():
            if source["uid"] == groups["uid"]:
                if source.get("healthy", True):
                    return json_response({"status": "OK", "message": "Data source is working"})
                return json_response(
                    {"status": "ERROR", "message": source.get("message", "error")}, 400
                )
        return json_response({"message": "Data source not found"}, 404)
