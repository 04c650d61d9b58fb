"""The generated FastAPI route (codemods/_templates/faro_proxy_fastapi.py) served by a real app.

As in vc-authn (route /faro, an app with a shared httpx.AsyncClient at app.state.http_client that
the route must not use) and didwebvh (route /api/faro), in front of a real upstream on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from codemods.web import create_from_template
from tests.helpers import upstream
from tests.helpers.parsers import assert_parses

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402 - only once fastapi is known to be installed

PAYLOAD = json.dumps({"meta": {"app": {"name": "gate-app"}}, "logs": [{"message": "hi"}]}).encode()


def _load_route(tmp_path: Path, monkeypatch, route_path: str, **env: str):
    params = create_from_template.Params(
        template="faro_proxy_fastapi.py",
        values={"route_path": route_path, "upstream_url": "http://alloy:12347/collect"},
    )
    source = create_from_template.render(params)
    assert_parses("api/routers/faro.py", source)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "faro.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"faro_route_{abs(hash(str(tmp_path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _enabled_route(tmp_path: Path, monkeypatch, collector, route_path: str = "/faro", **env: str):
    """The route, switched on and pointed at the local collector."""
    upstream_url = collector.url + "/collect"
    return _load_route(
        tmp_path,
        monkeypatch,
        route_path,
        FARO_PROXY_ENABLED="true",
        FARO_PROXY_UPSTREAM_URL=upstream_url,
        **env,
    )


@pytest.fixture
def collector():
    with upstream.serve() as server:
        yield server


def _client(module, shared_client=None) -> TestClient:
    app = fastapi.FastAPI()
    if shared_client is not None:
        app.state.http_client = shared_client
    app.include_router(module.router)
    return TestClient(app)


@pytest.mark.parametrize("route_path", ["/faro", "/api/faro"])
def test_forwards_body_content_type_and_status_without_credentials(
    tmp_path, monkeypatch, collector, route_path
):
    module = _enabled_route(tmp_path, monkeypatch, collector, route_path)
    response = _client(module).post(
        route_path,
        content=PAYLOAD,
        headers={
            "Content-Type": "application/json",
            "X-Faro-Session-Id": "s-1",
            "Authorization": "Bearer x",
            "Cookie": "session=secret",
        },
    )
    assert (response.status_code, response.content) == (202, b"ok")
    [received] = collector.received
    assert received.path == "/collect"
    assert received.body == PAYLOAD
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-faro-session-id"] == "s-1"
    assert "cookie" not in received.headers and "authorization" not in received.headers


def test_the_apps_shared_client_lends_the_collector_nothing(tmp_path, monkeypatch, collector):
    """Neither the shared client's auth, default headers and cookies reach the collector, nor do the
    collector's cookies reach the shared client's jar (or the next request)."""
    module = _enabled_route(tmp_path, monkeypatch, collector)
    shared = httpx.AsyncClient(
        auth=("acapy", "admin-secret"),
        headers={"X-API-Key": "admin-key", "Authorization": "Bearer acapy-admin"},
        cookies={"acapy": "1"},
    )
    collector.status, collector.reply = 400, b"invalid"
    collector.reply_headers = {"Set-Cookie": "collector=tracking; Path=/"}
    client = _client(module, shared)
    for _ in range(2):
        response = client.post("/faro", content=b"{}", headers={"Content-Type": "application/json"})
        assert (response.status_code, response.content) == (400, b"invalid")
    assert len(collector.received) == 2
    for received in collector.received:
        assert received.headers["content-type"] == "application/json"
        assert not {"authorization", "x-api-key", "cookie"} & set(received.headers)
    assert dict(shared.cookies) == {"acapy": "1"}


def test_disabled_by_default_answers_404(tmp_path, monkeypatch, collector):
    monkeypatch.delenv("FARO_PROXY_ENABLED", raising=False)
    module = _load_route(
        tmp_path, monkeypatch, "/faro", FARO_PROXY_UPSTREAM_URL=collector.url + "/collect"
    )
    assert _client(module).post("/faro", content=PAYLOAD).status_code == 404
    assert collector.received == []


def test_body_over_the_limit_is_413_declared_or_streamed(tmp_path, monkeypatch, collector):
    module = _enabled_route(tmp_path, monkeypatch, collector)
    client = _client(module)
    big = b"x" * (module.MAX_BODY_BYTES + 1)
    assert client.post("/faro", content=big).status_code == 413
    chunks = (big[i : i + 65536] for i in range(0, len(big), 65536))  # no content-length: chunked
    assert client.post("/faro", content=chunks).status_code == 413
    assert collector.received == []


def test_slow_upstream_is_504_and_unreachable_is_502(tmp_path, monkeypatch, collector):
    module = _enabled_route(tmp_path, monkeypatch, collector, FARO_PROXY_TIMEOUT_SECONDS="0.3")
    collector.delay = 1.0
    assert _client(module).post("/faro", content=PAYLOAD).status_code == 504
    monkeypatch.setattr(module, "UPSTREAM_URL", upstream.closed_port_url())
    assert _client(module).post("/faro", content=PAYLOAD).status_code == 502


def test_module_reads_its_settings_from_the_environment(tmp_path, monkeypatch):
    module = _load_route(tmp_path, monkeypatch, "/faro", FARO_PROXY_ENABLED="TRUE")
    assert module.ENABLED is True
    assert module.UPSTREAM_URL == "http://alloy:12347/collect"
    assert module.TIMEOUT_SECONDS == 5.0
