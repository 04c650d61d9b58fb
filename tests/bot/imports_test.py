"""Dependencies point one way: PyGithub only in bot/github.py, GitPython only in the git modules,
Playwright only in bot/stack/browser.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# samples.py builds the offline sample repositories
ALLOWED = {
    "github": {"bot/github.py"},
    "git": {"bot/workspace.py", "bot/publish.py", "bot/samples.py"},
    "playwright": {"bot/stack/browser.py"},  # headless Chromium for live checks
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_client_libraries_stay_in_their_modules() -> None:
    found = {
        (lib, str(path.relative_to(ROOT)))
        for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("codemods/**/*.py")]
        for lib in ALLOWED
        if lib in imported_roots(path)
    }
    assert {(lib, module) for lib, module in found if module not in ALLOWED[lib]} == set()
    assert ("github", "bot/github.py") in found and ("git", "bot/publish.py") in found
    assert ("playwright", "bot/stack/browser.py") in found
