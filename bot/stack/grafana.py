"""Grafana's datasource API: find a datasource by name and run its health check."""

from __future__ import annotations

from urllib.parse import quote

from bot.stack.http import Service, StackError


def datasource_health(grafana: Service, name: str) -> str:
    """Grafana's message when the named datasource is healthy, else StackError."""
    found = grafana.json("GET", f"/api/datasources/name/{quote(name, safe='')}")
    uid = found.get("uid") if isinstance(found, dict) else None
    if not uid:
        raise StackError(f"Grafana has no datasource named {name!r}")
    health = grafana.json(
        "GET", f"/api/datasources/uid/{quote(uid, safe='')}/health", ok=(200, 400, 500)
    )
    status = str(health.get("status", "")) if isinstance(health, dict) else ""
    message = str(health.get("message", "")) if isinstance(health, dict) else ""
    if status.upper() != "OK":
        raise StackError(f"datasource {name!r} is unhealthy: {message or status or 'no message'}")
    return message or "OK"


HINTS = {
    401: "Grafana refused BOT_GRAFANA_TOKEN (a service account token with Viewer or datasource read)",
    403: "BOT_GRAFANA_TOKEN may not read datasources (give its service account datasources:read)",
    404: "no such datasource in Grafana",
}
