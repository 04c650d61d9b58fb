"""Run the bot's real file checks (esbuild, @vue/compiler-sfc, jinja2, json, ast) on codemod output."""

from __future__ import annotations

import warnings

from bot.checks import check_files


def assert_parses(path: str, text: str) -> None:
    """No registered parser rejects `text`; a parser that could not run is a warning, not a pass."""
    results = check_files({path: text})
    failed = [result.line() for result in results if result.status == "failed"]
    assert not failed, failed
    for result in results:
        if result.status == "skipped":
            warnings.warn(result.line(), stacklevel=2)
