"""Issue 17, Python: the generated profiler start helpers never stop a service from starting.

Each profiling change set is applied by the engine to a copy of its sample repository; the service
module is then imported and started for real in a subprocess (FastAPI apps through TestClient, so
their lifespan/startup hooks run; ACA-Py's `main`; the traction plugin's `setup`). An import hook
in that process hides `pyroscope` (the real pyroscope-io is installed here) or replaces it with a
stand-in whose configure() raises. Only acapy_agent, a dependency of the traction plugin that is
not installed here, is a stub.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.rollout.changes import apply_steps
from tests.helpers.upstream import closed_port_url

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CAMPAIGN = load_campaign(ROOT)
WARNING = "Pyroscope profiling not started, running without it"

# service -> (directory the service runs from, its logger, the code that starts it)
TESTCLIENT = "from fastapi.testclient import TestClient\nwith TestClient(m.app) as client:\n"
SERVICES = {
    "acapy": (
        "",
        "acapy_agent.__main__",
        "import acapy_agent.__main__ as m\nm.main(['aca-py', 'help'])",
    ),
    "vc-authn": (
        "oidc-controller",
        "api.main",
        "import api.main as m\n"
        + TESTCLIENT
        + "    assert client.get('/health').status_code == 200",
    ),
    "endorser": (
        "endorser",
        "api.main",
        "import api.main as m\n"
        + TESTCLIENT
        + "    assert client.get('/health').status_code == 200",
    ),
    "didwebvh": (
        "server",
        "app",
        "import app as m\n"
        + TESTCLIENT
        + "    assert client.get('/api/health').status_code == 200",
    ),
    "traction": (
        "plugins/traction_innkeeper",
        "traction_innkeeper.v1_0",
        (
            "import asyncio, types\nfrom traction_innkeeper.v1_0 import setup\n"
            "asyncio.run(setup(types.SimpleNamespace(settings={'multitenant.enabled': True})))"
        ),
    ),
}
# the distribution whose metadata gives the version tag, where it comes from package metadata
# (acapy through acapy_agent/version.py); the other two read APP_VERSION
METADATA = {
    "acapy": "acapy-agent",
    "traction": "traction-innkeeper",
    "didwebvh": "didwebvh-server-py",
}

RUNNER = """\
import importlib.abc, importlib.machinery, logging, os, sys

MODE = os.environ["TEST_PYROSCOPE"]  # installed | missing | raising


class Raising(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        def configure(**kwargs):
            raise RuntimeError("configure() failed (stand-in)")

        module.configure = configure


class Pyroscope(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] != "pyroscope" or MODE == "installed":
            return None
        if MODE == "missing":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return importlib.machinery.ModuleSpec(name, Raising())


sys.meta_path.insert(0, Pyroscope())
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
sys.path[:0] = [os.getcwd(), os.environ["TEST_STUBS"]]
"""
ACAPY_STUB = {
    "acapy_agent/__init__.py": "",
    "acapy_agent/config/__init__.py": "",
    "acapy_agent/config/injection_context.py": "class InjectionContext:\n    settings: dict\n",
}


def _python_profiling():
    return [
        c
        for c in CAMPAIGN.change_sets()
        if c.key == "profiling" and any(s.codemod == "python.add_startup_call" for s in c.steps)
    ]


def _patched(tmp_path: Path, service: str, installed: bool = True) -> Path:
    """The patched sample; `installed`: its distribution metadata is on the path, as in the image."""
    (change,) = [c for c in _python_profiling() if c.service == service]
    repo = shutil.copytree(SAMPLES / change.repo.full_name.replace("/", "+"), tmp_path / "repo")
    edits = apply_steps(change.steps, repo)
    assert not edits.error, edits.error
    stubs = tmp_path / "stubs"
    for name, text in ACAPY_STUB.items():
        (stubs / name).parent.mkdir(parents=True, exist_ok=True)
        (stubs / name).write_text(text)
    if installed and service in METADATA:
        dist_info = stubs / f"{METADATA[service].replace('-', '_')}-1.0.0.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {METADATA[service]}\nVersion: 1.0.0\n"
        )
    return repo


def _start(
    tmp_path: Path, service: str, pyroscope: str, installed: bool = True, **env: str
) -> subprocess.CompletedProcess:
    repo = _patched(tmp_path, service, installed)
    directory, _, start = SERVICES[service]
    script = RUNNER + start + "\nprint('STARTED', 'pyroscope' in sys.modules)\n"
    environment = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "TEST_PYROSCOPE": pyroscope,
        "TEST_STUBS": str(tmp_path / "stubs"), **env,
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", script], cwd=repo / directory, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _warnings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if WARNING in line]


def test_every_python_profiling_change_set_is_covered():
    assert {c.service for c in _python_profiling()} == set(SERVICES)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_profiling_off_without_pyroscope_installed_starts_and_imports_nothing(tmp_path, service):
    result = _start(tmp_path, service, "missing")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "STARTED False", "the profiler package was imported"
    assert _warnings(result) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
@pytest.mark.parametrize(
    ("pyroscope", "error"),
    [
        ("missing", "ModuleNotFoundError(\"No module named 'pyroscope'\")"),
        ("raising", "RuntimeError('configure() failed (stand-in)')"),
    ],
    ids=["package-missing", "configure-raises"],
)
def test_profiling_on_failure_is_one_warning_then_the_service_starts(
    tmp_path, service, pyroscope, error
):
    result = _start(tmp_path, service, pyroscope, PYROSCOPE_SERVER_ADDRESS=closed_port_url())
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("STARTED")
    logger = SERVICES[service][1]
    assert _warnings(result) == [f"WARNING {logger}: {WARNING}: {error}"]


@pytest.mark.parametrize("service", sorted(METADATA))
def test_profiling_on_with_package_metadata_missing_is_one_warning_then_start(tmp_path, service):
    with pytest.raises(metadata.PackageNotFoundError):  # as after `poetry install --no-root`
        metadata.version(METADATA[service])
    address = closed_port_url()
    result = _start(
        tmp_path, service, "installed", installed=False, PYROSCOPE_SERVER_ADDRESS=address
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "STARTED True"
    logger = SERVICES[service][1]
    assert _warnings(result) == [
        f"WARNING {logger}: {WARNING}: PackageNotFoundError('{METADATA[service]}')"
    ]


def test_traction_plugin_unit_test_covers_every_line_of_its_start_helper(tmp_path):
    """The plugin's CI holds coverage at 90%: the change set brings the helper's own test."""
    repo = _patched(tmp_path, "traction") / "plugins/traction_innkeeper"
    module = repo / "traction_innkeeper/v1_0/__init__.py"
    test = "traction_innkeeper/v1_0/tests/test_profiling.py"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": f"{repo}{os.pathsep}{tmp_path / 'stubs'}",
    }
    run = [
        sys.executable,
        "-m",
        "coverage",
        "run",
        f"--include={module}",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        test,
    ]
    done = subprocess.run(
        run, cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
    report = tmp_path / "coverage.json"
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "-o", str(report)],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    (measured,) = json.loads(report.read_text())["files"].values()
    (helper,) = [
        n
        for n in ast.parse(module.read_text()).body
        if getattr(n, "name", "") == "_start_profiling"
    ]
    body = set(range(helper.body[1].lineno, helper.end_lineno + 1))  # after the docstring
    assert body & set(measured["missing_lines"]) == set()
    assert body & set(measured["executed_lines"]), "the helper never ran"
