"""The real SDKs against the fake stack: the profiler start code the bot generates (the real recipes, applied
by the engine to the bundled samples) runs with the real pyroscope-io and @pyroscope/nodejs, pushing to the
fake Alloy profile receiver, which forwards to the fake Pyroscope. Then `bot verify` must find both
application names: the generated code, the wire formats and the verifier agree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.cli import main
from bot.rollout.changes import apply_steps
from tests.fake_stack.stack import FakeStack, running
from tests.helpers import node

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = load_campaign(ROOT)
BUSY_PYTHON = """
import sys, time
sys.path.insert(0, {repo!r})
from acapy_agent.__main__ import main
main(["acapy_agent", "start"])  # the patched main() starts the profiler first
started, x = time.time(), 0
while time.time() - started < 2:
    x += sum(i * i for i in range(2000))
import pyroscope
pyroscope.shutdown()  # flushes the last profile
"""
BUSY_NODE = """require('./profiling.js')
let x = 0
const work = setInterval(() => { for (let i = 0; i < 1e6; i++) x += Math.sqrt(i) }, 10)
setTimeout(() => { clearInterval(work); process.exit(0) }, 2500)
"""


def _patched(tmp: Path, sample: str, service: str, change: str) -> Path:
    repo = tmp / sample
    shutil.copytree(ROOT / "samples" / sample, repo)
    (step_set,) = [c for c in CAMPAIGN.change_sets([service]) if c.key == change]
    edits = apply_steps(step_set.steps, repo)
    assert not edits.error, edits.error
    return repo


def _run_python_agent(tmp: Path, address: str) -> None:
    pytest.importorskip("pyroscope", reason="pyroscope-io is not installed (the test extra)")
    repo = _patched(tmp, "openwallet-foundation+acapy", "acapy", "profiling")
    # acapy_agent/version.py reads the installed distribution's version, as after `pip install acapy-agent`
    (repo / "acapy_agent-1.3.0.dist-info").mkdir()
    (repo / "acapy_agent-1.3.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acapy-agent\nVersion: 1.3.0\n"
    )
    env = {"PATH": os.environ["PATH"], "PYROSCOPE_SERVER_ADDRESS": address}
    done = subprocess.run([sys.executable, "-c", BUSY_PYTHON.format(repo=str(repo))], env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


def _run_node_agent(tmp: Path, address: str) -> None:
    tools = node.require("esbuild", "@pyroscope/nodejs")
    repo = _patched(tmp, "bcgov+BC-Wallet-Demo", "bc-wallet", "profiling")
    work = tmp / "node"
    work.mkdir()
    node.transpile((repo / "server/src/profiling.ts").read_text(), work / "profiling.js", fmt="cjs")
    (work / "package.json").write_text(json.dumps({"type": "commonjs"}))
    (work / "node_modules").symlink_to(tools / "node_modules")
    (work / "main.js").write_text(BUSY_NODE)
    env = {
        "PATH": os.environ["PATH"], "PYROSCOPE_SERVER_ADDRESS": address,
        "PYROSCOPE_FLUSH_INTERVAL_MS": "500", "PYROSCOPE_WALL_SAMPLING_DURATION_MS": "500",
        "PYROSCOPE_WALL_COLLECT_CPU_TIME": "true",
    }  # fmt: skip
    done = subprocess.run(
        ["node", "main.js"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeStack]:
    """Both agents have run against the stack; the BOT_* variables point at it."""
    tmp = tmp_path_factory.mktemp("sdk")
    with running(tmp) as stack:
        _run_python_agent(tmp, stack.alloy_profiles.url)
        _run_node_agent(tmp, stack.alloy_profiles.url)
        saved = dict(os.environ)
        os.environ.update(stack.environ())
        try:
            yield stack
        finally:
            os.environ.clear()
            os.environ.update(saved)


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["verify", "--env", "dev", "--json", "--timeout", "30", *args])
    return code, json.loads(capsys.readouterr().out)["criteria"]


def test_python_agent_pushes_what_verify_finds(profiled: FakeStack, capsys) -> None:
    pushed = [path for method, path in profiled.alloy_profiles.log if method == "POST"]
    assert "/push.v1.PusherService/Push" in pushed  # pyroscope-io 1.x: gzip protobuf over Connect
    code, criteria = verify(capsys, "--service", "acapy", "--change", "profiling")
    verdicts = {c["criterion"]: c for c in criteria}
    assert code == 0, criteria
    data = verdicts["Profiling data appears in Grafana Pyroscope for acapy-agent"]
    assert (data["verdict"], data["evidence"]["count"]) == ("passed", 1)
    assert data["evidence"]["query"] == 'LabelValues service_name {service_name="acapy-agent"}'
    flames = verdicts["CPU flame graphs visible and navigable"]
    assert flames["verdict"] == "passed", flames
    assert (
        "SelectMergeStacktraces process_cpu:cpu:nanoseconds:cpu:nanoseconds"
        in flames["evidence"]["query"]
    )
    assert verdicts["No measurable performance regression"]["verdict"] == "manual"


def test_node_agent_pushes_what_verify_finds(profiled: FakeStack, capsys) -> None:
    ingested = [path for method, path in profiled.alloy_profiles.log if path == "/ingest"]
    assert ingested  # @pyroscope/nodejs: pprof to /ingest
    code, criteria = verify(capsys, "--service", "bc-wallet", "--change", "profiling")
    assert code == 0, criteria
    assert [(c["criterion"], c["verdict"]) for c in criteria] == [
        ("Profiling data for bc-wallet-demo-server visible in Pyroscope", "passed")
    ]


def test_one_verify_run_finds_both_application_names(profiled: FakeStack, capsys) -> None:
    code, criteria = verify(
        capsys, "--service", "acapy", "--service", "bc-wallet", "--change", "profiling"
    )
    assert code == 0
    found = [
        c["evidence"]["detail"] for c in criteria if c["criterion"].startswith("Profiling data")
    ]
    assert found == ["found: acapy-agent", "found: bc-wallet-demo-server"]
