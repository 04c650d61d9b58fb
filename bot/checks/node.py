"""TS/JS sources must still parse (esbuild) and Vue components still compile (@vue/compiler-sfc).

The parsers run in one long-lived node process per run (node_runtime/check-syntax.mjs, through
node_process.py) with the packages node_tools.py finds or installs. Without node or the packages
every file is `skipped` with the reason, never `passed`.
"""

from __future__ import annotations

from bot.checks import CheckResult, register_batch_check
from bot.checks.node_process import NodeError, process
from bot.checks.node_tools import TOOLS_ENV, find, tools_dir

# tools_dir: where the tests find the checkout's node tools
__all__ = ["SUFFIXES", "TOOLS_ENV", "check_sources", "tools_dir"]

SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".vue")
_SCRIPT = "check-syntax.mjs"
_TIMEOUT_SECONDS = 120


def _checker(path: str) -> str:
    return "@vue/compiler-sfc" if path.endswith(".vue") else "esbuild"


def check_sources(files: dict[str, str]) -> list[CheckResult]:
    """Parse every file in one node process; one result per file, in path order."""
    paths = sorted(files)
    directory = find({_checker(path) for path in paths})
    if isinstance(directory, str):
        return [CheckResult(_checker(path), path, "skipped", directory) for path in paths]
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
