"""Run a package-manager command: captured output, a timeout, an environment without the bot's secrets."""

from __future__ import annotations

import logging
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.workspace.lockfiles.model import LockError

log = logging.getLogger(__name__)

# The target repository's tools never see the bot's GitHub credentials.
_WITHHELD = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_APP_PRIVATE_KEY_FILE",
    "GITHUB_APP_ID",
    "GITHUB_APP_INSTALLATION_ID",
)
# ... nor the bot's own virtualenv: Poetry would resolve with that interpreter instead of its own
_BOT_ONLY = ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONHOME", "PYTHONPATH")
_TAIL = 12  # lines of a failing tool's output kept in the reason


def tool_env(environ: Mapping[str, str], **extra: str) -> dict[str, str]:
    env = {name: value for name, value in environ.items() if name not in _WITHHELD + _BOT_ONLY}
    env.update(extra)
    return env


def run(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float, what: str
) -> subprocess.CompletedProcess[str]:
    """Run; raise LockError naming `what` with the tool's last lines when it fails or times out."""
    result = attempt(argv, cwd=cwd, env=env, timeout=timeout)
    if result.returncode != 0:
        raise LockError(f"{what} failed (exit {result.returncode}): {tail(result)}")
    return result


def attempt(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run and return whatever happened; a timeout or a missing executable is a LockError."""
    log.info("$ (cd %s && %s)", cwd, shlex.join(argv))
    try:
        return subprocess.run(
            list(argv), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise LockError(
            f"`{shlex.join(argv[-3:])}` did not finish within {timeout:.0f} s"
        ) from None
    except OSError as exc:
        raise LockError(f"cannot run {argv[0]}: {exc.strerror}") from None


def tail(result: subprocess.CompletedProcess[str], lines: int = _TAIL) -> str:
    """The last meaningful lines of a tool's output, joined on one line."""
    text = (result.stderr or "") + "\n" + (result.stdout or "")
    kept = [line.strip() for line in text.splitlines() if line.strip() and not _noise(line)]
    return " | ".join(kept[-lines:]) or "(no output)"


def _noise(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(
        ("npm error A complete log", "npm error   --", "npm error Usage", "info Visit",
         "Progress: resolved", "If you need the full list")  # pnpm's progress and hints
    )  # fmt: skip
