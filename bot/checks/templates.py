"""Jinja templates must still parse after an edit.

`.jinja`/`.j2` files always; `.html` files when they hold Jinja tags or live under a templates
directory (vc-authn's html-templates/ are rendered by a jinja2 Environment). Only `parse` runs:
compiling would also need each app's custom filters (didwebvh registers `regex_replace`).
"""

from __future__ import annotations

import re

from jinja2 import Environment, TemplateSyntaxError

from bot.checks import CheckResult, register_file_check

_JINJA_TAG = re.compile(r"\{%|\{#")
_TEMPLATES_DIR = re.compile(r"(^|/)[^/]*templates?/")


def is_jinja(path: str, text: str) -> bool:
    if path.endswith((".jinja", ".j2")):
        return True
    return bool(_JINJA_TAG.search(text) or _TEMPLATES_DIR.search(path))


def check_template(path: str, text: str) -> CheckResult | None:
    if not is_jinja(path, text):
        return None
    try:
        Environment().parse(text, filename=path)
    except TemplateSyntaxError as exc:
        return CheckResult("jinja2", path, "failed", f"line {exc.lineno}: {exc.message}")
    return CheckResult("jinja2", path, "passed")


register_file_check((".jinja", ".j2", ".html", ".htm"), check_template)
