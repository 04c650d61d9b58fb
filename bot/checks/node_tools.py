"""Where the node parsers find their packages (esbuild, @vue/compiler-sfc, the Argo CD schemas).

In order:
1. BOT_NODE_TOOLS_DIR, a directory with node_modules installed (whatever it holds);
2. tools/node of the bot's checkout, when `npm ci` ran there (developers, CI);
3. `<workspace>/node-tools/<lock digest>`: installed on first use from the lock the bot ships
   (node_runtime/package-lock.json, the same pinned versions as tools/node) with
   `npm ci --ignore-scripts`, under a file lock, and reused by every later run. `bot apply` sets the
   workspace; other callers use the default workspace, `$XDG_CACHE_HOME/phase3-bot` (~/.cache).
An install that fails (offline, no npm) is not retried in the same run: the checks are `skipped`
with the reason.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path

from bot.checks.node_process import RUNTIME

TOOLS_ENV = "BOT_NODE_TOOLS_DIR"
_CHECKOUT = Path(__file__).resolve().parents[2] / "tools" / "node"
_SHIPPED = ("package.json", "package-lock.json")
_INSTALL_TIMEOUT = 600
_DONE = ".bot-installed"  # written last: a directory without it is an interrupted install

_lock = threading.Lock()
_config: dict[str, Path] = {}  # "workspace": set by configure()
_found: dict[Path, Path | str] = {}  # install directory -> its tools, or why they are missing


def configure(workspace: Path) -> None:
    """Install into this workspace (bot apply's --workspace) instead of the default one."""
    _config["workspace"] = workspace


def tools_dir() -> Path:
    """The tools directory of a checkout: BOT_NODE_TOOLS_DIR, else tools/node next to `bot`."""
    override = os.environ.get(TOOLS_ENV)
    return Path(override) if override else _CHECKOUT


def resolve() -> Path | str:
    """A directory whose node_modules the parsers import from, or why there is none."""
    target = current()
    if target == tools_dir():
        return target
    with _lock:  # one install per run, and one answer for every change set
        if target not in _found:
            _found[target] = _install(target)
        return _found[target]


def current() -> Path:
    """The directory `resolve` answers with, without installing anything."""
    if os.environ.get(TOOLS_ENV) or (_CHECKOUT / "node_modules").is_dir():
        return tools_dir()
    return install_dir()


def install_dir() -> Path:
    workspace = _config.get("workspace") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "phase3-bot"
    )
    lock = (RUNTIME / "package-lock.json").read_bytes()
    return workspace / "node-tools" / hashlib.sha256(lock).hexdigest()[:16]


def _install(target: Path) -> Path | str:
    if (target / _DONE).is_file():
        return target
    if shutil.which("npm") is None:
        return f"the bot's node tools are not installed and npm is not on PATH; {_HOW_TO_FIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another run may be installing the same tools
        try:
            if (target / _DONE).is_file():
                return target
            return _npm_ci(target)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_HOW_TO_FIX = (
    "run the bot once with access to the npm registry, or set "
    f"{TOOLS_ENV} to a directory with esbuild, @vue/compiler-sfc and @kubernetes-models/argo-cd installed"
)


def _npm_ci(target: Path) -> Path | str:
    shutil.rmtree(target, ignore_errors=True)  # an interrupted install starts over
    target.mkdir(parents=True)
    for name in _SHIPPED:
        shutil.copyfile(RUNTIME / name, target / name)
    command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        done = subprocess.run(
            command,
            cwd=target,
            capture_output=True,
            text=True,
            timeout=_INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"installing the bot's node tools (npm ci) timed out; {_HOW_TO_FIX}"
    if done.returncode != 0:
        # the last line names the cause (ENOTFOUND, ECONNREFUSED, E404) without machine paths
        lines = [
            line for line in done.stderr.splitlines() if "npm error" in line and "/" not in line
        ]
        cause = lines[0].removeprefix("npm error ").strip() if lines else f"exit {done.returncode}"
        return f"installing the bot's node tools failed (npm ci: {cause}); {_HOW_TO_FIX}"
    (target / _DONE).write_text("")
    return target


def find(packages: set[str]) -> Path | str:
    """The tools directory when node and `packages` are there, else why the parsers cannot run."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    found = resolve()
    if isinstance(found, str):
        return found
    for package in sorted(packages):
        if not (found / "node_modules" / package / "package.json").is_file():
            return f"{package} is not in the node tools (`npm ci --prefix tools/node` in a checkout, or set {TOOLS_ENV})"
    return found
