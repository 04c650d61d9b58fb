"""TS/JS sources must still parse (esbuild) and Vue components still compile (@vue/compiler-sfc).

The parsers run in one long-lived node process per run (node_runtime/check-syntax.mjs, node_process.py). Without node or the
installed tools (`npm ci` in tools/node) every file is `skipped` with the reason, never `passed`.
BOT_NODE_TOOLS_DIR points at another tools directory (one with node_modules installed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.checks import CheckResult, register_batch_check
from bot.checks.node_process import NodeError, process

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
    try:
        answer = process(_SCRIPT, directory).request(
            [{"path": path, "text": files[path]} for path in paths], _TIMEOUT_SECONDS
        )
    except NodeError as exc:
        return [CheckResult(_checker(path), path, "skipped", str(exc)) for path in paths]
    return [
        CheckResult(
            item["checker"],
            item["path"],
            "failed" if item["error"] else "passed",
            item["error"] or "",
        )
        for item in answer
    ]


register_batch_check(SUFFIXES, check_sources)
