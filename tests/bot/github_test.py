"""bot.forge.github: the PyGithub forge over real HTTP against the fake, with injected faults and rate limits."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from github import Auth, Github, GithubException, GithubRetry
from urllib3 import HTTPResponse
from urllib3.exceptions import ProtocolError

from bot.errors import ConfigError, ForgeError
from bot.forge.api import LabelColors, PrSpec, RepoInfo
from bot.forge.credentials import AppAuth
from bot.forge.github import BotRetry, GitHubForge, connect
from bot.secrets import Secret
from tests.fake_github import SECONDARY_RATE_LIMIT, FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for, quick_retry, settings_for

REPO = "bcgov/traction"
BRANCH = "phase-3/traction-profiling"
HEAD = f"bcgov:{BRANCH}"
SPEC = PrSpec(
    "main", HEAD, "feat: add profiling", "body", draft=True, labels=("phase-3", "profiling")
)
COLORS = LabelColors({"phase-3": "5319e7"}, "ededed")


@pytest.fixture
def world(fake: FakeGitHub) -> FakeGitHub:
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo(REPO, roles={"rollout-bot": "write"})
    fake.commit(REPO, BRANCH, {"profiling.py": "import pyroscope\n"})
    return fake


@pytest.fixture
def forge(world: FakeGitHub) -> GitHubForge:
    return forge_for(world)


def posts(fake: FakeGitHub, path_end: str) -> list[int]:
    return [r.status for r in fake.requests if r.method == "POST" and r.path.endswith(path_end)]


# -- repository, PRs, labels --------------------------------------------------------------------


def test_repository_reports_push_access(world: FakeGitHub, forge: GitHubForge) -> None:
    world.add_repo("other/readonly")

    assert forge.repository(REPO) == RepoInfo(REPO, "main", True, None, can_triage=True)
    assert forge.repository("other/readonly").can_push is False
    with pytest.raises(
        ForgeError, match=r"^nope/missing: repository not found, or the token cannot read it$"
    ):
        forge.repository("nope/missing")


def test_open_creates_a_draft_with_labels_and_colours(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    outcome = forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    [pr] = world.pulls(REPO)
    assert outcome.action == "opened" and outcome.warnings == ()
    assert (outcome.pr.number, outcome.pr.draft, outcome.pr.status, outcome.pr.head) == (
        1,
        True,
        "draft",
        HEAD,
    )
    assert (pr.title, pr.body, pr.draft, pr.labels) == (
        "feat: add profiling",
        "body",
        True,
        ["phase-3", "profiling"],
    )
    assert {lb.name: lb.color for lb in world.repo(REPO).labels.values()} == {
        "phase-3": "5319e7",
        "profiling": "ededed",
    }


def test_existing_pr_with_same_fields_is_left_alone(world: FakeGitHub, forge: GitHubForge) -> None:
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)
    fresh = forge_for(world)
    existing = fresh.find_pr(REPO, HEAD)
    before = len(world.writes)

    outcome = fresh.open_or_update_pr(REPO, SPEC, existing, COLORS)

    assert outcome.action == "unchanged" and len(world.writes) == before


def test_existing_pr_gets_new_title_and_body_and_missing_labels(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)
    existing = forge.find_pr(REPO, HEAD)
    spec = PrSpec(
        "main",
        HEAD,
        "feat: add profiling (v2)",
        "new body",
        draft=True,
        labels=("phase-3", "traction"),
    )

    outcome = forge.open_or_update_pr(REPO, spec, existing, COLORS)

    [pr] = world.pulls(REPO)
    assert outcome.action == "updated"
    assert (pr.title, pr.body, pr.labels) == (
        "feat: add profiling (v2)",
        "new body",
        ["phase-3", "profiling", "traction"],
    )


def test_find_pr_prefers_the_open_one(world: FakeGitHub, forge: GitHubForge) -> None:
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)
    world.close(REPO, 1)
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)
    world.pulls(REPO).reverse()  # listing order must not matter

    assert forge.find_pr(REPO, HEAD).number == 2
    assert forge.find_pr(REPO, "someone-else:" + BRANCH) is None


def test_a_label_the_token_cannot_create_is_a_warning(world: FakeGitHub) -> None:
    world.add_user("triager", "ghp_triager")
    world.repo(REPO).roles["triager"] = "triage"  # may label, may not create labels
    world.add_label(REPO, "phase-3", "5319e7")
    forge = forge_for(world, "ghp_triager")

    outcome = forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert world.pulls(REPO)[0].labels == ["phase-3"]
    assert outcome.warnings == (
        (
            f"labels profiling not created: cannot create label 'profiling' in {REPO}: 403 Resource not "
            "accessible by user (creating labels needs write access; fine-grained: Issues: write)"
        ),
    )


# -- faults: a write is never duplicated --------------------------------------------------------


def test_create_that_failed_mid_flight_is_found_not_repeated(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.inject(
        "POST", r"/pulls$", 502, after=True
    )  # GitHub created the PR, then the proxy failed

    outcome = forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert len(world.pulls(REPO)) == 1 and outcome.pr.number == 1
    assert posts(world, "/pulls") == [502]


def test_create_that_failed_before_github_acted_is_retried_once(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.inject("POST", r"/pulls$", 502)

    forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert len(world.pulls(REPO)) == 1
    assert posts(world, "/pulls") == [502, 201]
    lookup = [r for r in world.requests if r.method == "GET" and r.path.endswith("/pulls")]
    assert [r.query.get("head") for r in lookup] == [HEAD]  # looked before the second POST


def test_label_create_that_failed_mid_flight_is_found(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.inject("POST", r"/labels$", 500, after=True)

    outcome = forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert outcome.warnings == ()
    assert world.pulls(REPO)[0].labels == ["phase-3", "profiling"]
    assert posts(world, f"/repos/{REPO}/labels") == [500, 201]  # phase-3 (found by GET), profiling


def test_429_with_retry_after_waits_and_creates_one_pr(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.inject(
        "POST", r"/pulls$", 429, headers={"Retry-After": "1"}, body={"message": "Too many requests"}
    )

    started = time.monotonic()
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert time.monotonic() - started >= 1
    assert len(world.pulls(REPO)) == 1 and posts(world, "/pulls") == [429, 201]


def test_secondary_rate_limit_waits_and_creates_one_pr(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.inject("POST", r"/pulls$", 403, body=SECONDARY_RATE_LIMIT)

    started = time.monotonic()
    forge.open_or_update_pr(REPO, SPEC, None, COLORS)

    assert time.monotonic() - started >= 0.1  # quick_retry's secondary_rate_wait
    assert len(world.pulls(REPO)) == 1 and posts(world, "/pulls") == [403, 201]


def test_reads_are_retried_on_5xx(world: FakeGitHub, forge: GitHubForge) -> None:
    world.inject("GET", r"/pulls$", 502, times=2)

    assert forge.find_pr(REPO, HEAD) is None
    assert [r.status for r in world.requests if r.path.endswith("/pulls")] == [502, 502, 200]


def test_http_layer_never_repeats_a_post_unlike_pygithub_default(world: FakeGitHub) -> None:
    settings = settings_for(world)
    ours = connect(
        settings,
        retry=quick_retry(),
        seconds_between_requests=None,
        seconds_between_writes=None,
        write_attempts=1,
    )
    world.inject("POST", r"/labels$", 502)
    outcome = ours.open_or_update_pr(
        REPO, PrSpec("main", HEAD, "t", "b", False, ("x",)), None, COLORS
    )
    assert outcome.warnings[0].startswith(
        "labels x not created: cannot create label 'x' in bcgov/traction: "
        "502 Server Error (tried 1 times)"
    )
    assert posts(world, f"/repos/{REPO}/labels") == [502]

    # the default GithubRetry sends the same POST again (tooling.md §3): what BotRetry prevents
    default = Github(
        base_url=world.api_url,
        auth=Auth.Token(TOKEN),
        retry=GithubRetry(backoff_factor=0),
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    world.inject("POST", r"/labels$", 502, after=True)  # created, then the response is lost
    with pytest.raises(GithubException, match="already_exists"):
        default.get_repo(REPO).create_label("y", "ededed")
    assert posts(world, f"/repos/{REPO}/labels") == [
        502,
        502,
        422,
    ]  # sent twice; a PR would have been duplicated


def test_primary_rate_limit_beyond_max_wait_fails_at_once(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    reset = str(int(time.time()) + 3600)
    world.inject(
        "GET",
        rf"^/repos/{REPO}$",
        403,
        body={"message": "API rate limit exceeded for user ID 1."},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )

    started = time.monotonic()
    with pytest.raises(
        ForgeError,
        match=r"^bcgov/traction: cannot read the repository: 403 API rate limit exceeded",
    ):
        forge.repository(REPO)
    assert time.monotonic() - started < 1


# -- BotRetry in isolation ----------------------------------------------------------------------


def response(
    status: int, headers: dict[str, str] | None = None, body: bytes = b"{}"
) -> HTTPResponse:
    return HTTPResponse(body=body, status=status, headers=headers or {}, preload_content=False)


@pytest.mark.parametrize(
    ("method", "status", "retried"),
    [
        ("GET", 502, True),
        ("GET", 500, True),
        ("HEAD", 503, True),
        ("POST", 502, False),
        ("PATCH", 503, False),
        ("DELETE", 500, False),
        ("PUT", 502, False),
        ("POST", 429, True),
        ("PATCH", 429, True),
        ("POST", 403, True),
        ("GET", 404, False),
        ("POST", 422, False),
    ],
)
def test_which_requests_are_retried(method: str, status: int, retried: bool) -> None:
    assert BotRetry().is_retry(method, status) is retried


def test_a_dropped_connection_is_retried_for_get_only() -> None:
    error = ProtocolError("Connection aborted.")
    assert BotRetry().increment("GET", "/x", error=error).total == 4
    with pytest.raises(ProtocolError):
        BotRetry().increment("POST", "/x", error=error)


def test_429_waits_for_the_rate_limit_reset() -> None:
    reset = int(time.time()) + 30
    retry = BotRetry().increment(
        "POST", "/x", response(429, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    )
    assert 29 <= retry.get_backoff_time() <= 32


def test_429_without_headers_waits_the_secondary_limit_time() -> None:
    retry = BotRetry(secondary_rate_wait=60).increment("POST", "/x", response(429))
    assert retry.get_backoff_time() == 60


def test_waits_longer_than_the_maximum_raise() -> None:
    with pytest.raises(GithubException, match="429"):
        BotRetry(max_rate_limit_wait=10).increment(
            "GET", "/x", response(429, {"Retry-After": "120"})
        )


def test_retry_configuration_survives_new() -> None:
    retry = BotRetry(secondary_rate_wait=7)
    for _ in range(3):
        retry = retry.increment("GET", "/x", response(502))
    assert sorted(retry.status_forcelist) == [403, 429, 500, 502, 503, 504]
    assert (retry.total, retry.secondary_rate_wait, retry.raise_on_status) == (2, 7, False)


# -- status, close, fork, App ---------------------------------------------------------------------


def test_pr_details_review_checks_and_commits(world: FakeGitHub, forge: GitHubForge) -> None:
    pr = forge.open_or_update_pr(REPO, SPEC, None, COLORS).pr
    world.review(REPO, 1, "alice", "CHANGES_REQUESTED")
    world.review(REPO, 1, "bob", "APPROVED")
    world.check_run(pr.head_sha, "lint", "completed", "success")
    world.check_run(pr.head_sha, "test", "in_progress")
    world.status(pr.head_sha, "ci/deploy", "success")

    details = forge.pr_details(pr)

    assert (details.review, details.checks) == ("changes_requested", "pending")
    assert [(c.author_email, c.message.strip()) for c in details.commits] == [
        ("maintainer@example.org", "Change")
    ]
    world.review(REPO, 1, "alice", "APPROVED")
    world.check_run(pr.head_sha, "test", "completed", "failure")
    assert (forge.pr_details(pr).review, forge.pr_details(pr).checks) == ("approved", "failure")


def test_close_and_delete_branch(world: FakeGitHub, forge: GitHubForge) -> None:
    pr = forge.open_or_update_pr(REPO, SPEC, None, COLORS).pr

    forge.close_pr(pr)
    assert forge.delete_branch(REPO, BRANCH) is True
    assert forge.delete_branch(REPO, BRANCH) is False

    assert world.pulls(REPO)[0].state == "closed" and world.repo(REPO).ref_sha(BRANCH) is None


def test_fork_is_created_once_then_reused(world: FakeGitHub, forge: GitHubForge) -> None:
    first = forge.fork(REPO)
    again = forge_for(world).fork(REPO)

    assert first == again == RepoInfo("rollout-bot/traction", "main", True, REPO, can_triage=True)
    assert [r.path for r in world.writes] == [f"/repos/{REPO}/forks"]


def test_fork_named_otherwise_because_the_name_was_taken_is_found_without_writes(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    world.add_repo("otherorg/traction")  # a different upstream with the same name
    first_fork = forge.fork("otherorg/traction")
    second_fork = forge.fork(REPO)  # the token owner already has a repo called traction
    writes = len(world.writes)

    again = forge_for(world).fork(REPO)

    assert (first_fork.full_name, second_fork.full_name) == (
        "rollout-bot/traction",
        "rollout-bot/traction-1",
    )
    assert again == second_fork and again.parent == REPO
    assert len(world.writes) == writes  # found by listing REPO's forks, not by POSTing again


def test_fork_refused_names_the_permission(world: FakeGitHub) -> None:
    world.add_token("rollout-bot", "github_pat_nofork", permissions={"contents": "write"})

    with pytest.raises(
        ForgeError,
        match=r"cannot fork bcgov/traction: 403 .* \(forking needs a token that may create "
        r"repositories for rollout-bot: classic scope public_repo or repo; "
        r"fine-grained Administration: write\)",
    ):
        forge_for(world, "github_pat_nofork").fork(REPO)


def test_github_app_installation(world: FakeGitHub, rsa_key: tuple[str, str]) -> None:
    private_pem, public_pem = rsa_key
    world.add_app(
        4242, "rollout-app", public_pem, 77, [REPO], {"contents": "write", "pull_requests": "write"}
    )
    settings = replace(settings_for(world, None), auth=AppAuth(4242, Secret(private_pem), 77))
    forge = forge_for(world, settings=settings)

    assert forge.repository(REPO).can_push is None  # installation tokens get no `permissions`
    assert forge.token_owner() is None
    token = forge.push_token()
    assert (
        token is not None and token.reveal().startswith("ghs_") and repr(token) == "Secret('****')"
    )
    assert forge.open_or_update_pr(REPO, SPEC, None, COLORS).pr.number == 1
    assert world.pulls(REPO)[0].user == "rollout-app[bot]"
    with pytest.raises(
        ForgeError, match="a GitHub App installation has no user account to fork into"
    ):
        forge.fork(REPO)


def test_connect_without_credentials_is_a_config_error(world: FakeGitHub) -> None:
    with pytest.raises(ConfigError, match=r"^no GitHub credentials: set GITHUB_TOKEN"):
        connect(settings_for(world, None))


def test_a_label_another_job_created_meanwhile_counts_as_created(
    world: FakeGitHub, forge: GitHubForge
) -> None:
    import bot.forge.github

    real_create = bot.forge.github.Repository.create_label

    def someone_was_faster(repo, name, color, *args, **kwargs):
        world.add_label(REPO, name)  # the parallel matrix job's POST landed first
        return real_create(repo, name, color, *args, **kwargs)

    bot.forge.github.Repository.create_label = someone_was_faster
    try:
        outcome = forge.open_or_update_pr(REPO, SPEC, None, COLORS)
    finally:
        bot.forge.github.Repository.create_label = real_create
    assert outcome.warnings == ()
    assert sorted(world.pulls(REPO)[0].labels) == sorted(SPEC.labels)
