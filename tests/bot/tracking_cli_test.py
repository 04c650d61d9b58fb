"""`bot track`, then `bot apply --all` and `bot status`, end to end on the fake GitHub serving the
sample repos and a tracking repo: 29 issues filed once, PRs linking their items, the dashboard and
`bot status` telling the same story, and the token nowhere in the output."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.cli import main
from tests.fake_github import FakeGitHub
from tests.helpers.node import parse_mermaid_pie
from tests.helpers.publishing import bot_environment, serve_samples
from tests.helpers.tracking import (
    ROOT,
    TRACKING,
    add_tracking_repo,
    issue_of,
    write_tracked_campaign,
)

CANARY = "ghp_" + "trackcanary".ljust(36, "0")  # token-shaped, assembled: no token-like literal


@pytest.fixture
def github(fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    fake.add_user("rollout-bot", CANARY)
    serve_samples(fake, "rollout-bot")
    add_tracking_repo(fake)
    for name, value in bot_environment(fake, CANARY).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BOT_CAMPAIGN", str(write_tracked_campaign(tmp_path / "campaign")))
    return fake


def tracking_requests(fake: FakeGitHub, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests[since:] if TRACKING in r.path]


def dashboard_rows(body: str) -> dict[str, dict]:
    hidden = re.search(r"<!-- phase-3-bot:rows (.*?) -->", body)
    assert hidden is not None
    return json.loads(hidden[1])


def test_track_files_29_once_apply_links_them_and_status_agrees_with_the_dashboard(
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    outputs = []
    campaign = load_campaign(tmp_path / "campaign")
    caplog.set_level(logging.DEBUG)

    assert main(["-vv", "track"]) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert "29 issues: 29 filed" in out and len(github.issues(TRACKING)) == 29
    numbers = {item: issue_of(github, item).number for item in campaign.items}
    before = len(github.requests)

    assert main(["track"]) == 0
    outputs += list(capsys.readouterr())
    assert "29 issues: 29 unchanged" in outputs[-2]
    assert [r for r in github.requests[before:] if r.write] == []
    assert tracking_requests(github, before) == [
        f"GET /repos/{TRACKING}",
        f"GET /repos/{TRACKING}/issues",
    ]

    apply = [
        "apply",
        "--all",
        "--no-diff",
        "--no-lockfiles",
        "--skip-gate",
        "--workspace",
        str(tmp_path / "ws"),
    ]
    assert main(apply) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    # the 24 items that got PRs list them, the dashboard shows them; the other 4 stay as they were
    assert re.search(r"^dashboard http://\S+/issues/29: 4 unchanged, 25 updated$", err, re.M), err
    for change in (c for c in campaign.change_sets() if not c.skip):
        pull = next(p for p in github.pulls(change.repo.full_name) if p.head_ref == change.branch)
        number = numbers[change.item.id]
        if change.item.id == "pyroscope-deploy":  # dev, test and prod: none closes the item alone
            expected = f"Refs {TRACKING}#{number} (one of the item's 3 pull requests: none closes it alone)\n"
        else:
            expected = f"Closes {TRACKING}#{number}\n"  # the item's only PR
        assert expected in pull.body, change.id
        item_body = issue_of(github, change.item.id).body
        assert (
            f"| `{change.id}` | {change.repo.full_name} | {change.repo.full_name}#{pull.number} |"
            in item_body
        )

    traction = next(
        p for p in github.pulls("bcgov/traction") if p.head_ref == "phase-3/traction-profiling"
    )
    github.review("bcgov/traction", traction.number, "maintainer", "APPROVED")
    github.check_run(traction.head_sha, "tests", "completed", "success")
    before = len(github.requests)
    assert main(["status", "--json"]) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    dashboard_number = issue_of(github, "dashboard").number
    # a review and a check run change the dashboard's row, not the item's issue (it shows PR states)
    assert [f"{r.method} {r.path}" for r in github.requests[before:] if r.write] == [
        f"PATCH /repos/{TRACKING}/issues/{dashboard_number}"
    ]
    status = json.loads(out)["change_sets"]
    dashboard = issue_of(github, "dashboard").body
    stored = dashboard_rows(dashboard)
    skipped = {change.id for change in campaign.change_sets() if change.skip}
    assert {f"{row['service']}/{row['change']}" for row in status} - set(stored) == skipped
    for row in status:
        change_id = f"{row['service']}/{row['change']}"
        assert row["issue"] == numbers[row["item"]]
        if change_id in skipped:  # no PR: the dashboard says "not applicable"
            continue
        shown = {k: stored[change_id][k] for k in ("state", "review", "checks", "number", "url")}
        assert shown == {k: row[k] for k in shown}, change_id
    assert stored["traction/profiling"]["review"] == "approved"
    traction_row = next(line for line in dashboard.splitlines() if "`traction-profiling`" in line)
    assert f"bcgov/traction#{traction.number} | draft | approved | success |" in traction_row

    pie = parse_mermaid_pie(dashboard.split("```mermaid\n")[1].split("```")[0])
    assert pie["showData"] and sum(n for _, n in pie["sections"]) == 28
    assert dict(pie["sections"]) == {
        "In review": 24,
        "Work outside the bot": 1,
        "Not applicable": 3,
    }

    before = len(github.requests)
    assert main(["status"]) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert [r for r in github.requests[before:] if r.write] == []
    assert re.search(rf"^acapy/profiling\s+#{numbers['acapy-profiling']}\s+open", out, re.MULTILINE)
    outputs.append(caplog.text)
    assert "GET /api/v3/repos/example/tracking/issues" in caplog.text  # the requests were logged
    assert all(CANARY not in text and CANARY[-16:] not in text for text in outputs)


def test_track_refuses_a_placeholder_tracking_repo_before_any_request(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["track", "--campaign", str(ROOT)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: recipes.yaml: tracking_repo: bcgov/dts-observability is a placeholder; set "
        "tracking_repo.repo to the repository the tracking issues live in"
    )
    assert github.requests == []


def test_track_dry_run_writes_nothing(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["track", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "(dry-run: nothing written)" in out and "29 issues: 29 would file" in out
    assert github.writes == []


def test_track_names_an_unreadable_tracking_repo(
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = write_tracked_campaign(tmp_path / "elsewhere", "example/missing")
    assert main(["track", "--campaign", str(directory)]) == 1
    assert (
        "error: example/missing: repository not found, or the token cannot read it"
        in capsys.readouterr().err
    )
