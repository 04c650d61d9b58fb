"""Which uv relocks a uv.lock: an exact required-version, else the uv the repo's Dockerfile pins when it
writes the lock's revision (didwebvh-server-py copies uv 0.9.7: +26 -4 lock lines, where 0.11.33 also
dropped two wheel lines), else the newest uv that writes the revision."""

from __future__ import annotations

import pytest

from bot.workspace.lockfiles.model import LockError
from bot.workspace.lockfiles.uv import _uv_version

LOCK3 = 'version = 1\nrevision = 3\nrequires-python = ">=3.13"\n'
DOCKER = "FROM python:3.13-slim\nCOPY --from=ghcr.io/astral-sh/uv:{} /uv /uvx /bin/\n"


def project(tmp_path, dockerfile: str = "", uv_table: str = "", at_root: bool = False):
    server = tmp_path / "server"
    server.mkdir(parents=True)
    (server / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "1"\n{uv_table}')
    if dockerfile:
        ((tmp_path if at_root else server) / "Dockerfile").write_text(dockerfile)
    return server


def test_the_dockerfile_pin_wins_when_it_writes_the_lock_revision(tmp_path):
    assert _uv_version(project(tmp_path, DOCKER.format("0.9.7")), LOCK3, tmp_path) == "0.9.7"


def test_a_pin_at_the_repository_root_counts_too(tmp_path):
    server = project(tmp_path, "RUN pip install uv==0.10.12\n", at_root=True)
    assert _uv_version(server, LOCK3, tmp_path) == "0.10.12"


@pytest.mark.parametrize(
    "pin", ["0.5.31", "0.13.8"]
)  # writes another revision: it would rewrite it
def test_a_pin_that_writes_another_revision_is_not_used(tmp_path, pin):
    assert _uv_version(project(tmp_path, DOCKER.format(pin)), LOCK3, tmp_path) == "0.11.33"


def test_required_version_still_decides(tmp_path):
    server = project(tmp_path, DOCKER.format("0.9.7"), '[tool.uv]\nrequired-version = ">=0.10"\n')
    assert _uv_version(server, LOCK3, tmp_path) == "0.11.33"
    exact = project(
        tmp_path / "b", DOCKER.format("0.9.7"), '[tool.uv]\nrequired-version = "==0.10.12"\n'
    )
    assert _uv_version(exact, LOCK3, tmp_path / "b") == "0.10.12"


def test_a_required_version_that_excludes_the_writer_fails(tmp_path):
    server = project(tmp_path, uv_table='[tool.uv]\nrequired-version = "<0.9"\n')
    with pytest.raises(LockError, match=r"excludes uv 0\.11\.33"):
        _uv_version(server, LOCK3, tmp_path)
