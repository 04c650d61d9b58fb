"""Publishing waits for the go/no-go gate: per-service change sets for settings.service_gate (dev), others
for their own `requires: [gate:<env>]`. A failed gate pushes nothing; --skip-gate publishes and says so in
the PR body; a dry-run says what each change set waits for. A temp campaign with two fake stacks (dev
healthy, test not ready) and the fake GitHub."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.fake_github import FakeGitHub
from tests.fake_stack.stack import TENANT, FakeStack, running
from tests.helpers.campaign import PYROSCOPE_STEPS, SERVICE_FILES, campaign, item, write_campaign

TOKEN = "ghp_" + "gate".ljust(36, "0")  # assembled: no token-shaped literal


@pytest.fixture
def stacks(tmp_path: Path) -> Iterator[tuple[FakeStack, FakeStack]]:
    with running(tmp_path / "dev-stack") as dev, running(tmp_path / "test-stack") as test:
        test.pyroscope.not_ready = "Metastore not ready: no leader"
        yield dev, test


@pytest.fixture
def setup(fake: FakeGitHub, stacks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    dev, test = stacks
    items = [
        item("svc-profiling", "svc", ["phase-3", "profiling"]),
        item("svc-deploy", "svc", ["phase-3", "infrastructure"]),
    ]
    data = campaign({"svc": "example/svc"}, items)
    data["settings"]["service_gate"] = "dev"
    data["environments"] = {"dev": dev.environment(), "test": test.environment("ca7f8f-test")}
    steps = copy.deepcopy(PYROSCOPE_STEPS)
    changes = {
        "profiling": {"item": "svc-profiling", "subject": "add profiling", "steps": steps},
        # an infrastructure-style change set: deploys to prod once test's gate passed
        "deploy": {"item": "svc-deploy", "subject": "deploy the stack", "steps": steps, "requires": ["gate:test"],
                   "environment": "test"},
    }  # fmt: skip
    root = write_campaign(
        tmp_path / "campaign", data, {"svc": {"service": "svc", "changes": changes}}
    )
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo("example/svc", SERVICE_FILES, roles={"rollout-bot": "write"})
    for name, value in {
        "GITHUB_API_URL": fake.api_url, "GITHUB_TOKEN": TOKEN, "BOT_GITHUB_REQUEST_INTERVAL": "0",
        "BOT_GITHUB_WRITE_INTERVAL": "0", "BOT_LOKI_TENANT": TENANT, "BOT_TEMPO_TENANT": TENANT,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    return [
        "--campaign",
        str(root),
        "--workspace",
        str(tmp_path / "ws"),
        "--clone-url-template",
        fake.clone_url_template(),
    ]


def test_a_passed_gate_is_written_into_the_pr_body(setup, fake: FakeGitHub, stacks, capsys) -> None:
    assert main(["apply", "--service", "svc", "--change", "profiling", "--no-diff", *setup]) == 0
    err = capsys.readouterr().err
    assert "publishing waits for `bot gate --env dev`" in err and "gate dev: GO" in err
    (pull,) = fake.pulls("example/svc")
    assert (
        "### Go/no-go gate\n- `bot gate --env dev` passed before this PR was published" in pull.body
    )
    assert "  - passed: faro-loki\n" in pull.body
    assert "  - skipped: grafana-datasource (no Grafana URL" in pull.body
    _dev, test = stacks
    assert (
        test.pyroscope.log == []
    )  # the test stack was not asked: this change set waits for dev only


def test_a_failed_gate_pushes_nothing_and_says_why(setup, fake: FakeGitHub, stacks, capsys) -> None:
    assert main(["apply", "--service", "svc", "--change", "deploy", "--no-diff", *setup]) == 1
    out, err = capsys.readouterr()
    assert "gate test: NO-GO" in err
    assert out.startswith("nothing pushed: the gate for test failed: pyroscope-ready (Pyroscope is not ready (503): "
                          "Metastore not ready: no leader)")  # fmt: skip
    assert "--skip-gate" in out
    assert fake.pushes() == [] and fake.pulls("example/svc") == []


def test_skip_gate_publishes_and_the_pr_body_says_so(
    setup, fake: FakeGitHub, stacks, capsys
) -> None:
    assert (
        main(
            ["apply", "--service", "svc", "--change", "deploy", "--no-diff", "--skip-gate", *setup]
        )
        == 0
    )
    assert "--skip-gate: not running `bot gate --env test`" in capsys.readouterr().err
    (pull,) = fake.pulls("example/svc")
    assert "- Published with `--skip-gate`: `bot gate --env test` was NOT run" in pull.body
    assert stacks[1].pyroscope.log == []


def test_dry_run_says_what_each_change_set_waits_for(
    setup, fake: FakeGitHub, stacks, capsys, tmp_path
) -> None:
    assert (
        main(
            [
                "apply",
                "--service",
                "svc",
                "--dry-run",
                "--output-dir",
                str(tmp_path / "out"),
                *setup,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "   waits for: gate:dev (published only after `bot gate --env dev` passed)" in out
    assert "   waits for: gate:test (published only after `bot gate --env test` passed)" in out
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    assert [c["waits_for"] for c in summary] == [["gate:dev"], ["gate:test"]]
    assert [server.log for stack in stacks for server in stack.servers] == [
        []
    ] * 14  # a dry-run runs no gate
