"""bot.tracking.sync on the fake GitHub: 28 item issues and the dashboard filed once, found again by
their markers, rewritten only where the bot's text changed, people's text and ticks kept."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.forge.pr_state import ChangeStatus
from bot.tracking import sync
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for
from tests.fake_github.state import Issue
from tests.helpers.tracking import (
    COLORS,
    TRACKING,
    add_tracking_repo,
    issue_of,
    merged_rows,
    run_sync,
    tracked_campaign,
)


@pytest.fixture
def github(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    add_tracking_repo(fake)
    return fake


def test_first_run_files_29_issues_with_the_plans_titles_and_labels_then_a_rerun_writes_nothing(
    github: FakeGitHub,
) -> None:
    campaign = tracked_campaign()

    outcome = run_sync(github, campaign)

    issues = github.issues(TRACKING)
    assert len(issues) == 29 and [r.action for r in outcome.results] == ["filed"] * 29
    for item in campaign.items.values():
        issue = issue_of(github, item.id)
        assert issue.title == item.title and tuple(issue.labels) == item.labels
        assert all(f"- [ ] {c}" in issue.body for c in item.acceptance)
        assert all(f"- {r}" in issue.body for r in item.requirements)
        assert f"effort {item.effort}" in issue.body
        assert outcome.numbers[item.id] == issue.number
    dashboard = issue_of(github, "dashboard")
    assert dashboard.title == campaign.plan and dashboard.labels == ["phase-3"]
    assert all(f"- [ ] #{n}\n" in dashboard.body for n in outcome.numbers.values())
    assert github.repo(TRACKING).labels["phase-3"].color == "5319e7"  # created with its colour
    before = len(github.requests)

    again = run_sync(github, campaign)

    assert [r.action for r in again.results] == ["unchanged"] * 29
    assert [str(r) for r in github.requests[before:] if r.write] == []
    # one listing of the bot's issues (plus who the token is): no search, no issue read one by one
    assert [f"{r.method} {r.path}" for r in github.requests[before:]] == [
        "GET /user",
        f"GET /repos/{TRACKING}/issues",
    ]


def test_the_item_issue_lists_its_change_sets_and_their_prs(github: FakeGitHub) -> None:
    campaign = tracked_campaign()
    url = "http://x/pull/4"
    rows = {
        "acapy/profiling": ChangeStatus("openwallet-foundation/acapy", "b", "draft", url, number=4)
    }

    run_sync(github, campaign, rows)

    body = issue_of(github, "acapy-profiling").body
    assert (
        "| `acapy/profiling` | openwallet-foundation/acapy | openwallet-foundation/acapy#4 | draft |"
        in body
    )
    credo = issue_of(github, "credo-rum").body
    assert (
        "| `credo/rum` | openwallet-foundation/credo-ts | \u2013 | not applicable: credo-ts has no web root"
        in credo
    )
    assert (
        "No change set in the recipes serves this item" in issue_of(github, "validation-gate").body
    )


def test_a_persons_edits_outside_the_markers_and_ticks_survive_a_recipe_change(
    github: FakeGitHub,
) -> None:
    campaign = tracked_campaign()
    run_sync(github, campaign)
    issue = issue_of(github, "acapy-profiling")
    criterion = campaign.items["acapy-profiling"].acceptance[1]
    issue.body = (
        "Owner: @alice (added by a person)\r\n\r\n"
        + issue.body.replace(f"- [ ] {criterion}", f"- [x] {criterion}").replace("\n", "\r\n")
        + "\r\nFollow-up: check the flame graph with the team.\r\n"
    )
    issue.title = "acapy profiling (renamed by a person)"
    before = len(github.requests)

    assert run_sync(github, campaign).results[1].action == "unchanged"  # a tick is not a change
    assert not [r for r in github.requests[before:] if r.write]

    item = campaign.items["acapy-profiling"]
    changed = replace(item, description="A reworded description.")
    recipes_changed = replace(campaign, items={**campaign.items, item.id: changed})
    outcome = run_sync(github, recipes_changed)

    assert [r.key for r in outcome.results if r.action == "updated"] == ["acapy-profiling"]
    body = issue_of(github, "acapy-profiling").body
    assert body.startswith("Owner: @alice (added by a person)\n\n")
    assert body.endswith("\nFollow-up: check the flame graph with the team.\n")
    assert "A reworded description." in body and f"- [x] {criterion}" in body
    assert (
        issue.title == "acapy profiling (renamed by a person)"
    )  # title and labels unchanged in the plan


def test_a_new_plan_title_or_label_is_set_once(github: FakeGitHub) -> None:
    campaign = tracked_campaign()
    run_sync(github, campaign)
    item = campaign.items["traction-rum"]
    renamed = replace(item, title="traction: Faro RUM", labels=(*item.labels, "frontend"))

    run_sync(github, replace(campaign, items={**campaign.items, item.id: renamed}))

    issue = issue_of(github, "traction-rum")
    assert issue.title == "traction: Faro RUM" and issue.labels[-1] == "frontend"


def test_a_502_in_the_middle_of_a_create_still_gives_exactly_one_issue(github: FakeGitHub) -> None:
    github.world.index_new_issues = False  # the lookup must not depend on GitHub's search index
    github.inject(
        "POST", rf"^/repos/{TRACKING}/issues$", 502, after=True
    )  # filed, but the bot sees 502

    outcome = run_sync(github, tracked_campaign())

    assert len(github.issues(TRACKING)) == 29 and not outcome.failed
    posts = [r for r in github.requests if r.method == "POST" and r.path.endswith("/issues")]
    assert len(posts) == 29 and posts[0].status == 502  # the first one is never posted again


def test_an_interrupted_first_run_is_finished_without_duplicates(github: FakeGitHub) -> None:
    campaign = tracked_campaign()
    half = replace(campaign, items=dict(list(campaign.items.items())[:10]))
    run_sync(github, half)  # as if the first run had stopped after ten items (and its dashboard)
    assert len(github.issues(TRACKING)) == 11

    run_sync(github, campaign)

    assert len(github.issues(TRACKING)) == 29


def test_issues_filed_with_another_token_are_found_by_search(github: FakeGitHub) -> None:
    run_sync(github, tracked_campaign())
    other = "ghp_" + "ci".ljust(36, "0")
    github.add_user("ci-bot", other)
    github.repo(TRACKING).roles["ci-bot"] = "write"

    before = len(github.requests)
    outcome = sync(forge_for(github, other), tracked_campaign(), {}, create=True, colors=COLORS)

    assert {r.action for r in outcome.results} == {"unchanged"} and len(
        github.issues(TRACKING)
    ) == 29
    paths = [r.path for r in github.requests[before:]]
    assert paths.count("/search/issues") == 1 and not [
        r for r in github.requests[before:] if r.write
    ]


def test_an_issue_number_in_recipes_is_adopted_and_a_persons_body_kept(github: FakeGitHub) -> None:
    github.add_user("alice")
    github.repo(TRACKING).roles["alice"] = "write"
    github.world.issues[TRACKING] = [
        Issue(1, 1, TRACKING, "Go/no-go", "Filed by Alice.\n", "alice")
    ]
    campaign = tracked_campaign()
    gate = replace(campaign.items["validation-gate"], issue=1)
    campaign = replace(campaign, items={**campaign.items, "validation-gate": gate})

    outcome = run_sync(github, campaign)

    assert outcome.numbers["validation-gate"] == 1 and len(github.issues(TRACKING)) == 29
    body = github.issue(TRACKING, 1).body
    assert body.startswith("Filed by Alice.\n\n<!-- phase-3-bot:item:validation-gate begin")
    assert github.issue(TRACKING, 1).title == gate.title  # the bot's meta was not there yet


def test_dry_run_writes_nothing_and_says_what_it_would_do(github: FakeGitHub) -> None:
    outcome = run_sync(github, tracked_campaign(), dry_run=True)

    assert {r.action for r in outcome.results} == {"would file"}
    assert github.writes == [] and github.issues(TRACKING) == []


def test_refresh_without_create_files_nothing(github: FakeGitHub) -> None:
    outcome = run_sync(github, tracked_campaign(), create=False)

    assert {r.action for r in outcome.results} == {"not filed"} and github.writes == []


def test_a_done_item_is_closed_once_with_a_comment_and_stays_open_when_reopened(
    github: FakeGitHub,
) -> None:
    campaign = tracked_campaign()
    run_sync(github, campaign)
    issue = issue_of(github, "acapy-profiling-helm")
    issue.body = issue.body.replace("- [ ] ", "- [x] ")  # a person ticked every box
    rows = merged_rows(campaign, "acapy-profiling-helm")

    outcome = run_sync(github, campaign, rows)

    assert ("acapy-profiling-helm", "closed") in [(r.key, r.action) for r in outcome.results]
    assert issue.state == "closed" and issue.state_reason == "completed"
    assert len(issue.comments) == 1 and "closing it as completed" in issue.comments[0].body
    assert "- [x] #3" in issue_of(github, "dashboard").body  # the task list ticks it

    issue.state = "open"  # a person reopened it
    before = len(github.requests)
    run_sync(github, campaign, rows)
    assert issue.state == "open" and not [r for r in github.requests[before:] if r.write]


def test_closing_can_be_turned_off(github: FakeGitHub) -> None:
    campaign = tracked_campaign(close_done_items=False)
    run_sync(github, campaign)
    issue = issue_of(github, "acapy-profiling-helm")
    issue.body = issue.body.replace("- [ ] ", "- [x] ")

    run_sync(github, campaign, merged_rows(campaign, "acapy-profiling-helm"))

    assert issue.state == "open" and issue.comments == []
