"""bot.forge.pr_state: `bot status` rows and `bot close` for change sets published by bot.rollout.publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.forge.pr_state import ChangeStatus, Closed, change_status, close_change
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import BOT, TOKEN, forge_for
from tests.helpers.publishing import BASE_FILES, BRANCH, REPO, Runner, change


@pytest.fixture
def world(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo(REPO, BASE_FILES, roles={"rollout-bot": "write"})
    return fake


@pytest.fixture
def run(world: FakeGitHub, tmp_path: Path) -> Runner:
    return Runner(world, tmp_path)


def status(world: FakeGitHub, **kwargs) -> ChangeStatus:
    return change_status(forge_for(world), REPO, BRANCH, BOT, **kwargs)


def test_missing(world: FakeGitHub) -> None:
    assert status(world) == ChangeStatus(REPO, BRANCH, "missing")
    assert status(world).as_dict() == {
        "repo": REPO,
        "branch": BRANCH,
        "state": "missing",
        "url": None,
        "review": None,
        "checks": None,
        "edited_by": [],
        "number": None,
    }
    assert ChangeStatus.from_dict(status(world).as_dict()) == status(world)


def test_open_pr_with_review_checks_and_no_human_edits(world: FakeGitHub, run: Runner) -> None:
    url = run().url
    pr = world.pulls(REPO)[0]
    world.review(REPO, 1, "maintainer", "APPROVED")
    world.check_run(pr.head_sha, "tests", "completed", "success")

    assert status(world) == ChangeStatus(REPO, BRANCH, "open", url, "approved", "success", (), 1)


def test_draft_with_a_human_commit(world: FakeGitHub, run: Runner) -> None:
    run(change=change(draft=True))
    world.commit(REPO, BRANCH, {"fix.txt": "x\n"}, author=("Alice Reviewer", "alice@example.org"))

    row = status(world)

    assert (row.state, row.review, row.checks, row.edited_by) == (
        "draft",
        "none",
        "none",
        ("Alice Reviewer",),
    )


@pytest.mark.parametrize(("action", "state"), [("merge", "merged"), ("close", "closed")])
def test_merged_and_closed(world: FakeGitHub, run: Runner, action: str, state: str) -> None:
    url = run().url
    getattr(world, action)(REPO, 1)

    assert status(world) == ChangeStatus(REPO, BRANCH, state, url, number=1)


def test_fork_pr_is_found_under_the_token_owner(world: FakeGitHub, run: Runner) -> None:
    url = run(change=change(fork="always")).url

    assert status(world, fork="always").url == url
    assert status(world).url == url  # found even when the policy was changed afterwards


def test_close_closes_the_pr_and_deletes_the_bot_branch(world: FakeGitHub, run: Runner) -> None:
    url = run().url

    closed = close_change(forge_for(world), REPO, BRANCH, BOT)

    assert closed == Closed(REPO, BRANCH, url, True)
    assert world.pulls(REPO)[0].state == "closed" and world.repo(REPO).ref_sha(BRANCH) is None


def test_close_keeps_a_branch_a_person_committed_to(world: FakeGitHub, run: Runner) -> None:
    url = run().url
    human = world.commit(
        REPO, BRANCH, {"fix.txt": "x\n"}, author=("Alice Reviewer", "alice@example.org")
    )

    closed = close_change(forge_for(world), REPO, BRANCH, BOT)

    assert closed == Closed(REPO, BRANCH, url, False, "branch kept: edited by Alice Reviewer")
    assert world.pulls(REPO)[0].state == "closed" and world.repo(REPO).ref_sha(BRANCH) == human


def test_close_in_fork_mode_deletes_the_fork_branch(world: FakeGitHub, run: Runner) -> None:
    run(change=change(fork="always"))

    closed = close_change(forge_for(world), REPO, BRANCH, BOT, fork="always")

    assert closed.branch_deleted and world.repo("rollout-bot/acapy").ref_sha(BRANCH) is None


def test_close_without_an_open_pr_writes_nothing(world: FakeGitHub, run: Runner) -> None:
    run()
    world.merge(REPO, 1)
    before = len(world.writes)

    assert close_change(forge_for(world), REPO, BRANCH, BOT) == Closed(
        REPO, BRANCH, None, False, "no open pull request"
    )
    assert len(world.writes) == before and world.repo(REPO).ref_sha(BRANCH) is not None
