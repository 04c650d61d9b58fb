"""One long-lived node process per parser script and tools directory, shared by the whole run.

Starting node and loading esbuild or a schema package costs far more than a parse, so each script
runs once and answers one JSON line per request line (the loop in serve.mjs, appended to it).
The scripts are the bot's package data, run with `--eval` from the tools directory so that their
imports resolve against its node_modules. Requests are serialised by a lock; a process that died is restarted on
the next request, and one that does not answer within the timeout is killed (NodeError).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

RUNTIME = Path(__file__).with_name(
    "node_runtime"
)  # the scripts (and the lock) shipped with the bot


class NodeError(Exception):
    """The script could not answer: it died, timed out, or failed on the request."""


class NodeProcess:
    def __init__(self, script: str, tools: Path) -> None:
        self.script, self.tools = script, tools
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def request(self, payload: Any, timeout: float) -> Any:
        """The script's answer to `payload`; NodeError when there is none."""
        with self._lock:
            process = self._running()
            assert process.stdin is not None
            try:
                process.stdin.write(json.dumps(payload).encode() + b"\n")
                process.stdin.flush()
                line = self._read_line(process, timeout)
            except (BrokenPipeError, NodeError) as exc:
                reason = str(exc) if isinstance(exc, NodeError) else ""
                raise NodeError(reason or self._stop_with_reason()) from None
            try:
                reply = json.loads(line)
            except ValueError:  # something printed to stdout: the replies can no longer be matched
                self.stop()
                raise NodeError(
                    f"{self.script} failed: its answer is not JSON: {line[:200]!r}"
                ) from None
            if "error" in reply:
                raise NodeError(f"{self.script} failed: {reply['error'][-500:]}")
            return reply["result"]

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self.stop()
        source = (RUNTIME / self.script).read_text() + (RUNTIME / "serve.mjs").read_text()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the process; read when it dies)
        self._process = subprocess.Popen(
            ["node", "--input-type=module", "--eval", source],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=self.tools,
        )
        return self._process

    def _read_line(self, process: subprocess.Popen[bytes], timeout: float) -> bytes:
        assert process.stdout is not None
        stdout = process.stdout.fileno()
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self.stop()
                    raise NodeError(f"{self.script} timed out after {timeout:g}s")
                chunk = os.read(stdout, 1 << 16)
                if not chunk:
                    raise NodeError(self._stop_with_reason())
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    return b"".join(chunks)

    def _stop_with_reason(self) -> str:
        process, stderr = self._process, self._stderr
        code = None
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):  # stop() kills it
                code = process.wait(timeout=5)
        text = b""
        if stderr is not None:
            stderr.seek(0)
            text = stderr.read()
        self.stop()
        detail = " ".join(text.decode(errors="replace").split())[-500:]
        return f"{self.script} failed: {detail or f'node exited with {code}'}"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # the script's read loop ends and node exits
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


_PROCESSES: dict[tuple[str, Path], NodeProcess] = {}
_PROCESSES_LOCK = threading.Lock()


def process(script: str, tools: Path) -> NodeProcess:
    """The run's process for `script` with the node_modules of `tools` (not started until used)."""
    with _PROCESSES_LOCK:
        key = (script, tools.resolve())
        if key not in _PROCESSES:
            _PROCESSES[key] = NodeProcess(script, key[1])
        return _PROCESSES[key]


@atexit.register
def stop_all() -> None:
    with _PROCESSES_LOCK:
        for each in _PROCESSES.values():
            each.stop()
        _PROCESSES.clear()
