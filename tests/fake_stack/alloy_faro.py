"""A fake of Alloy's faro.receiver: POST /collect answers 202 "ok" and passes each log, exception,
measurement and event to Loki as a logfmt line (extra_log_labels {app_name, kind}), and traces to Tempo.
Like the real one it answers 202 even when the Loki write fails; 401 with a wrong api_key, 413 over
max_allowed_payload_size, 400 on bad JSON."""

from __future__ import annotations

import json
import time

import requests
from werkzeug.wrappers import Request, Response

from tests.fake_stack.server import FakeServer


def _logfmt(pairs: dict[str, str]) -> str:
    def quote(value: str) -> str:
        return f'"{value}"' if (" " in value or "=" in value or not value) else value

    return " ".join(f"{key}={quote(str(value))}" for key, value in pairs.items())


class FakeFaroReceiver(FakeServer):
    name = "alloy-faro"

    def __init__(self, loki_url: str, tempo_url: str = "", tenant: str = "") -> None:
        super().__init__()
        self.loki_url, self.tempo_url, self.tenant = loki_url, tempo_url, tenant
        self.api_key = ""
        self.max_payload = 5 * 1024 * 1024
        self.labels = True  # extra_log_labels = {app_name = "", kind = ""}
        self.exporter_errors = 0  # faro_receiver_exporter_errors_total
        self.route("POST", "/collect", self._collect)
        self.route("GET", "/-/ready", lambda r, g: Response("ready\n"))

    def _collect(self, request: Request, _: dict) -> Response:
        if self.api_key and request.headers.get("X-API-Key") != self.api_key:
            return Response("api key not provided or incorrect\n", status=401)
        body = request.get_data()
        if len(body) > self.max_payload:
            return Response("request entity too large\n", status=413)
        try:
            payload = json.loads(body)
        except json.JSONDecodeError as exc:
            return Response(f"{exc}\n", status=400)
        self._export_logs(payload)
        if payload.get("traces") and self.tempo_url:
            try:
                requests.post(f"{self.tempo_url}/v1/traces", json=payload["traces"], timeout=5)
            except requests.RequestException:
                self.exporter_errors += 1
        return Response("ok", status=202)

    def _export_logs(self, payload: dict) -> None:
        meta = payload.get("meta") or {}
        app = meta.get("app") or {}
        common = {f"app_{key}": str(value) for key, value in app.items()}
        lines = []
        for kind, key in (
            ("log", "logs"),
            ("exception", "exceptions"),
            ("measurement", "measurements"),
            ("event", "events"),
        ):
            for entry in payload.get(key) or []:
                fields = {"timestamp": entry.get("timestamp", ""), "kind": kind}
                fields.update(
                    {
                        k: str(v)
                        for k, v in entry.items()
                        if isinstance(v, (str, int, float)) and k != "timestamp"
                    }
                )
                fields.update({k: f"{v:f}" for k, v in (entry.get("values") or {}).items()})
                lines.append({**fields, **common})
        streams = []
        now = time.time_ns()
        for index, fields in enumerate(lines):
            labels = (
                {"app_name": fields.get("app_name", ""), "kind": fields["kind"]}
                if self.labels
                else {}
            )
            streams.append({"stream": labels, "values": [[str(now + index), _logfmt(fields)]]})
        if not streams:
            return
        headers = {"X-Scope-OrgID": self.tenant} if self.tenant else {}
        try:
            response = requests.post(
                f"{self.loki_url}/loki/api/v1/push",
                json={"streams": streams},
                headers=headers,
                timeout=5,
            )
            if response.status_code >= 300:
                self.exporter_errors += 1  # only counted, never the client's problem: still 202
        except requests.RequestException:
            self.exporter_errors += 1
