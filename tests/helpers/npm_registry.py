"""A loopback npm registry for the lockfile tests: Verdaccio (tools/registry) with no uplinks,
serving packages the tests build and publish over the registry's own publish API."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.helpers.pypi_registry import _wait_for, free_port

VERDACCIO = (
    Path(__file__).resolve().parents[2]
    / "tools"
    / "registry"
    / "node_modules"
    / "verdaccio"
    / "bin"
    / "verdaccio"
)


def tarball(manifest: dict) -> bytes:
    """An npm package tarball: package/package.json and nothing else."""
    data = json.dumps(manifest, indent=2).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/package.json")
        info.size, info.mtime, info.mode = len(data), 1767225600, 0o644
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass
class NpmRegistry:
    url: str  # ends with /
    token: str
    process: subprocess.Popen

    def publish(self, name: str, version: str, dependencies: dict[str, str] | None = None) -> None:
        manifest = {"name": name, "version": version, "dependencies": dependencies or {}}
        data = tarball(manifest)
        filename = f"{name.split('/')[-1]}-{version}.tgz"
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        document = {
            "_id": name, "name": name, "dist-tags": {"latest": version},
            "versions": {version: {**manifest, "_id": f"{name}@{version}", "dist": {
                "tarball": f"{self.url}{name}/-/{filename}", "shasum": hashlib.sha1(data).hexdigest(),
                "integrity": integrity}}},
            "_attachments": {filename: {"content_type": "application/octet-stream",
                                        "data": base64.b64encode(data).decode(), "length": len(data)}},
        }  # fmt: skip
        self._request("PUT", quote(name, safe="@"), document)

    def _request(self, method: str, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method=method,
            headers={"content-type": "application/json", "authorization": f"Bearer {self.token}"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_verdaccio(directory: Path) -> NpmRegistry:
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = directory / "config.yaml"
    config.write_text(
        f"storage: {directory / 'storage'}\n"
        f"auth:\n  htpasswd:\n    file: {directory / 'htpasswd'}\n"
        "uplinks: {}\n"  # nothing beyond what the tests publish
        "packages:\n  '**':\n    access: $all\n    publish: $authenticated\n"
        "log: {type: stdout, format: pretty, level: warn}\n"
    )
    process = subprocess.Popen(
        ["node", str(VERDACCIO), "--config", str(config), "--listen", f"127.0.0.1:{port}"],
        stdout=(directory / "verdaccio.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    _wait_for(url + "-/ping", process)
    user = {
        "name": "tests",
        "password": "tests-" + hashlib.sha1(str(port).encode()).hexdigest()[:12],
    }
    registry = NpmRegistry(url, "", process)
    registry.token = registry._request("PUT", "-/user/org.couchdb.user:tests", user)["token"]
    return registry
