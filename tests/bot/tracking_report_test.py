"""bot.tracking.report_results: gate/verify verdicts written back to the item issues, on the fake GitHub."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from bot.cli import track
from bot.errors import ConfigError
from bot.rollout.publisher import GitHub
from bot.tracking import Finding, findings_by_item, report_results
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for, settings_for
from tests.helpers.tracking import (
    COLORS,
    TRACKING,
    add_tracking_repo,
    issue_of,
    merged_rows,
    run_sync,
    tracked_campaign,
)

ITEM = "acapy-profiling"
DATA, FLAME, REGRESSION = tracked_campaign().items[ITEM].acceptance
SOURCE = "bot verify --env dev"
AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def github(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    add_tracking_repo(fake)
    run_sync(fake, tracked_campaign())
    return fake


def report(fake: FakeGitHub, findings: dict, **kwargs):
    campaign = kwargs.pop("campaign", None) or tracked_campaign()
    at = kwargs.pop("at", AT)
    return report_results(
        forge_for(fake), campaign, findings, source=SOURCE, at=at, colors=COLORS, **kwargs
    )


def boxes(body: str) -> dict[str, bool]:
    return {c: f"- [x] {c}" in body for c in (DATA, FLAME, REGRESSION)}


def test_a_report_that_proves_a_criterion_ticks_exactly_that_box_with_one_evidence_comment(
    github: FakeGitHub,
) -> None:
    before = len(github.requests)

    outcome = report(
        github,
        {
            ITEM: [
                Finding(
                    FLAME,
                    "passed",
                    'merged stacks of {service_name="acapy-agent"}: 41 nodes, last 1h',
                )
            ]
        },
    )

    issue = issue_of(github, ITEM)
    assert boxes(issue.body) == {DATA: False, FLAME: True, REGRESSION: False}
    assert len(issue.comments) == 1
    comment = issue.comments[0].body
    assert f"### `{SOURCE}`, 2026-03-01 10:00 UTC" in comment
    assert 'merged stacks of {service_name="acapy-agent"}: 41 nodes, last 1h' in comment
    assert f"✅ passed · `{SOURCE}` · 2026-03-01 10:00 UTC · [evidence](" in issue.body
    others = [i for i in github.issues(TRACKING) if i.number != issue.number and i.comments]
    assert others == []
    writes = [f"{r.method} {r.path}" for r in github.requests[before:] if r.write]
    dashboard = issue_of(github, "dashboard").number
    assert writes == [
        f"POST /repos/{TRACKING}/issues/{issue.number}/comments",
        f"PATCH /repos/{TRACKING}/issues/{issue.number}",
        f"PATCH /repos/{TRACKING}/issues/{dashboard}",  # its verdict column
    ]
    assert [r.action for r in outcome.results[:1]] == ["commented"]


def test_a_persons_tick_survives_a_failed_verdict_and_manual_is_never_ticked(
    github: FakeGitHub,
) -> None:
    issue = issue_of(github, ITEM)
    issue.body = issue.body.replace(f"- [ ] {DATA}", f"- [x] {DATA}")  # a person ticked it

    report(
        github,
        {ITEM: [
            Finding(DATA, "failed", '{service_name="acapy-agent"}: 0 profiles, last 1h'),
            ("No measurable performance regression", "manual", "a person compares p95 latency"),
        ]},
    )  # fmt: skip

    body = issue_of(github, ITEM).body
    assert boxes(body) == {DATA: True, FLAME: False, REGRESSION: False}
    assert "❌ failed" in body and "✋ manual" in body
    comment_url = next(line for line in body.splitlines() if "❌ failed" in line).split("(")[-1][
        :-1
    ]
    assert comment_url.endswith(f"#issuecomment-{issue.comments[0].id}")
    dashboard = issue_of(github, "dashboard").body
    assert (
        f"- #{issue.number} {DATA}: ❌ failed · `{SOURCE}` · 2026-03-01 10:00 UTC · [evidence]({comment_url})"
        in dashboard
    )
    assert f"❌ 1 failed ([evidence]({comment_url})) · ✋ 1 manual" in dashboard
    assert "1 with failed criteria" in dashboard


def test_the_same_verdicts_again_write_nothing_and_a_change_adds_one_comment(
    github: FakeGitHub,
) -> None:
    findings = {ITEM: [Finding(FLAME, "failed", "0 nodes")]}
    report(github, findings)
    before = len(github.requests)

    report(github, findings, at=datetime(2026, 3, 2, tzinfo=UTC))
    assert [r for r in github.requests[before:] if r.write] == []

    report(
        github, {ITEM: [Finding(FLAME, "passed", "41 nodes")]}, at=datetime(2026, 3, 3, tzinfo=UTC)
    )
    issue = issue_of(github, ITEM)
    assert len(issue.comments) == 2 and boxes(issue.body)[FLAME]
    assert (
        "❌"
        not in issue_of(github, "dashboard")
        .body.split("### Failed criteria")[0]
        .split("| Item |")[1]
    )


def test_a_comment_posted_before_a_crash_is_found_not_posted_again(github: FakeGitHub) -> None:
    number = issue_of(github, ITEM).number
    github.inject("PATCH", rf"^/repos/{TRACKING}/issues/{number}$", 422)  # the body update fails
    findings = {ITEM: [Finding(FLAME, "passed", "41 nodes")]}

    assert report(github, findings).failed
    assert (
        len(issue_of(github, ITEM).comments) == 1 and not boxes(issue_of(github, ITEM).body)[FLAME]
    )

    report(github, findings, at=datetime(2026, 3, 1, 11, tzinfo=UTC))  # run again, later
    issue = issue_of(github, ITEM)
    assert len(issue.comments) == 1 and boxes(issue.body)[FLAME]


def test_a_502_on_the_comment_still_gives_one_comment(github: FakeGitHub) -> None:
    number = issue_of(github, ITEM).number
    github.inject("POST", rf"^/repos/{TRACKING}/issues/{number}/comments$", 502, after=True)

    report(github, {ITEM: [Finding(FLAME, "passed", "41 nodes")]})

    assert len(issue_of(github, ITEM).comments) == 1 and boxes(issue_of(github, ITEM).body)[FLAME]


def test_criteria_that_are_not_the_items_are_reported_but_tick_nothing(github: FakeGitHub) -> None:
    outcome = report(
        github, {ITEM: [Finding("Pyroscope /ready returns 200", "passed", "200 ready")]}
    )

    assert outcome.results[0].action == "unchanged"
    assert outcome.results[0].warnings == (
        f"not an acceptance criterion of {ITEM}: 'Pyroscope /ready returns 200'",
    )
    assert issue_of(github, ITEM).comments == []


def test_proving_the_last_box_of_a_merged_item_closes_it(github: FakeGitHub) -> None:
    campaign = tracked_campaign()
    item = campaign.items["acapy-profiling-helm"]
    run_sync(github, campaign, merged_rows(campaign, item.id))  # `bot status` saw its PR merged

    outcome = report(
        github, {item.id: [Finding(c, "passed", "env var present") for c in item.acceptance]}
    )

    issue = issue_of(github, item.id)
    assert issue.state == "closed" and (item.id, "closed") in [
        (r.key, r.action) for r in outcome.results
    ]
    assert len(issue.comments) == 2  # the evidence, then why it was closed


def test_an_unknown_item_or_verdict_and_a_placeholder_tracking_repo_are_refused(
    github: FakeGitHub,
) -> None:
    with pytest.raises(ValueError, match="no tracking item 'nope'"):
        report(github, {"nope": []})
    with pytest.raises(ValueError, match="verdict 'ok'"):
        report(github, {ITEM: [(FLAME, "ok", "")]})
    placeholder = tracked_campaign()
    placeholder = replace(
        placeholder, tracking_repo=replace(placeholder.tracking_repo, placeholder=True)
    )
    with pytest.raises(
        ConfigError,
        match=re.escape("recipes.yaml: tracking_repo: example/tracking is a placeholder"),
    ):
        report(github, {ITEM: []}, campaign=placeholder)


def test_an_item_without_an_issue_records_nothing(fake: FakeGitHub) -> None:
    fake.add_user("rollout-bot", TOKEN)
    add_tracking_repo(fake)

    outcome = report(fake, {ITEM: [Finding(FLAME, "passed", "41 nodes")]})

    assert outcome.results[0].action == "not filed" and fake.writes == []


@dataclass(frozen=True)
class Evidence:  # the shape of bot.verify.verdicts.Evidence
    query: str = ""
    count: int | None = None
    window: str = ""
    detail: str = ""


@dataclass(frozen=True)
class VerifyVerdict:  # the shape of bot.verify.verdicts.Verdict
    item: str
    change: str
    criterion: str
    verdict: str
    evidence: Evidence


def test_verify_verdicts_go_through_the_cli_hook(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = [
        VerifyVerdict(
            ITEM, "profiling", FLAME, "passed", Evidence('{service_name="acapy-agent"}', 41, "1h")
        ),
        VerifyVerdict(
            ITEM, "profiling", REGRESSION, "manual", Evidence(detail="a person compares p95")
        ),
    ]
    findings = findings_by_item(verdicts)
    assert findings == {ITEM: [
        Finding(FLAME, "passed", '`{service_name="acapy-agent"}`, count 41, window 1h'),
        Finding(REGRESSION, "manual", "a person compares p95"),
    ]}  # fmt: skip

    connected = GitHub(settings_for(github), forge_for(github))
    assert track.write_back(tracked_campaign(), connected, findings, SOURCE)

    err = capsys.readouterr().err
    assert re.search(rf"commented\s+#\d+\s+{ITEM}\s+http://\S+#issuecomment-\d+", err)
    assert "tracking issues: 1 commented, 27 unchanged, 2 updated" in err
    assert boxes(issue_of(github, ITEM).body) == {DATA: False, FLAME: True, REGRESSION: False}
