"""The generated profiling module (codemods/_templates/pyroscope-init.ts) with the real @pyroscope/nodejs.

Compiled as traction and the mediator build it (ESM) and as BC-Wallet-Demo does (CommonJS), then
run in node against a real HTTP server standing in for Pyroscope: profiles must arrive at /ingest
under the application name from the plan, and nothing may happen without the server address.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from codemods.web import create_from_template
from tests.helpers import node, upstream

MAIN = """\
{load}
let x = 0
const work = setInterval(() => {{
  for (let i = 0; i < 1e6; i++) x += Math.sqrt(i)
}}, 10)
setTimeout(() => {{
  clearInterval(work)
  process.exit(0)
}}, 2500)
"""
FLAVOURS = {
    "esm": (
        "module",
        "main.mjs",
        "import './profiling.js'",
        {"quotes": "double", "semicolons": True},
    ),
    "cjs": (
        "commonjs",
        "main.cjs",
        "require('./profiling.js')",
        {"quotes": "single", "semicolons": False},
    ),
}


def _build(work: Path, flavour: str) -> str:
    tools = node.require("esbuild", "@pyroscope/nodejs")
    package_type, main, load, style = FLAVOURS[flavour]
    params = create_from_template.Params(
        template="pyroscope-init.ts",
        values={
            "app_name": "bc-wallet-demo-server",
            "server_address_env": "PYROSCOPE_SERVER_ADDRESS",
        },
        **style,
    )
    node.transpile(create_from_template.render(params), work / "profiling.js", fmt=flavour)
    (work / "package.json").write_text(json.dumps({"type": package_type}))
    (work / "node_modules").symlink_to(tools / "node_modules")
    (work / main).write_text(MAIN.format(load=load))
    return main


def _run(work: Path, main: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        ["node", main],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _fast_flush(address: str) -> dict[str, str]:
    # the SDK reads these itself; the defaults (60 s) are too slow for a test
    return {
        "PYROSCOPE_SERVER_ADDRESS": address,
        "PYROSCOPE_FLUSH_INTERVAL_MS": "500",
        "PYROSCOPE_WALL_SAMPLING_DURATION_MS": "500",
    }


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_profiles_reach_the_server_under_the_plans_application_name(tmp_path, flavour):
    main = _build(tmp_path, flavour)
    with upstream.serve() as pyroscope:
        result = _run(tmp_path, main, **_fast_flush(pyroscope.url))
        assert result.returncode == 0, result.stderr
        received = pyroscope.wait_for(1, timeout=5)
    assert received, "no profile was pushed"
    query = parse_qs(urlsplit(received[0].path).query)
    assert urlsplit(received[0].path).path == "/ingest"
    assert query["name"][0].startswith("bc-wallet-demo-server{")
    assert query["spyName"] == ["nodespy"]
    assert query["format"] == ["pprof"]


def test_application_name_can_be_overridden_by_the_sdk_variable(tmp_path):
    main = _build(tmp_path, "esm")
    with upstream.serve() as pyroscope:
        _run(tmp_path, main, PYROSCOPE_APPLICATION_NAME="renamed", **_fast_flush(pyroscope.url))
        received = pyroscope.wait_for(1, timeout=5)
    assert received and parse_qs(urlsplit(received[0].path).query)["name"][0].startswith("renamed{")


def test_without_the_server_address_nothing_starts(tmp_path):
    main = _build(tmp_path, "cjs")
    with upstream.serve() as pyroscope:
        env = {
            k: v for k, v in _fast_flush(pyroscope.url).items() if k != "PYROSCOPE_SERVER_ADDRESS"
        }
        result = _run(tmp_path, main, **env)
        assert result.returncode == 0, result.stderr
        assert pyroscope.wait_for(1, timeout=1) == []
