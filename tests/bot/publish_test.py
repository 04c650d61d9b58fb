"""bot.rollout.publish end to end: real git (shallow worktrees, bare repos over file:// and HTTP) and the fake GitHub."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from threading import Barrier

import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import Repo
from bot.errors import BotError, ForgeError, PushError
from bot.forge.credentials import AppAuth
from bot.rollout.publish import Change, Publication, publish
from bot.secrets import Secret
from tests.fake_github import SECONDARY_RATE_LIMIT, FakeGitHub
from tests.fake_github.clients import BOT, TOKEN, forge_for, settings_for
from tests.helpers.publishing import (
    BASE_FILES,
    BODY,
    BRANCH,
    CHANGED,
    REPO,
    TITLE,
    Runner,
    change,
    run_git,
)


@pytest.fixture
def world(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo(REPO, BASE_FILES, roles={"rollout-bot": "write"})
    fake.add_label(REPO, "Python", "3572a5")  # exists with other case: reused, not recreated
    return fake


@pytest.fixture
def run(world: FakeGitHub, tmp_path: Path) -> Runner:
    return Runner(world, tmp_path)


def branch_tip(fake: FakeGitHub, repo: str = REPO, branch: str = BRANCH) -> str | None:
    return fake.repo(repo).ref_sha(branch)


def calls(fake: FakeGitHub, since: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests[since:]]


def test_first_run_opens_one_pr_with_title_body_labels_and_signed_off_commit(
    world: FakeGitHub, run: Runner
) -> None:
    result = run()

    [pr] = world.pulls(REPO)
    assert result == Publication(
        "opened", f"{world.server_url}/{REPO}/pull/1", f"openwallet-foundation:{BRANCH}", True
    )
    assert (pr.title, pr.body, pr.draft, pr.base_ref, pr.head_repo, pr.head_ref) == (
        TITLE,
        BODY,
        False,
        "main",
        REPO,
        BRANCH,
    )
    assert pr.labels == ["phase-3", "profiling", "Python", "acapy"]
    labels = world.repo(REPO).labels
    assert {n: labels[n].color for n in ("phase-3", "profiling", "python", "acapy")} == {
        "phase-3": "5319e7",
        "profiling": "fbca04",
        "python": "3572a5",
        "acapy": "ededed",
    }
    assert calls(world) == [
        f"GET /repos/{REPO}",
        "GET /user",  # the PR may also live in the token owner's fork
        f"GET /repos/{REPO}/pulls",
        f"GET /repos/{REPO}/pulls",
        f"POST /repos/{REPO}/pulls",
        f"GET /repos/{REPO}/labels",
        f"POST /repos/{REPO}/labels",
        f"POST /repos/{REPO}/labels",
        f"POST /repos/{REPO}/labels",
        f"POST /repos/{REPO}/issues/1/labels",
    ]
    bare = world.repo(REPO).path
    tip = branch_tip(world)
    assert run_git("log", "-1", "--format=%an <%ae>|%cn <%ce>", tip, cwd=bare) == f"{BOT}|{BOT}"
    assert run_git("log", "-1", "--format=%B", tip, cwd=bare) == (
        f"{TITLE}\n\nRollout-Change: {BRANCH}\nSigned-off-by: {BOT}"
    )
    assert run_git(
        "interpret-trailers", "--parse", input_=run_git("log", "-1", "--format=%B", tip, cwd=bare)
    ) == (f"Rollout-Change: {BRANCH}\nSigned-off-by: {BOT}")
    assert run_git("rev-parse", f"{tip}^", cwd=bare) == world.repo(REPO).ref_sha("main")
    assert (
        run_git("diff", "--stat", f"{tip}^", tip, cwd=bare).splitlines()[0].split("|")[0].strip()
        == "pyproject.toml"
    )
    assert [line.split()[1] for line in world.pushes()] == [f"refs/heads/{BRANCH}"]


def test_second_run_makes_zero_write_requests_and_no_push(world: FakeGitHub, run: Runner) -> None:
    run()
    before, tip, pushes = len(world.requests), branch_tip(world), world.pushes()

    result = run()

    assert result.status == "up-to-date" and not result.pushed
    assert calls(world, before) == [f"GET /repos/{REPO}", "GET /user", f"GET /repos/{REPO}/pulls"]
    assert branch_tip(world) == tip and world.pushes() == pushes
    assert len(world.pulls(REPO)) == 1


def test_recipe_change_moves_the_branch_and_updates_the_same_pr(
    world: FakeGitHub, run: Runner
) -> None:
    run()
    old_tip = branch_tip(world)
    before = len(world.requests)
    new_files = {"pyproject.toml": CHANGED["pyproject.toml"] + 'pyroscope-extra = "^1"\n'}

    result = run(new_files, change=change(body=BODY + "\nNow with extras.\n"))

    [pr] = world.pulls(REPO)
    assert result.status == "updated" and result.pushed
    assert pr.body == BODY + "\nNow with extras.\n"
    bare = world.repo(REPO).path
    tip = branch_tip(world)
    assert tip != old_tip
    assert run_git("rev-parse", f"{tip}^", cwd=bare) == world.repo(REPO).ref_sha(
        "main"
    )  # one commit, not two
    assert "pyroscope-extra" in run_git("show", f"{tip}:pyproject.toml", cwd=bare)
    assert [c for c in calls(world, before) if not c.startswith("GET")] == [
        f"PATCH /repos/{REPO}/pulls/1"
    ]


def test_a_person_s_commit_on_the_branch_is_never_overwritten(
    world: FakeGitHub, run: Runner
) -> None:
    run()
    human = world.commit(
        REPO, BRANCH, {"NOTES.md": "reviewer fix\n"}, author=("Alice Reviewer", "alice@example.org")
    )
    before, pushes = len(world.requests), world.pushes()

    result = run({"pyproject.toml": "changed recipe\n"}, change=change(body="a new body"))

    assert result.status == "edited" and not result.pushed
    assert result.detail == "edited by Alice Reviewer, skipped"
    assert result.url == f"{world.server_url}/{REPO}/pull/1"
    assert branch_tip(world) == human and world.pushes() == pushes
    assert [r for r in world.requests[before:] if r.write] == []
    assert world.pulls(REPO)[0].body == BODY


def test_same_patch_on_a_moved_base_is_up_to_date(world: FakeGitHub, run: Runner) -> None:
    run()
    tip = branch_tip(world)
    world.commit(
        REPO, "main", {"CHANGELOG.md": "unrelated\n"}
    )  # base moves; the change applies the same way
    before = len(world.requests)

    result = run()

    assert (result.status, result.pushed) == ("up-to-date", False)
    assert branch_tip(world) == tip
    assert [r for r in world.requests[before:] if r.write] == []


def test_faults_everywhere_still_give_one_pr_with_its_labels(
    world: FakeGitHub, run: Runner
) -> None:
    world.inject("GET", rf"^/repos/{REPO}$", 502)  # retried by the HTTP layer
    world.inject("POST", r"/pulls$", 502, after=True)  # created, response lost: found by head
    world.inject("POST", r"/labels$", 403, body=SECONDARY_RATE_LIMIT)  # rejected: waited, retried
    world.inject("POST", r"/issues/1/labels$", 500, after=True)  # added, response lost: checked

    result = run()

    [pr] = world.pulls(REPO)
    assert result.status == "opened" and result.warnings == ()
    assert pr.labels == ["phase-3", "profiling", "Python", "acapy"]
    assert [
        r.status for r in world.requests if r.method == "POST" and r.path.endswith("/pulls")
    ] == [502]
    before = len(world.requests)
    assert run().status == "up-to-date" and not [r for r in world.requests[before:] if r.write]


def test_title_change_alone_rewrites_the_commit_and_the_pr_title(
    world: FakeGitHub, run: Runner
) -> None:
    run()
    result = run(change=change(title="feat: add Pyroscope profiling"))

    [pr] = world.pulls(REPO)
    assert (result.status, result.pushed, pr.title) == (
        "updated",
        True,
        "feat: add Pyroscope profiling",
    )
    assert (
        run_git("log", "-1", "--format=%s", branch_tip(world), cwd=world.repo(REPO).path)
        == pr.title
    )


def test_draft_policy_opens_a_draft(world: FakeGitHub, run: Runner) -> None:
    run(change=change(draft=True))

    assert world.pulls(REPO)[0].draft is True


def test_closed_pr_is_left_closed_without_reopen(world: FakeGitHub, run: Runner) -> None:
    run()
    world.close(REPO, 1)
    before, pushes = len(world.requests), world.pushes()

    result = run({"pyproject.toml": "different\n"})

    assert (
        result.status == "closed"
        and result.detail == "closed without merging; --reopen to reopen it"
    )
    assert [r for r in world.requests[before:] if r.write] == [] and world.pushes() == pushes
    assert world.pulls(REPO)[0].state == "closed"


def test_reopen_reopens_the_closed_pr(world: FakeGitHub, run: Runner) -> None:
    run()
    world.close(REPO, 1)

    result = run(reopen=True)

    assert result.status == "reopened"
    assert [(pr.number, pr.state) for pr in world.pulls(REPO)] == [(1, "open")]


def test_reopen_opens_a_new_pr_when_github_refuses_to_reopen(
    world: FakeGitHub, run: Runner
) -> None:
    run()
    world.close(REPO, 1)
    run_git(
        "update-ref", "-d", f"refs/heads/{BRANCH}", cwd=world.repo(REPO).path
    )  # branch deleted after closing

    result = run({"pyproject.toml": "a changed recipe\n"}, reopen=True)  # recreates the branch

    assert result.status == "opened" and result.pushed
    assert [(pr.number, pr.state) for pr in world.pulls(REPO)] == [(1, "closed"), (2, "open")]


def test_merged_pr_means_done(world: FakeGitHub, run: Runner) -> None:
    run()
    world.merge(REPO, 1)
    before, pushes = len(world.requests), world.pushes()

    result = run({"pyproject.toml": "a later recipe\n"})

    assert (result.status, result.pushed) == ("merged", False)
    assert [r for r in world.requests[before:] if r.write] == [] and world.pushes() == pushes


def test_branch_left_by_an_interrupted_run_gets_its_pr(world: FakeGitHub, run: Runner) -> None:
    world.inject(
        "POST",
        r"/pulls$",
        403,
        body={"message": "Resource not accessible by personal access token"},
    )
    with pytest.raises(
        ForgeError, match="cannot open a pull request on openwallet-foundation/acapy"
    ):
        run()
    tip = branch_tip(world)

    result = run()

    assert (result.status, result.pushed) == ("opened", False)
    assert branch_tip(world) == tip and len(world.pulls(REPO)) == 1


# -- fork mode ---------------------------------------------------------------------------------


def test_fork_policy_pushes_to_the_token_owner_s_fork(world: FakeGitHub, run: Runner) -> None:
    world.repo(REPO).roles["rollout-bot"] = "read"  # no triage: labels cannot be set upstream

    result = run(change=change(fork="always"))

    [pr] = world.pulls(REPO)
    assert result.status == "opened" and result.head == f"rollout-bot:{BRANCH}"
    assert (pr.head_repo, pr.head_ref) == ("rollout-bot/acapy", BRANCH)
    assert branch_tip(world) is None and branch_tip(world, "rollout-bot/acapy") is not None
    assert pr.labels == []
    why = f"the token has no triage access to {REPO}"
    needs = "labelling needs triage; fine-grained: Issues or Pull requests: write"
    assert result.warnings == (
        f"labels phase-3, profiling, python, acapy not set on {result.url}: {why} ({needs})",
    )
    assert not [
        r for r in world.requests if "labels" in r.path
    ]  # permissions said no: nothing tried

    before = len(world.requests)
    again = run(change=change(fork="always"))
    assert again.status == "up-to-date"
    assert [r for r in world.requests[before:] if r.write] == []


def test_no_push_access_falls_back_to_a_fork(world: FakeGitHub, run: Runner) -> None:
    world.repo(REPO).roles.pop("rollout-bot")  # public repo: read only

    result = run()

    assert (
        result.head == f"rollout-bot:{BRANCH}"
        and world.pulls(REPO)[0].head_repo == "rollout-bot/acapy"
    )
    assert f"POST /repos/{REPO}/forks" in calls(world)


def test_push_refused_over_https_falls_back_to_a_fork(world: FakeGitHub, tmp_path: Path) -> None:
    # a fine-grained token limited to the user's own repositories: the API reports the user's
    # write role on the target, but git push there is refused
    limited = "github_pat_" + "limited".ljust(30, "0")
    world.add_token(
        "rollout-bot",
        limited,
        only=["rollout-bot/*"],
        permissions={"contents": "write", "administration": "write", "pull_requests": "write"},
    )
    run = Runner(world, tmp_path, token=limited, http=True)

    result = run()

    assert result.status == "opened" and result.head == f"rollout-bot:{BRANCH}"
    refused = [g for g in world.git_requests if g.repo == REPO and g.service == "git-receive-pack"]
    assert refused and all(g.status == 403 for g in refused)
    assert branch_tip(world, "rollout-bot/acapy") is not None and branch_tip(world) is None


def test_neither_push_nor_fork_says_which_permission_is_missing(
    world: FakeGitHub, run: Runner
) -> None:
    world.repo(REPO).roles.pop("rollout-bot")
    world.repo(REPO).allow_forking = False

    with pytest.raises(ForgeError) as caught:
        run()

    message = str(caught.value)
    assert message.startswith(
        f"cannot push {BRANCH} to {REPO}: the token has no push access to it (needs Contents: write"
    )
    assert (
        "fork mode failed: cannot fork openwallet-foundation/acapy: 403 Forking is disabled"
        in message
    )
    assert world.pulls(REPO) == [] and world.pushes() == []


def test_failures_are_bot_errors_so_other_repos_carry_on(world: FakeGitHub, run: Runner) -> None:
    world.add_repo("org/other", BASE_FILES, roles={"rollout-bot": "write"})
    world.inject("GET", r"^/repos/openwallet-foundation/acapy$", 500, times=10)

    results = {}
    for repo in (REPO, "org/other"):
        try:
            results[repo] = run(repo=repo).status
        except BotError as e:
            results[repo] = f"failed: {e}"

    assert results == {
        REPO: f"failed: {REPO}: cannot read the repository: 500 Server Error",
        "org/other": "opened",
    }


def test_github_app_pushes_with_its_installation_token(
    world: FakeGitHub, tmp_path: Path, rsa_key: tuple[str, str]
) -> None:
    private_pem, public_pem = rsa_key
    world.add_app(
        4242,
        "rollout-app",
        public_pem,
        77,
        [REPO],
        {"contents": "write", "pull_requests": "write", "issues": "write"},
    )
    settings = replace(
        settings_for(world, None, http=True), auth=AppAuth(4242, Secret(private_pem), 77)
    )

    result = Runner(world, tmp_path, settings=settings)()

    [pr] = world.pulls(REPO)
    assert result.status == "opened" and pr.user == "rollout-app[bot]"
    assert pr.labels == ["phase-3", "profiling", "Python", "acapy"]
    pushes = [g for g in world.git_requests if g.service == "git-receive-pack" and g.status == 200]
    assert pushes and {g.login for g in pushes} == {"rollout-app[bot]"}


def test_fork_never_reports_the_refused_push(world: FakeGitHub, tmp_path: Path) -> None:
    world.repo(REPO).roles["rollout-bot"] = "read"
    run = Runner(world, tmp_path, http=True)

    with pytest.raises(PushError) as caught:
        run(change=change(fork="never"))

    assert str(caught.value).startswith(
        f"cannot push {BRANCH} to {REPO}: git push {world.server_url}/{REPO}.git failed:"
    )
    assert str(caught.value).endswith(
        "(needs Contents: write; the repository's policy is fork: never)"
    )
    assert "Permission to openwallet-foundation/acapy.git denied to rollout-bot" in str(
        caught.value
    )
    assert f"POST /repos/{REPO}/forks" not in calls(world) and world.pulls(REPO) == []


def test_change_from_the_campaign_model() -> None:
    campaign = load_campaign(Path(__file__).resolve().parents[2])
    traction = next(c for c in campaign.change_sets(["traction"]) if c.key == "profiling")

    change_ = Change.for_change_set(traction, body="the body")

    assert change_ == Change(
        repo="bcgov/traction",
        branch="phase-3/traction-profiling",
        base="main",
        title="feat: add Pyroscope continuous profiling",
        body="the body",
        labels=("phase-3", "profiling", "nodejs", "python", "traction"),
        draft=True,
        fork="auto",
        commit_body=traction.why,
    )
    assert traction.why.strip()


def test_change_sets_of_one_repo_publish_concurrently(world: FakeGitHub, run: Runner) -> None:
    """Like `bot apply --jobs 8`: worktrees of one shallow cache fetch their branches at the same time."""
    branches = [f"phase-3/acapy-change-{i}" for i in range(8)]
    for i in range(3):  # history deeper than the cache's depth 1: the cache is shallow
        world.commit(REPO, "main", {"CHANGELOG.md": f"{i}\n"})
    for branch in branches:  # each branch gets a bot commit, so each publish below fetches it
        run({"f.txt": branch}, change=change(branch=branch))
    start = Barrier(len(branches))

    def publish_after_all_checked_out(work: Path, branch: str) -> str:
        (work / "f.txt").write_text(branch)
        forge = forge_for(world, settings=run.settings)
        start.wait()
        return publish(work, change(branch=branch), forge=forge, settings=run.settings).status

    with ExitStack() as stack:
        repo = Repo("acapy", REPO, "main")
        works = [stack.enter_context(run.workspace.checkout(repo)).path for _ in branches]
        assert run_git("rev-parse", "--is-shallow-repository", cwd=works[0]) == "true"
        with ThreadPoolExecutor(max_workers=len(branches)) as pool:
            statuses = list(pool.map(publish_after_all_checked_out, works, branches))

    assert statuses == ["up-to-date"] * len(branches)


def test_an_open_fork_pr_stays_the_pr_when_the_token_gains_push_access(
    world: FakeGitHub, run: Runner
) -> None:
    world.repo(REPO).roles["rollout-bot"] = "read"
    first = run()
    world.repo(REPO).roles["rollout-bot"] = "write"  # e.g. the team was added to the repo

    again = run()

    assert first.head == again.head == f"rollout-bot:{BRANCH}"
    assert again.status == "up-to-date" and len(world.pulls(REPO)) == 1
    assert branch_tip(world) is None  # nothing pushed upstream


def test_reviewer_edits_to_the_body_survive_reruns_until_the_bot_text_changes(
    world: FakeGitHub, run: Runner
) -> None:
    from bot.forge import prbody

    body = prbody.with_marker("acapy/profiling", BODY + "- [ ] profiles visible\n")
    run(change=change(body=body))
    [pr] = world.pulls(REPO)
    pr.body = (
        body.replace("- [ ] profiles visible", "- [x] profiles visible")
        + "\nLGTM from a reviewer\n"
    )
    before = len(world.requests)

    assert run(change=change(body=body)).status == "up-to-date"
    assert [r for r in world.requests[before:] if r.write] == []
    assert "LGTM from a reviewer" in pr.body

    new_body = prbody.with_marker("acapy/profiling", "New text.\n- [ ] profiles visible\n")
    assert run(change=change(body=new_body)).status == "updated"
    assert pr.body == new_body.replace("- [ ] profiles visible", "- [x] profiles visible")


def test_a_branch_someone_else_created_names_only_who_pushed_it(
    world: FakeGitHub, run: Runner
) -> None:
    world.commit(
        REPO,
        BRANCH,
        {"x.txt": "mine\n"},
        message="Not the bot",
        author=("Some One", "one@example.org"),
    )

    result = run()

    assert result.status == "edited" and result.detail == "edited by Some One, skipped"


def test_a_push_racing_another_push_says_so(
    world: FakeGitHub, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.workspace.branch import Worktree

    run()
    real_push, racing = Worktree.push, {}

    def push_after_someone_else(*args, **kwargs):
        # between the bot's look at the branch and its push, a person pushes
        racing["sha"] = world.commit(REPO, BRANCH, {"y.txt": "race\n"}, message="Race")
        return real_push(*args, **kwargs)

    monkeypatch.setattr(Worktree, "push", push_after_someone_else)
    with pytest.raises(PushError, match="someone pushed to the branch after the bot looked at it"):
        run(files={"pyproject.toml": "changed again\n"})
    assert branch_tip(world) == racing["sha"]
