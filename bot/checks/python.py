"""Python sources must still parse and compile after an edit."""

from __future__ import annotations

import ast

from bot.checks import CheckResult, register_file_check


def check_python(path: str, text: str) -> CheckResult:
    try:
        compile(ast.parse(text, filename=path), path, "exec")
    except SyntaxError as exc:
        return CheckResult("ast", path, "failed", f"line {exc.lineno}: {exc.msg}")
    return CheckResult("ast", path, "passed")


register_file_check((".py",), check_python)
