"""The generated Express route (codemods/_templates/faro-proxy-express.ts), compiled and served for real.

Two flavours, as the repositories build it: traction tenant-ui (Express 5, NodeNext ESM, prettier
double quotes) and BC-Wallet-Demo server (Express 4, CommonJS, no semicolons). Each runs in node
with the express from tools/node, in front of a real upstream on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
from pathlib import Path

import pytest

from codemods.web import create_from_template
from tests.helpers import node, upstream
from tests.helpers.parsers import assert_parses

HARNESS = """\
{imports}
const app = express()
const upstreamUrl = process.env.UPSTREAM_URL
// the app's own body parser comes after the route, as the recipes register it
app.post('/faro', faroProxy({{ enabled: true, upstreamUrl, timeoutMs: 300 }}))
app.post('/faro-off', faroProxy({{ enabled: false, upstreamUrl }}))
app.use(express.json())
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port))
"""

FLAVOURS = {
    "express5-esm": {
        "express": "express",
        "style": {"quotes": "double", "semicolons": True},
        "format": "esm",
        "type": "module",
        "harness": "server.mjs",
        "imports": "import express from 'express'\nimport { faroProxy } from './faroProxy.js'",
    },
    "express4-cjs": {
        "express": "express4",
        "style": {"quotes": "single", "semicolons": False},
        "format": "cjs",
        "type": "commonjs",
        "harness": "server.cjs",
        "imports": "const express = require('express')\nconst { faroProxy } = require('./faroProxy.js')",
    },
}


def _module_source(style: dict) -> str:
    params = create_from_template.Params(
        template="faro-proxy-express.ts",
        values={"upstream_url": "http://alloy:12347/collect"},
        **style,
    )
    return create_from_template.render(params)


@pytest.fixture(scope="module")
def collector():
    with upstream.serve() as server:
        yield server


@pytest.fixture(scope="module", params=sorted(FLAVOURS))
def proxy(request, tmp_path_factory, collector):
    flavour = FLAVOURS[request.param]
    tools = node.require("esbuild", flavour["express"])
    work: Path = tmp_path_factory.mktemp(request.param)
    source = _module_source(flavour["style"])
    assert_parses("src/faroProxy.ts", source)
    node.transpile(source, work / "faroProxy.js", fmt=flavour["format"])
    (work / "package.json").write_text(json.dumps({"type": flavour["type"]}))
    (work / "node_modules").mkdir()
    (work / "node_modules" / "express").symlink_to(tools / "node_modules" / flavour["express"])
    (work / flavour["harness"]).write_text(HARNESS.format(imports=flavour["imports"]))
    env = {"UPSTREAM_URL": collector.url + "/collect", "PATH": os.environ["PATH"]}
    process = subprocess.Popen(
        ["node", flavour["harness"]],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        pytest.fail(f"harness did not start: {process.stderr.read()}")
    yield ("127.0.0.1", int(port))
    process.kill()
    process.wait()


def _post(address, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


PAYLOAD = json.dumps(
    {"meta": {"app": {"name": "gate-app"}}, "logs": [{"message": "hi", "level": "info"}]}
).encode()
BROWSER_HEADERS = {
    "Content-Type": "application/json",
    "X-Faro-Session-Id": "s-123",
    "Cookie": "session=secret",
    "Authorization": "Bearer secret",
}


def test_forwards_body_and_content_type_but_not_credentials(proxy, collector):
    collector.received.clear()
    status, reply = _post(proxy, "/faro", PAYLOAD, BROWSER_HEADERS)
    assert (status, reply) == (202, b"ok")
    [received] = collector.received
    assert received.path == "/collect"
    assert received.body == PAYLOAD
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-faro-session-id"] == "s-123"
    assert "cookie" not in received.headers
    assert "authorization" not in received.headers


def test_returns_the_upstream_status(proxy, collector):
    collector.status, collector.reply = 400, b"bad payload"
    try:
        assert _post(proxy, "/faro", b"{", {"Content-Type": "application/json"}) == (
            400,
            b"bad payload",
        )
    finally:
        collector.status, collector.reply = 202, b"ok"


def test_disabled_route_answers_404_without_calling_upstream(proxy, collector):
    collector.received.clear()
    status, _ = _post(proxy, "/faro-off", PAYLOAD, {"Content-Type": "application/json"})
    assert status == 404
    assert collector.received == []


def test_body_over_the_limit_is_413(proxy, collector):
    collector.received.clear()
    status, _ = _post(
        proxy, "/faro", b"x" * (1024 * 1024 + 1), {"Content-Type": "application/json"}
    )
    assert status == 413
    assert collector.received == []


def test_slow_upstream_times_out_with_504(proxy, collector):
    collector.delay = 1.0
    try:
        status, _ = _post(proxy, "/faro", PAYLOAD, {"Content-Type": "application/json"})
    finally:
        collector.delay = 0.0
    assert status == 504


def test_unreachable_upstream_is_502(tmp_path):
    # a separate process whose upstream port is closed
    flavour = FLAVOURS["express5-esm"]
    tools = node.require("esbuild", "express")
    node.transpile(_module_source(flavour["style"]), tmp_path / "faroProxy.js")
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "express").symlink_to(tools / "node_modules" / "express")
    (tmp_path / "server.mjs").write_text(HARNESS.format(imports=flavour["imports"]))
    env = {"UPSTREAM_URL": upstream.closed_port_url(), "PATH": os.environ["PATH"]}
    process = subprocess.Popen(
        ["node", "server.mjs"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(process.stdout.readline())
        assert (
            _post(("127.0.0.1", port), "/faro", PAYLOAD, {"Content-Type": "application/json"})[0]
            == 502
        )
    finally:
        process.kill()
        process.wait()
