"""The node tools for `pip install` users: the shipped lock matches tools/node, installs on first use
with npm ci (from a loopback Verdaccio here), is reused afterwards, and an offline machine gets a reason."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.checks import check_files, node_tools
from bot.checks.node_process import RUNTIME
from tests.helpers.npm_registry import VERDACCIO, NpmRegistry, start_verdaccio
from tests.helpers.pypi_registry import free_port

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("bot-node-tools-probe", "1.0.0")


def _dependencies(package_json: Path) -> dict[str, str]:
    return dict(json.loads(package_json.read_text())["dependencies"])


def test_the_shipped_versions_are_those_of_tools_node() -> None:
    shipped = _dependencies(RUNTIME / "package.json")
    checkout = _dependencies(ROOT / "tools/node/package.json")
    assert shipped == {name: checkout[name] for name in shipped}
    lock = json.loads((RUNTIME / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == shipped
    for name, version in shipped.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert not re.search(r'"resolved": "https?://', (RUNTIME / "package-lock.json").read_text())


def test_the_shipped_packages_are_what_the_scripts_import() -> None:
    imported = set()
    for script in RUNTIME.glob("*.mjs"):
        for specifier in re.findall(r"^import .* from '([^']+)'", script.read_text(), re.MULTILINE):
            if not specifier.startswith("node:"):
                parts = specifier.split("/")
                imported.add("/".join(parts[:2] if specifier.startswith("@") else parts[:1]))
    assert imported == set(_dependencies(RUNTIME / "package.json"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NpmRegistry]:
    if shutil.which("npm") is None or not VERDACCIO.is_file():
        pytest.skip("verdaccio is not installed (npm ci --prefix tools/registry)")
    served = start_verdaccio(tmp_path_factory.mktemp("verdaccio"))
    served.publish(*PROBE)
    yield served
    served.stop()


@pytest.fixture
def no_checkout_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As after `pip install`: no tools/node, no override; a workspace of its own; a clean npm cache."""
    monkeypatch.delenv(node_tools.TOOLS_ENV, raising=False)
    monkeypatch.setattr(node_tools, "_CHECKOUT", tmp_path / "no-checkout")
    monkeypatch.setattr(node_tools, "_found", {})
    monkeypatch.setattr(node_tools, "_config", {"workspace": tmp_path / "workspace"})
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    return tmp_path / "workspace"


def _runtime(directory: Path, registry_url: str) -> Path:
    """A runtime like the shipped one, depending on the probe package, locked against `registry_url`."""
    directory.mkdir()
    (directory / "package.json").write_text(
        json.dumps({"name": "runtime", "private": True, "dependencies": {PROBE[0]: PROBE[1]}})
    )
    subprocess.run(
        ["npm", "install", "--package-lock-only", "--registry", registry_url,
         "--omit-lockfile-registry-resolved"],
        cwd=directory, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return directory


def test_first_use_installs_with_npm_ci_and_later_runs_reuse_it(
    registry: NpmRegistry,
    no_checkout_tools: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(node_tools, "RUNTIME", _runtime(tmp_path / "runtime", registry.url))
    monkeypatch.setenv("npm_config_registry", registry.url)
    installed = node_tools.resolve()
    assert isinstance(installed, Path), installed
    assert installed.parent == no_checkout_tools / "node-tools"
    manifest = installed / "node_modules" / PROBE[0] / "package.json"
    assert json.loads(manifest.read_text())["version"] == PROBE[1]

    registry.stop()  # a later run needs no registry: the install is reused
    monkeypatch.setattr(node_tools, "_found", {})
    assert node_tools.resolve() == installed
    assert manifest.is_file()


def test_offline_without_a_cache_the_checks_skip_with_the_reason(
    no_checkout_tools: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed to try the install")
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{free_port()}/")  # nothing listens
    [result] = check_files({"src/a.ts": "export {}\n"})
    assert result.status == "skipped"
    assert result.detail.startswith("installing the bot's node tools failed (npm ci: ")
    assert "run the bot once with access to the npm registry" in result.detail
    assert not (node_tools.install_dir() / ".bot-installed").exists()


def test_the_checkout_tools_win_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(node_tools.TOOLS_ENV, raising=False)
    if not (ROOT / "tools/node/node_modules").is_dir():
        pytest.skip("tools/node has no node_modules (npm ci --prefix tools/node)")
    assert node_tools.resolve() == ROOT / "tools" / "node"


def test_the_override_wins_over_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(node_tools.TOOLS_ENV, str(tmp_path))
    assert node_tools.resolve() == tmp_path
