"""TS/JS sources must still parse (esbuild) and Vue components still compile (@vue/compiler-sfc).

The parsers run in one node process per batch (tools/node/check-syntax.mjs). Without node or the
installed tools (`npm ci` in tools/node) every file is `skipped` with the reason, never `passed`.
BOT_NODE_TOOLS_DIR points at another tools directory (one with node_modules installed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bot.checks import CheckResult, register_batch_check

SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".vue")
TOOLS_ENV = "BOT_NODE_TOOLS_DIR"
_SCRIPT = "check-syntax.mjs"
_TIMEOUT_SECONDS = 120


def tools_dir() -> Path:
    """tools/node next to the `bot` package, unless BOT_NODE_TOOLS_DIR says otherwise."""
    override = os.environ.get(TOOLS_ENV)
    return Path(override) if override else Path(__file__).resolve().parents[2] / "tools" / "node"


def _checker(path: str) -> str:
    return "@vue/compiler-sfc" if path.endswith(".vue") else "esbuild"


def _missing_tool(directory: Path, files: dict[str, str]) -> str:
    """Why the parsers cannot run, or '' when they can."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    # no absolute paths in reasons: they go into PR bodies, which must not differ between machines
    if not (directory / _SCRIPT).is_file():
        return f"the bot's node tools ({_SCRIPT}) were not found; set {TOOLS_ENV} to the checkout's tools/node"
    for package in sorted({_checker(path) for path in files}):
        if not (directory / "node_modules" / package / "package.json").is_file():
            return f"{package} is not installed (run `npm ci --prefix tools/node`)"
    return ""


def check_sources(files: dict[str, str]) -> list[CheckResult]:
    """Parse every file in one node process; one result per file, in path order."""
    paths = sorted(files)
    directory = tools_dir()
    if reason := _missing_tool(directory, files):
        return [CheckResult(_checker(path), path, "skipped", reason) for path in paths]
    payload = json.dumps([{"path": path, "text": files[path]} for path in paths])
    try:
        run = subprocess.run(
            ["node", str(directory / _SCRIPT)],
            input=payload,
            capture_output=True,
            text=True,
            cwd=directory,
            timeout=_TIMEOUT_SECONDS,
            check=False,  # a parse error is data, read from stdout
        )
    except subprocess.TimeoutExpired:
        return [CheckResult(_checker(path), path, "skipped", "parser timed out") for path in paths]
    if run.returncode != 0:
        reason = f"{_SCRIPT} failed: {run.stderr.strip()[-500:]}"
        return [CheckResult(_checker(path), path, "skipped", reason) for path in paths]
    return [
        CheckResult(
            item["checker"],
            item["path"],
            "failed" if item["error"] else "passed",
            item["error"] or "",
        )
        for item in json.loads(run.stdout)
    ]


register_batch_check(SUFFIXES, check_sources)
