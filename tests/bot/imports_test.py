"""Dependencies point one way: each bot/ package imports only from lower layers (docs/design.md),
codemods/ never imports bot/, PyGithub stays in bot/forge/github*.py, GitPython in bot/workspace/
and Playwright in bot/stack/browser.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# lowest first; a module may import its own package and anything listed before it
LAYERS = [
    {"bot.errors", "bot.secrets"},
    {"bot.checks"},
    {"bot.campaign"},
    {"bot.forge"},
    {"bot.workspace"},
    {"bot.stack"},
    {"bot.rollout", "bot.verify"},
    {"bot.tracking"},
    {"bot.cli"},
]
CLIENT_LIBRARIES = {
    "github": "bot/forge/github",  # github.py, github_base.py, github_pulls.py, github_labels.py, github_issues.py
    "git": "bot/workspace/",
    "playwright": "bot/stack/browser.py",  # headless Chromium for live checks
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _unit(module: str) -> str | None:
    """The layer unit a dotted name belongs to: bot.<package>, or None outside bot."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None
    unit = ".".join(parts[:2])
    return unit if any(unit in layer for layer in LAYERS) else None


def _rank(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def _modules(pattern: str) -> list[Path]:
    return sorted(ROOT.glob(pattern))


def test_every_bot_package_has_a_layer() -> None:
    units = {f"bot.{p.stem if p.is_file() else p.name}" for p in (ROOT / "bot").iterdir()}
    units -= {"bot.__init__", "bot.__pycache__"}
    assert {unit for unit in units if _unit(unit) is None} == set()


def test_bot_packages_import_only_lower_layers() -> None:
    wrong = set()
    for path in _modules("bot/**/*.py"):
        if path == ROOT / "bot" / "__init__.py":
            continue
        own = _unit(".".join(path.relative_to(ROOT).with_suffix("").parts))
        assert own is not None, path
        for name in _imports(path):
            target = _unit(name)
            if target is not None and target != own and _rank(target) >= _rank(own):
                wrong.add((str(path.relative_to(ROOT)), name))
    assert wrong == set()


def test_codemods_never_import_bot() -> None:
    wrong = {
        (str(path.relative_to(ROOT)), name)
        for path in _modules("codemods/**/*.py")
        for name in _imports(path)
        if name.split(".")[0] == "bot"
    }
    assert wrong == set()


def test_client_libraries_stay_in_their_modules() -> None:
    found = {
        (lib, str(path.relative_to(ROOT)))
        for path in [*_modules("bot/**/*.py"), *_modules("codemods/**/*.py")]
        for lib in CLIENT_LIBRARIES
        if lib in {name.split(".")[0] for name in _imports(path)}
    }
    outside = {
        (lib, module) for lib, module in found if not module.startswith(CLIENT_LIBRARIES[lib])
    }
    assert outside == set()
    assert ("github", "bot/forge/github.py") in found and (
        "git",
        "bot/workspace/branch.py",
    ) in found
    assert ("playwright", "bot/stack/browser.py") in found


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from bot.cli.options import select\nimport bot.rollout.apply\n")
    assert {_unit(name) for name in _imports(module)} == {"bot.cli", "bot.rollout"}
    assert _rank("bot.cli") > _rank("bot.rollout") > _rank("bot.campaign")
