"""A loopback PyPI for the lockfile tests: pypiserver over a directory of wheels the tests build."""

from __future__ import annotations

import base64
import hashlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_wheel(dest: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """A pure-Python wheel with one module and the given Requires-Dist lines."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": f'__version__ = "{version}"\n',
        f"{info}/METADATA": "\n".join(
            ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", "Requires-Python: >=3.8",
             *[f"Requires-Dist: {req}" for req in requires]]
        ) + "\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }  # fmt: skip
    record = [
        f"{path},sha256={_digest(text.encode())},{len(text.encode())}"
        for path, text in files.items()
    ]
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    dest.mkdir(parents=True, exist_ok=True)
    wheel = dest / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(zipfile.ZipInfo(path, (2026, 1, 1, 0, 0, 0)), text)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@dataclass
class PyPIServer:
    packages: Path
    url: str  # the simple index, e.g. http://127.0.0.1:PORT/simple
    process: subprocess.Popen

    def add(self, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
        build_wheel(self.packages, name, version, requires)

    def remove(self, name: str) -> None:
        for wheel in self.packages.glob(f"{canonicalize_name(name).replace('-', '_')}-*.whl"):
            wheel.unlink()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_pypiserver(packages: Path, log: Path) -> PyPIServer:
    """pypiserver on a free loopback port; never falls back to a public index for unknown names."""
    packages.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = shutil.which("pypi-server", path=str(Path(sys.executable).parent)) or "pypi-server"
    process = subprocess.Popen(
        [server, "run", "--host", "127.0.0.1", "--port", str(port), "--disable-fallback",
         "--backend", "simple-dir", "--hash-algo", "sha256", "-a", ".", "-P", ".", str(packages)],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/simple"
    _wait_for(url + "/", process)
    return PyPIServer(packages, url, process)


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"registry exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"registry did not answer {url} within {seconds} s")
