"""The fake itself: its OpenAPI validation really rejects bad traffic, its git endpoint enforces auth."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import requests
from github import Github

from tests.fake_github import FakeGitHub, payloads
from tests.fake_github.clients import TOKEN
from tests.fake_github.openapi import MISSING_SPEC, OPERATIONS, load_full_spec

needs_spec = pytest.mark.skipif(load_full_spec() is None, reason=MISSING_SPEC)
REPO = "org/svc"


@pytest.fixture
def world(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo(REPO, roles={"rollout-bot": "write"})
    fake.commit(REPO, "feature", {"f.txt": "f\n"})
    return fake


def api(fake: FakeGitHub, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(
        method,
        fake.api_url + path,
        headers={"Authorization": f"token {TOKEN}"},
        timeout=10,
        **kwargs,
    )


@needs_spec
def test_every_operation_is_in_github_s_description() -> None:
    spec = load_full_spec()
    assert all(method in spec["paths"][path] for method, path in OPERATIONS)


@needs_spec
def test_a_response_missing_a_required_field_is_reported(
    world: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = payloads.pull
    monkeypatch.setattr(
        payloads,
        "pull",
        lambda *a, **k: {k_: v for k_, v in real(*a, **k).items() if k_ != "title"},
    )

    api(
        world,
        "POST",
        f"/repos/{REPO}/pulls",
        json={"head": "org:feature", "base": "main", "title": "t"},
    )

    errors, world.validator.errors = list(world.validator.errors), []
    assert errors == [
        f"POST /api/v3/repos/{REPO}/pulls -> 201: response: .: 'title' is a required property"
    ]


@needs_spec
def test_a_request_outside_the_description_is_reported(world: FakeGitHub) -> None:
    api(world, "POST", f"/repos/{REPO}/pulls", json={"head": "org:feature", "title": "no base"})
    api(world, "GET", f"/repos/{REPO}/pulls", params={"state": "merged"})

    errors, world.validator.errors = list(world.validator.errors), []
    assert len(errors) == 2
    assert errors[0].startswith(
        f"POST /api/v3/repos/{REPO}/pulls: request: .: 'base' is a required property"
    )
    assert (
        errors[1].startswith(f"GET /api/v3/repos/{REPO}/pulls: request:") and "merged" in errors[1]
    )


@needs_spec
def test_allowances_are_used_only_for_the_known_gaps(world: FakeGitHub) -> None:
    api(
        world,
        "POST",
        f"/repos/{REPO}/pulls",
        json={"head": "org:feature", "base": "main", "title": "t"},
    )
    api(
        world, "POST", f"/repos/{REPO}/issues/1/labels", json=["a"]
    )  # PyGithub's bare array: allowed
    api(
        world, "POST", f"/repos/{REPO}/issues/1/labels", json={"labels": [1]}
    )  # not strings: an error

    assert [a.split(": ", 1)[0] for a in world.validator.allowed] == [
        f"POST /api/v3/repos/{REPO}/issues/1/labels"
    ]
    errors, world.validator.errors = list(world.validator.errors), []
    where = f"POST /api/v3/repos/{REPO}/issues/1/labels"
    assert errors == [
        f"{where}: request: .: {{'labels': [1]}} is not valid under any of the given schemas"
    ]


def test_injected_faults_answer_then_stop(world: FakeGitHub) -> None:
    world.inject("GET", rf"^/repos/{REPO}$", 502, times=2)
    assert [api(world, "GET", f"/repos/{REPO}").status_code for _ in range(3)] == [502, 502, 200]
    assert [r.fault for r in world.requests] == [True, True, False]


def test_git_over_http_needs_the_right_token(world: FakeGitHub, tmp_path: Path) -> None:
    world.add_user("reader", "ghp_reader")
    url = f"{world.server_url}/{REPO}.git"
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(tmp_path),
    }

    def git(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
        extra = []
        if token:
            import base64

            header = base64.b64encode(f"x-access-token:{token}".encode()).decode()
            extra = [
                "-c",
                f"http.extraHeader=Authorization: Basic {header}",
            ]  # test-only: argv is fine here
        return subprocess.run(  # noqa: PLW1510  (the exit code is asserted)
            ["git", *extra, *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )

    assert git("clone", "--quiet", url, "anon").returncode == 0  # public: anyone reads
    work = tmp_path / "anon"
    subprocess.run(
        ["git", "-C", str(work), "commit", "--allow-empty", "-qm", "x"],
        env={
            **env,
            "GIT_AUTHOR_NAME": "a",
            "GIT_AUTHOR_EMAIL": "a@x",
            "GIT_COMMITTER_NAME": "a",
            "GIT_COMMITTER_EMAIL": "a@x",
        },
        check=True,
    )
    anonymous = git("-C", str(work), "push", url, "HEAD:refs/heads/x")
    reader = git("-C", str(work), "push", url, "HEAD:refs/heads/x", token="ghp_reader")
    writer = git("-C", str(work), "push", url, "HEAD:refs/heads/x", token=TOKEN)

    assert anonymous.returncode != 0 and "terminal prompts disabled" in anonymous.stderr
    assert reader.returncode != 0 and "403" in reader.stderr
    assert writer.returncode == 0 and world.repo(REPO).ref_sha("x") is not None


def test_network_guard_stops_requests_to_real_github() -> None:
    with pytest.raises(
        RuntimeError,
        match=re.escape("test tried to reach https://api.github.com:443/repos/bcgov/traction"),
    ):
        _ = Github(retry=None).get_repo("bcgov/traction").full_name
