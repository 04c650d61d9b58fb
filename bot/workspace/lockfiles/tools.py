"""Package managers installed on demand into a versioned cache (`<workspace>/tools/<name>/<version>`)
and reused by later change sets and runs. Installs go through the environment's own registries:
npm for pnpm, Yarn and npm itself, pip for Poetry and uv."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from bot.workspace.lockfiles.run import run, tool_env

log = logging.getLogger(__name__)

_DONE = ".bot-installed"  # written last: a directory without it is an interrupted install
_threads: dict[Path, threading.Lock] = {}
_guard = threading.Lock()


class ToolCache:
    def __init__(self, root: Path, environ: Mapping[str, str], timeout: float = 900.0):
        self.root, self.environ, self.timeout = root, environ, timeout

    def npm_tool(self, package: str, version: str) -> Path:
        """The bin directory of `package@version` installed from the npm registry (no install scripts)."""
        target = self.root / package / version
        with _exclusive(target):
            if not (target / _DONE).is_file():
                self._fresh(target)
                run(
                    ["npm", "install", "--prefix", str(target), "--ignore-scripts", "--no-audit", "--no-fund",
                     "--loglevel=error", f"{package}@{version}"],
                    cwd=target, env=tool_env(self.environ), timeout=self.timeout,
                    what=f"installing {package} {version} with npm",
                )  # fmt: skip
                (target / _DONE).write_text(f"{package}@{version}\n")
        return target / "node_modules" / ".bin"

    def python_tool(
        self, package: str, version: str, python: str | None = None, suffix: str = ""
    ) -> Path:
        """The bin directory of a virtualenv (made from `python`, default the bot's) with package==version."""
        target = self.root / package / (version + suffix)
        with _exclusive(target):
            if not (target / _DONE).is_file():
                self._fresh(target)
                interpreter = python or sys.executable
                what = f"installing {package} {version} with pip"
                env = tool_env(self.environ)
                run(
                    [interpreter, "-m", "venv", str(target)],
                    cwd=self.root,
                    env=env,
                    timeout=self.timeout,
                    what=what,
                )
                run(
                    [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{package}=={version}"],
                    cwd=self.root, env=env, timeout=self.timeout, what=what,
                )  # fmt: skip
                (target / _DONE).write_text(f"{package}=={version}\n")
        return target / "bin"

    def _fresh(self, target: Path) -> None:
        log.info("installing into the tool cache: %s", target)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)


@contextlib.contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """One installer per tool directory: threads of this run and other bot processes."""
    with _guard:
        lock = _threads.setdefault(target, threading.Lock())
    target.parent.mkdir(parents=True, exist_ok=True)
    with lock, open(target.with_name(target.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
