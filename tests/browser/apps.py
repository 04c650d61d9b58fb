"""Build and run what the bot generates: a sample repo with a change set applied by the engine.

`generated_repo` copies `samples/<owner>+<repo>` and runs the change set's steps through
`bot.changes.apply_steps`, the way `bot apply` does. `esbuild` bundles a frontend or a server with
tools/node's esbuild (tools/node/bundle-app.mjs). `run_server` starts a process and waits until its
port answers HTTP. Nothing here knows a particular app; tests/browser/surfaces.py does.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from bot.campaign.load import load_campaign
from bot.checks.node import tools_dir
from bot.rollout.changes import apply_steps
from tests.helpers import node

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = load_campaign(ROOT)
BUILD_SCRIPT = "bundle-app.mjs"  # in tools/node, where its packages resolve
SDK_PACKAGES = ("@grafana/faro-web-sdk", "@grafana/faro-web-tracing")


def generated_repo(dest: Path, sample: str, service: str, change: str = "rum") -> Path:
    """samples/<sample> copied to dest with the service's change set applied."""
    shutil.copytree(ROOT / "samples" / sample, dest)
    [change_set] = [c for c in CAMPAIGN.change_sets([service]) if c.key == change]
    edits = apply_steps(change_set.steps, dest)
    assert not edits.error, edits.error
    assert edits.files, f"{service} {change}: the change set changed nothing"
    return dest


def link_node_modules(directory: Path) -> None:
    """tools/node's packages, resolvable from everything under directory."""
    tools = node.require("esbuild", "@vue/compiler-sfc", *SDK_PACKAGES)
    (directory / "node_modules").symlink_to(tools / "node_modules")


def esbuild(cwd: Path, **options: object) -> dict:
    """Bundle with tools/node/bundle-app.mjs (options: esbuild's, plus vue=True); the metafile."""
    result = node.run(
        ["node", str(tools_dir() / BUILD_SCRIPT), json.dumps(options)], cwd=cwd, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "[WARNING]" not in result.stderr, result.stderr
    return json.loads((cwd / str(options["outdir"]) / "meta.json").read_text())


def sdk_chunks(meta: dict) -> set[str]:
    """Output files (by name) that hold code of the Faro SDK packages."""
    return {
        Path(output).name
        for output, details in meta["outputs"].items()
        if any("@grafana/faro" in source for source in details.get("inputs", {}))
    }


def node_output(args: list[str], cwd: Path) -> str:
    result = node.run(args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def run_server(
    args: list[str], cwd: Path, port: int, env: dict[str, str], ready_path: str = "/"
) -> Iterator[str]:
    """Run args in cwd with env (plus PATH) until the port answers ready_path (yields its origin);
    stop it after."""
    environment = {"PATH": os.environ["PATH"], **env}
    with tempfile.TemporaryFile("w+") as log:  # a file, not a pipe: a chatty server never blocks
        process = subprocess.Popen(args, cwd=cwd, env=environment, stdout=log, stderr=log)
        origin = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(process, origin + ready_path, log)
            yield origin
        finally:
            process.kill()
            process.wait()


def python_server(module: str, cwd: Path, port: int, env: dict[str, str], ready_path: str):
    """uvicorn serving module (e.g. `app:app`) from cwd."""
    args = [sys.executable, "-m", "uvicorn", module, "--host", "127.0.0.1", "--port", str(port)]
    return run_server(args, cwd, port, {"PYTHONPATH": str(cwd), **env}, ready_path)


def _wait_until_up(
    process: subprocess.Popen, url: str, log: IO[str], timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"server exited ({process.returncode}): {log.read()}")
        try:
            with urlopen(url, timeout=2):
                return
        except HTTPError:
            return  # it answers
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"server did not answer {url} within {timeout}s")
