"""Issue 17, Node: the generated profiling modules never stop a service from starting.

Each Node profiling change set is applied by the engine to a copy of its sample; the profiling
module it creates is compiled as the service builds it (NodeNext ESM for traction's tenant-ui, the
mediator and credo's vite-node sample; CommonJS for the BC-Wallet-Demo server) and imported first by
an entry that then "starts" (prints, keeps running, exits 0). node runs it for real: without
@pyroscope/nodejs installed, and with the real package (tools/node) whose init() throws on an
application name it rejects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.rollout.changes import apply_steps
from tests.helpers import node
from tests.helpers.upstream import closed_port_url

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CAMPAIGN = load_campaign(ROOT)
WARNING = "Warning: Pyroscope profiling not started:"
# service -> module format its build gives the profiling module
FORMATS = {"traction": "esm", "mediator": "esm", "credo": "esm", "bc-wallet": "cjs"}
MAIN = """\
{load}
console.log('started')
setTimeout(() => process.exit(0), 1500)
"""


def _node_profiling():
    return [
        c
        for c in CAMPAIGN.change_sets()
        if c.key == "profiling" and any(s.codemod == "node.insert_first_import" for s in c.steps)
    ]


def _service(tmp_path: Path, service: str, with_sdk: bool) -> Path:
    """The patched sample's profiling module, compiled, beside an entry that imports it first."""
    tools = node.require("esbuild", "@pyroscope/nodejs")
    (change,) = [c for c in _node_profiling() if c.service == service]
    repo = shutil.copytree(SAMPLES / change.repo.full_name.replace("/", "+"), tmp_path / "repo")
    edits = apply_steps(change.steps, repo)
    assert not edits.error, edits.error
    (created,) = [
        s.path
        for s in change.steps
        if s.codemod == "web.create_from_template" and s.params.template == "pyroscope-init.ts"
    ]
    work = tmp_path / "service"
    work.mkdir()
    fmt = FORMATS[service]
    node.transpile(edits.files[created], work / "profiling.js", fmt=fmt)
    (work / "package.json").write_text(
        json.dumps({"type": "module" if fmt == "esm" else "commonjs"})
    )
    load = "import './profiling.js'" if fmt == "esm" else "require('./profiling.js')"
    (work / "main.js").write_text(MAIN.format(load=load))
    if with_sdk:
        (work / "node_modules").symlink_to(tools / "node_modules")
    return work


def _run(work: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", "main.js"], cwd=work, env={"PATH": os.environ["PATH"], **env},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _warnings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if WARNING in line]


def test_every_node_profiling_change_set_is_covered():
    assert {c.service for c in _node_profiling()} == set(FORMATS)


@pytest.mark.parametrize("service", sorted(FORMATS))
def test_profiling_off_without_the_sdk_installed_starts(tmp_path, service):
    result = _run(_service(tmp_path, service, with_sdk=False))
    assert (result.returncode, result.stdout) == (0, "started\n"), result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("service", sorted(FORMATS))
def test_profiling_on_without_the_sdk_installed_warns_once_and_starts(tmp_path, service):
    work = _service(tmp_path, service, with_sdk=False)
    result = _run(work, PYROSCOPE_SERVER_ADDRESS=closed_port_url())
    assert (result.returncode, result.stdout) == (0, "started\n"), result.stderr
    (warning,) = _warnings(result)
    assert "@pyroscope/nodejs" in warning


@pytest.mark.parametrize("service", sorted(FORMATS))
def test_profiling_on_with_init_throwing_warns_once_and_starts(tmp_path, service):
    work = _service(tmp_path, service, with_sdk=True)
    # the real SDK's init() rejects '{' in the application name (checkPyroscopeConfig)
    env = {"PYROSCOPE_SERVER_ADDRESS": closed_port_url(), "PYROSCOPE_APPLICATION_NAME": "bad{name"}
    result = _run(work, **env)
    assert (result.returncode, result.stdout) == (0, "started\n"), result.stderr
    (warning,) = _warnings(result)
    assert "Invalid config" in warning and "appName must not contain" in result.stderr
