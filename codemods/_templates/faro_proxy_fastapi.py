"""POST __ROUTE_PATH__: forward Grafana Faro browser telemetry to the collector.

Browsers send to this app's own origin and this route relays the body to the
collector (Grafana Alloy's faro.receiver). Settings come from the environment:
FARO_PROXY_ENABLED ("true" serves the route; otherwise it answers 404),
FARO_PROXY_UPSTREAM_URL (default __UPSTREAM_URL__) and
FARO_PROXY_TIMEOUT_SECONDS (default 5). The route uses an httpx client of its
own: an app's shared client (app.state.http_client) would add its default
headers, auth and cookies, and keep the collector's cookies.
"""

import os

import httpx
from fastapi import APIRouter, Request, Response

MAX_BODY_BYTES = 1024 * 1024
# Only what the collector needs: cookies and Authorization never leave this server.
FORWARDED_HEADERS = ("content-type", "content-encoding", "x-faro-session-id")

ENABLED = os.environ.get("FARO_PROXY_ENABLED", "false").lower() == "true"
UPSTREAM_URL = os.environ.get("FARO_PROXY_UPSTREAM_URL", "__UPSTREAM_URL__")
TIMEOUT_SECONDS = float(os.environ.get("FARO_PROXY_TIMEOUT_SECONDS", "5"))
# built once: a client per request is then cheap (loading CA certificates is not)
_TLS = httpx.create_ssl_context()

router = APIRouter()


@router.post("__ROUTE_PATH__", include_in_schema=False)
async def faro_proxy(request: Request) -> Response:
    """Relay one Faro payload and answer with the collector's status."""
    if not ENABLED:
        return Response(status_code=404)
    body = await _read_body(request)
    if body is None:
        return Response(status_code=413)
    headers = {k: v for k, v in request.headers.items() if k in FORWARDED_HEADERS}
    try:
        upstream = await _post(body, headers)
    except httpx.TimeoutException:
        return Response(status_code=504)
    except httpx.HTTPError:
        return Response(status_code=502)
    status, media_type = upstream.status_code, upstream.headers.get("content-type")
    return Response(upstream.content, status_code=status, media_type=media_type)


async def _read_body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


async def _post(body: bytes, headers: dict) -> httpx.Response:
    """POST to the collector with a fresh client: nothing but these headers, no cookies kept."""
    async with httpx.AsyncClient(verify=_TLS, timeout=TIMEOUT_SECONDS) as client:
        return await client.post(UPSTREAM_URL, content=body, headers=headers)
