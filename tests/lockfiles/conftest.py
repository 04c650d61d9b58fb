"""Loopback registries (Verdaccio, pypiserver) serving packages the tests build, and the package
managers installed once per session into a tool cache by the bot's own installer, from the configured
registries (.ci/run's mirrors). Each test's environment then points the tools at the loopback ones."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.workspace.lockfiles import LockSettings
from bot.workspace.lockfiles.model import LockError, LockJob
from bot.workspace.lockfiles.regenerate import ECOSYSTEMS
from bot.workspace.lockfiles.tools import ToolCache
from tests.helpers.npm_registry import VERDACCIO, NpmRegistry, start_verdaccio
from tests.helpers.pypi_registry import PyPIServer, start_pypiserver
from tests.lockfiles import fixtures

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("BOT_TEST_TOOLS_DIR") or ROOT / ".workspace" / "test-tools")
AMBIENT = dict(os.environ)  # before any test's monkeypatching: the machine's registry configuration


@pytest.fixture(scope="session")
def npm_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NpmRegistry]:
    if shutil.which("node") is None or not VERDACCIO.is_file():
        pytest.skip("verdaccio is not installed (npm ci --prefix tools/registry)")
    registry = start_verdaccio(tmp_path_factory.mktemp("verdaccio"))
    for name, version, dependencies in fixtures.NPM_PACKAGES:
        registry.publish(name, version, dependencies)
    yield registry
    registry.stop()


@pytest.fixture(scope="session")
def pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PyPIServer]:
    if shutil.which("pypi-server", path=str(Path(os.sys.executable).parent)) is None:
        pytest.skip("pypiserver is not installed (the test extra)")
    directory = tmp_path_factory.mktemp("pypi")
    server = start_pypiserver(directory / "packages", directory / "pypiserver.log")
    for name, version, requires in fixtures.PYTHON_PACKAGES:
        server.add(name, version, requires)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tool_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repos' own tools, installed on demand by the bot's installer (the first run pays, later ones reuse)."""
    scratch = tmp_path_factory.mktemp("tool-probe")
    settings = LockSettings(TOOLS, AMBIENT)
    cache = ToolCache(TOOLS, AMBIENT)
    for files in fixtures.TOOL_PROBES:
        repo = fixtures.write(scratch / files["lock"], files["files"])
        job = LockJob(repo, fixtures.posix(files["lock"]), ())
        try:
            ECOSYSTEMS[job.lock.name].tool(job, cache, settings)
        except LockError as exc:
            pytest.skip(
                f"cannot install {files['lock']}'s tool from the configured registries: {exc}"
            )
    return TOOLS


def registry_settings(
    npm: NpmRegistry, pypi: PyPIServer, tools: Path, cache_home: Path
) -> LockSettings:
    """The environment the tools see: the loopback registries, and this machine's npm habit of
    omitting resolved URLs (the regenerated lock must keep them anyway)."""
    environ = {
        **AMBIENT,
        "npm_config_registry": npm.url,
        "npm_config_omit_lockfile_registry_resolved": "true",
        "PIP_INDEX_URL": pypi.url,
        "XDG_CACHE_HOME": str(cache_home),
        "npm_config_cache": str(cache_home / "npm"),
        "CI": "true",  # as on CI: pnpm then freezes lockfiles unless told not to
    }
    for name in ("BOT_LOCKFILES", "UV_INDEX_URL", "UV_DEFAULT_INDEX"):
        environ.pop(name, None)
    return LockSettings(tools, environ, timeout=300)


@pytest.fixture(scope="session")
def base_repos(
    npm_registry: NpmRegistry,
    pypi: PyPIServer,
    tool_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, str]]:
    """Each miniature repo with a lock its own tool made; then newer releases appear in the registries."""
    scratch = tmp_path_factory.mktemp("base-locks")
    settings = registry_settings(npm_registry, pypi, tool_cache, scratch / "cache")
    # the repos' locks record resolved URLs, whatever the machine that regenerates them is set to
    settings = LockSettings(
        tool_cache, {**settings.environ, "npm_config_omit_lockfile_registry_resolved": "false"}
    )
    cache = ToolCache(tool_cache, settings.environ)
    repos = {}
    for name, spec in fixtures.REPOS.items():
        repo = fixtures.write(scratch / name, spec["files"])
        job = LockJob(repo, fixtures.posix(spec["lock"]), ())
        ecosystem = ECOSYSTEMS[job.lock.name]
        job.path.touch()
        tool = ecosystem.tool(
            job, cache, settings
        )  # Poetry's version comes from the stub lock's header
        job.path.unlink()  # then the tool writes the lock from scratch
        ecosystem.relock(job.directory, tool, settings)
        repos[name] = {**spec["files"], spec["lock"]: job.path.read_text()}
    for package, version, dependencies in fixtures.NPM_LATER:
        npm_registry.publish(package, version, dependencies)
    for package, version, requires in fixtures.PYTHON_LATER:
        pypi.add(package, version, requires)
    return repos


@pytest.fixture
def lock_settings(
    npm_registry: NpmRegistry, pypi: PyPIServer, tool_cache: Path, tmp_path: Path
) -> LockSettings:
    return registry_settings(npm_registry, pypi, tool_cache, Path(os.environ["XDG_CACHE_HOME"]))
