"""`bot gate --report` and `bot verify --report`: the fake stack judges, the fake GitHub's tracking issues
get the ticks, the evidence comment and the dashboard's verdicts; without --report nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN
from tests.fake_stack.kube import workload
from tests.fake_stack.stack import FakeStack, running
from tests.helpers.publishing import bot_environment
from tests.helpers.tracking import (
    ROOT,
    add_tracking_repo,
    issue_of,
    run_sync,
    tracked_campaign,
    write_tracked_campaign,
)


@pytest.fixture
def world(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeGitHub, FakeStack]]:
    fake.add_user("rollout-bot", TOKEN)
    add_tracking_repo(fake)
    run_sync(fake, tracked_campaign())  # `bot track` filed the 29 issues
    for name, value in bot_environment(fake, TOKEN).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BOT_CAMPAIGN", str(write_tracked_campaign(tmp_path / "campaign")))
    with running(tmp_path / "stack") as stack:
        for name, value in stack.environ().items():
            monkeypatch.setenv(name, value)
        yield fake, stack


def ticked(body: str) -> list[str]:
    return [line[6:] for line in body.splitlines() if line.startswith("- [x] ")]


def test_gate_report_ticks_what_the_gate_proves_on_the_go_no_go_item(world, capsys) -> None:
    github, _ = world
    before = len(github.requests)
    assert main(["gate", "--env", "dev", "--timeout", "30"]) == 0  # without --report
    assert [r for r in github.requests[before:] if r.write] == []

    assert main(["gate", "--env", "dev", "--timeout", "30", "--report"]) == 0

    issue = issue_of(github, "validation-gate")
    assert ticked(issue.body) == [
        "Pyroscope /ready endpoint returns healthy in ca7f8f-dev",
        "Alloy faro.receiver accepts a test POST to /collect without error",
        "Test Faro payload visible as a log entry in Grafana → Loki (dev)",
    ]
    assert len(issue.comments) == 1 and "### `bot gate --env dev`" in issue.comments[0].body
    assert "`faro-collect`: " in issue.comments[0].body
    assert "✅ 3 passed" in issue_of(github, "dashboard").body
    before = len(github.requests)

    assert main(["gate", "--env", "dev", "--timeout", "30", "--report"]) == 0  # same verdicts again
    assert [r for r in github.requests[before:] if r.write] == []


def test_verify_report_ticks_the_proved_box_and_shows_the_failure_on_the_dashboard(
    world, capsys
) -> None:
    github, stack = world
    labels = {"app.kubernetes.io/name": "acapy", "app.kubernetes.io/instance": "acapy"}
    env = {"acapy": {"env": {"PYROSCOPE_SERVER_ADDRESS": "http://alloy:9999"}}}
    stack.kube.add("ca7f8f-dev", workload("Deployment", "acapy", labels, env))
    stack.pyroscope.profiles.clear()

    code = main(
        [
            "verify",
            "--env",
            "dev",
            "--service",
            "acapy",
            "--change",
            "profiling-helm",
            "--timeout",
            "30",
            "--report",
        ]
    )

    assert code == 1  # "Profiling data visible in Pyroscope" failed: acapy-agent sends nothing yet
    issue = issue_of(github, "acapy-profiling-helm")
    assert ticked(issue.body) == ["PYROSCOPE_SERVER_ADDRESS env var present in deployed pod"]
    assert len(issue.comments) == 1
    evidence = issue.comments[0].body
    assert (
        "`apps/v1 -l app.kubernetes.io/name=acapy,app.kubernetes.io/instance=acapy container acapy`"
        in evidence
    )
    link = f"#issuecomment-{issue.comments[0].id}"
    dashboard = issue_of(github, "dashboard").body
    failed = (
        f"- #{issue.number} Profiling data visible in Pyroscope: ❌ failed · `bot verify --env dev`"
    )
    assert failed in dashboard and link in dashboard.split(failed)[1].splitlines()[0]
    assert "tracking issues: 1 commented" in capsys.readouterr().err


def test_verify_report_on_one_environment_ticks_nothing_of_the_infrastructure(
    world, capsys
) -> None:
    github, _ = world

    main(["verify", "--env", "dev", "--service", "platform", "--timeout", "30", "--report"])

    issue = issue_of(github, "pyroscope-deploy")
    assert ticked(issue.body) == [] and len(issue.comments) == 1
    assert "Nothing ticked: this item deploys to several environments" in issue.comments[0].body
    assert "passed · `bot verify --env dev`" in issue.body  # the verdicts are recorded all the same


def test_report_with_a_placeholder_tracking_repo_stops_before_any_check(
    world, capsys, monkeypatch
) -> None:
    github, stack = world
    monkeypatch.setenv("BOT_CAMPAIGN", str(ROOT))
    before = len(github.requests)
    assert main(["gate", "--env", "dev", "--report"]) == 2
    assert "before `bot gate --report`" in capsys.readouterr().err
    assert github.requests[before:] == [] and stack.pyroscope.profiles == []
