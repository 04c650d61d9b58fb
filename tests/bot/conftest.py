"""Guards and fixtures for the GitHub-side tests: no HTTP request leaves loopback (tests/conftest.py isolates git)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import REQUIRE_TOOLS
from tests.fake_github import FakeGitHub


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every HTTP request PyGithub (or anything on requests) makes must go to 127.0.0.1."""
    send = requests.adapters.HTTPAdapter.send

    def guarded(self, request, *args, **kwargs):
        host = urlsplit(request.url).hostname
        if not _loopback(host):
            raise RuntimeError(
                f"test tried to reach {request.url}: only the loopback fake GitHub is allowed"
            )
        return send(self, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", guarded)


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub(tmp_path / "github") as server:
        if REQUIRE_TOOLS and server.validator is None:
            pytest.fail(
                "BOT_REQUIRE_TOOLS=1 but GitHub's OpenAPI description is not installed (npm ci --prefix tools/node)"
            )
        yield server
    if server.validator is not None and server.validator.errors:
        pytest.fail(
            "outside GitHub's OpenAPI description:\n" + "\n".join(server.validator.errors),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def rsa_key() -> tuple[str, str]:
    """(private PEM, public PEM) for a test GitHub App."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public
