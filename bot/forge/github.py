"""The Forge implementation on PyGithub. Only bot/forge/github*.py import `github`: this module
(retries, connection, repositories, forks, pull requests), github_base.py (errors, writes),
github_pulls.py (finding PRs), github_labels.py and github_issues.py.

Writes are never repeated blindly. HTTP-level retries (BotRetry) repeat a request only when GitHub
cannot have acted on it: rate-limit rejections (403/429) for any method, 5xx and dropped
connections for reads only. A write that fails mid-flight (5xx, timeout) is retried here, after
looking the object up: the PR by head, the label by name, the PR's labels, the issue or
comment by its marker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException, GithubRetry, UnknownObjectException
from github.Commit import Commit
from github.GithubException import RateLimitExceededExceedsMaxWait
from github.PullRequest import PullRequest
from github.Repository import Repository
from urllib3 import BaseHTTPResponse, Retry
from urllib3.connectionpool import ConnectionPool

from bot.errors import ForgeError
from bot.forge.api import (
    ChecksState,
    CommitInfo,
    LabelColors,
    PrAction,
    PrDetails,
    PrInfo,
    PrOutcome,
    PrSpec,
    RepoInfo,
    ReviewDecision,
)
from bot.forge.credentials import GitHubSettings
from bot.forge.github_base import build_auth, describe, message
from bot.forge.github_issues import IssueMethods
from bot.forge.github_pulls import PullMethods, pr_info
from bot.secrets import Secret

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RATE_LIMITED = frozenset({403, 429})


class BotRetry(GithubRetry):
    """GithubRetry that cannot duplicate a write.

    PyGithub's default retries POST on 5xx, so a PR or comment the server created before failing
    is created again. Here 5xx and read errors are retried for GET/HEAD/OPTIONS only (exponential
    backoff, honouring Retry-After); 403/429 rate limits are retried for every method because
    GitHub rejects those requests before acting. Waits follow GitHub's rules: Retry-After, else
    X-RateLimit-Reset when X-RateLimit-Remaining is 0, else `secondary_rate_wait`. A wait longer than
    `max_rate_limit_wait` raises RateLimitExceededExceedsMaxWait instead of sleeping.
    """

    def __init__(
        self,
        total: int = 5,
        backoff_factor: float = 1.0,
        secondary_rate_wait: float = 60.0,
        max_rate_limit_wait: float | None = 300.0,
        **kwargs: Any,
    ) -> None:
        # GithubRetry appends 403 itself; new() passes the list back in, so drop it to avoid growth
        kwargs["status_forcelist"] = [
            s for s in kwargs.get("status_forcelist", (429, 500, 502, 503, 504)) if s != 403
        ]
        kwargs.setdefault("allowed_methods", IDEMPOTENT_METHODS)
        kwargs.setdefault(
            "raise_on_status", False
        )  # hand the last response to PyGithub: a clear GithubException
        kwargs.setdefault("backoff_max", 60)
        super().__init__(
            secondary_rate_wait=secondary_rate_wait,
            max_rate_limit_wait=max_rate_limit_wait,
            total=total,
            backoff_factor=backoff_factor,
            **kwargs,
        )

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in RATE_LIMITED:
            return True  # increment() re-raises a 403 that is not a rate limit
        return super().is_retry(method, status_code, has_retry_after)

    def increment(  # type: ignore[override]  # urllib3's signature, minus its overloads
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        retry_after = self._retry_after(response) if response is not None else None
        if response is not None and response.status in RATE_LIMITED and retry_after is not None:
            self._check_wait(
                response, retry_after
            )  # sleep() honours Retry-After before any backoff
        if response is not None and response.status == 429:
            retry = Retry.increment(self, method, url, response, error, _pool, _stacktrace)
            wait = (
                retry_after
                if retry_after is not None
                else max(self._rate_limit_wait(response), retry.get_backoff_time())
            )
            self._check_wait(response, wait)
            retry.get_backoff_time = lambda: wait  # type: ignore[method-assign]  # sleep() uses Retry-After first
            return retry
        return super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[arg-type]

    def _retry_after(self, response: BaseHTTPResponse) -> float | None:
        value = response.headers.get("Retry-After")
        return self.parse_retry_after(value) if value else None

    def _rate_limit_wait(self, response: BaseHTTPResponse) -> float:
        headers = response.headers
        reset = headers.get("X-RateLimit-Reset", "")
        if headers.get("X-RateLimit-Remaining") == "0" and reset.isdigit():
            return max(0.0, int(reset) - datetime.now(UTC).timestamp()) + 1
        return float(self.secondary_rate_wait)

    def _check_wait(self, response: BaseHTTPResponse, wait: float) -> None:
        if self.max_rate_limit_wait is not None and wait > self.max_rate_limit_wait:
            raise RateLimitExceededExceedsMaxWait(
                response.status, _body(response), dict(response.headers), wait=wait
            )


def _body(response: BaseHTTPResponse) -> Any:
    try:
        return response.json()
    except ValueError:  # not JSON (a proxy's HTML error page)
        return None


def connect(
    settings: GitHubSettings,
    *,
    retry: Retry | None = None,
    timeout: float = 30,
    seconds_between_requests: float | None = 0.25,
    seconds_between_writes: float | None = 1.0,
    write_attempts: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> GitHubForge:
    """A GitHubForge for `settings` (token or GitHub App). Tests pass None for both pacing values."""
    auth = build_auth(settings)
    client = Github(
        base_url=settings.api_url,
        auth=auth,
        retry=retry if retry is not None else BotRetry(),
        timeout=int(timeout),
        seconds_between_requests=seconds_between_requests,
        seconds_between_writes=seconds_between_writes,
        lazy=True,  # objects are fetched when read: no GET before a PATCH or DELETE
        per_page=100,  # GitHub's maximum: a campaign's issues or a head's PRs in one page
    )
    return GitHubForge(client, auth, write_attempts=write_attempts, sleep=sleep)


class GitHubForge(IssueMethods, PullMethods):
    """Forge on a PyGithub client. One instance per run: it caches the repos, forks and PRs it has
    read (a publish run asks for each repository, fork and open-PR list once)."""

    def __repr__(self) -> str:
        return f"GitHubForge({type(self._auth).__name__})"

    # -- credentials ---------------------------------------------------------------------------

    def push_token(self) -> Secret | None:
        if isinstance(self._auth, Auth.Token):
            return Secret(self._auth.token)
        if isinstance(self._auth, Auth.AppInstallationAuth):
            try:
                return Secret(self._auth.token)  # fetched on first use, refreshed before expiry
            except GithubException as e:
                raise ForgeError(
                    f"cannot get a GitHub App installation token: {message(e)}"
                ) from None
        return None

    def token_owner(self) -> str | None:
        if not isinstance(self._auth, Auth.Token):
            return None  # installation tokens have no user (GET /user answers 403)
        if self._owner is None:
            try:
                self._owner = self._gh.get_user().login
            except GithubException as e:
                if e.status == 403:  # an installation token given as GITHUB_TOKEN: no user, no fork
                    return None
                raise ForgeError(f"cannot identify the token's user: {message(e)}") from None
            except requests.RequestException as e:
                raise ForgeError(
                    f"cannot reach GitHub to identify the token's user: {describe(e)}"
                ) from None
        return self._owner

    # -- repositories --------------------------------------------------------------------------

    def repository(self, full_name: str) -> RepoInfo:
        if full_name in self._repos:
            return self._repos[full_name]
        repo = self._gh.get_repo(full_name)
        try:
            info = self._repos[full_name] = _repo_info(repo)
            return info
        except UnknownObjectException:
            raise ForgeError(
                f"{full_name}: repository not found, or the token cannot read it"
            ) from None
        except (GithubException, requests.RequestException) as e:
            raise ForgeError(f"{full_name}: cannot read the repository: {describe(e)}") from None

    def fork(self, full_name: str) -> RepoInfo:
        if full_name not in self._forks:
            self._forks[full_name] = self._find_or_create_fork(full_name)
        return self._forks[full_name]

    def _find_or_create_fork(self, full_name: str) -> RepoInfo:
        owner = self.token_owner()
        if owner is None:
            raise ForgeError(
                f"cannot fork {full_name}: a GitHub App installation has no user account to fork "
                "into; give the app Contents: write on the repository instead"
            )
        try:
            mine = self._existing_fork(full_name, owner)
        except GithubException as e:
            raise ForgeError(
                f"cannot look for a fork of {full_name} under {owner}: {message(e)}"
            ) from None
        if mine is not None:
            return mine
        # POST /forks answers with the existing fork when there is one, so repeating it is harmless
        try:
            created = self._write(
                f"fork {full_name}",
                lambda: self._gh.get_repo(full_name).create_fork(),
                lambda: None,
            )
        except ForgeError as e:
            raise ForgeError(
                f"{e} (forking needs a token that may create repositories for {owner}: "
                "classic scope public_repo or repo; fine-grained Administration: write)"
            ) from None
        info = _repo_info(created)
        if info.parent not in (full_name, None):
            raise ForgeError(f"{info.full_name} is a fork of {info.parent}, not of {full_name}")
        return replace(info, can_push=True, parent=full_name)

    def _existing_fork(self, full_name: str, owner: str) -> RepoInfo | None:
        """owner's fork of full_name: usually owner/<same name>; when that name was taken (two
        upstreams called helm-charts), GitHub named the fork otherwise, so search the fork list."""
        try:
            same_name = _repo_info(self._gh.get_repo(f"{owner}/{full_name.split('/', 1)[1]}"))
        except UnknownObjectException:
            return None  # POST /forks then answers with the fork, whatever its name
        if same_name.parent == full_name:
            return same_name
        for fork in self._gh.get_repo(full_name).get_forks():
            if fork.owner.login.lower() == owner.lower():
                return _repo_info(self._gh.get_repo(fork.full_name))
        return None

    # -- pull requests -------------------------------------------------------------------------

    def open_or_update_pr(
        self, full_name: str, spec: PrSpec, existing: PrInfo | None, colors: LabelColors
    ) -> PrOutcome:
        if existing is not None and existing.merged:
            raise ValueError(f"{existing.url} is merged; nothing to update")
        action: PrAction
        if existing is None:
            pr, action = self._create_pr(full_name, spec), "opened"
        elif existing.state == "closed":
            pr, action = self._reopen_pr(full_name, spec, existing)
        else:
            pr, action = self._update_pr(full_name, spec, existing)
        warnings = self._add_labels(full_name, pr, spec.labels, colors)
        return PrOutcome(
            self._remember(pr_info(full_name, pr), spec.head_sha), action, tuple(warnings)
        )

    def _create_pr(self, full_name: str, spec: PrSpec) -> PullRequest:
        repo = self._gh.get_repo(full_name)

        def create() -> PullRequest:
            try:
                return repo.create_pull(
                    base=spec.base,
                    head=spec.head,
                    title=spec.title,
                    body=spec.body,
                    draft=spec.draft,
                )
            except GithubException as e:
                # another run (or our own failed attempt) got there first
                if e.status == 422 and "already exists" in str(e.data):
                    found = self._find_open(full_name, spec.head)
                    if found is not None:
                        return found
                raise

        return self._write(
            f"open a pull request on {full_name} from {spec.head}",
            create,
            lambda: self._find_open(full_name, spec.head),
        )

    def _find_open(self, full_name: str, head: str) -> PullRequest | None:
        found = self.find_pr(full_name, head)
        if found is None or found.state != "open":
            return None
        return self._pulls[(full_name, found.number)]

    def _update_pr(
        self, full_name: str, spec: PrSpec, existing: PrInfo
    ) -> tuple[PullRequest, PrAction]:
        pr = self._pull(full_name, existing.number)
        edits = {
            k: v
            for k, v in (("title", spec.title), ("body", spec.body))
            if getattr(existing, k) != v
        }
        if not edits:
            return pr, "unchanged"
        # PATCH sets fields to absolute values, so repeating it after a failure is harmless
        self._write(f"update {existing.url}", lambda: pr.edit(**edits), lambda: None)  # type: ignore[arg-type]
        return pr, "updated"

    def _reopen_pr(
        self, full_name: str, spec: PrSpec, existing: PrInfo
    ) -> tuple[PullRequest, PrAction]:
        pr = self._pull(full_name, existing.number)
        try:
            self._write(
                f"reopen {existing.url}",
                lambda: pr.edit(state="open", title=spec.title, body=spec.body),
                lambda: None,
            )
            return pr, "reopened"
        except ForgeError:
            # GitHub refuses to reopen when the head branch was deleted and pushed again: open a new one
            log.info("cannot reopen %s; opening a new pull request", existing.url)
            return self._create_pr(full_name, spec), "opened"

    def _pull(self, full_name: str, number: int) -> PullRequest:
        cached = self._pulls.get((full_name, number))
        return cached if cached is not None else self._gh.get_repo(full_name).get_pull(number)

    # -- status and close ----------------------------------------------------------------------

    def pr_details(self, pr: PrInfo) -> PrDetails:
        pull = self._pull(pr.repo, pr.number)
        repo = self._gh.get_repo(pr.repo)
        try:
            review = _review_decision(
                (r.user.login if r.user else "", r.state) for r in pull.get_reviews()
            )
            commit = repo.get_commit(pr.head_sha)
            runs = [(r.status, r.conclusion) for r in commit.get_check_runs()]
            statuses = [s.state for s in commit.get_combined_status().statuses]
            commits = tuple(_commit_info(c) for c in pull.get_commits())
        except (GithubException, requests.RequestException) as e:
            raise ForgeError(f"cannot read the state of {pr.url}: {describe(e)}") from None
        return PrDetails(review, _checks_state(runs, statuses), commits)

    def close_pr(self, pr: PrInfo) -> None:
        pull = self._pull(pr.repo, pr.number)
        self._write(f"close {pr.url}", lambda: pull.edit(state="closed"), lambda: None)
        self._remember(pr_info(pr.repo, pull))

    def delete_branch(self, full_name: str, branch: str) -> bool:
        # not GitRef.delete(): a lazy GitRef keeps the GET URL (/git/ref/...), which DELETE does not accept
        url = f"/repos/{full_name}/git/refs/heads/{quote(branch, safe='/')}"

        def delete() -> bool:
            try:
                self._gh.requester.requestJsonAndCheck("DELETE", url)
            except GithubException as e:
                if e.status in (404, 422):  # 422 "Reference does not exist"
                    return False
                raise
            return True

        return self._write(f"delete branch {branch} of {full_name}", delete, lambda: None)


def _repo_info(repo: Repository) -> RepoInfo:
    permissions = repo.permissions  # first attribute read: the GET happens here
    parent = repo.parent.full_name if repo.fork and repo.parent is not None else None
    if permissions is None:
        return RepoInfo(repo.full_name, repo.default_branch, None, parent)
    return RepoInfo(
        repo.full_name, repo.default_branch, permissions.push, parent, permissions.triage
    )


def _review_decision(reviews: Iterable[tuple[str, str]]) -> ReviewDecision:
    """The latest decisive review per reviewer, as GitHub's reviewDecision (without branch protection)."""
    latest: dict[str, str] = {}
    for user, state in reviews:  # oldest first
        if state in ("APPROVED", "CHANGES_REQUESTED"):
            latest[user] = state
        elif state == "DISMISSED":
            latest.pop(user, None)
    if "CHANGES_REQUESTED" in latest.values():
        return "changes_requested"
    return "approved" if latest else "none"


def _checks_state(runs: Sequence[tuple[str, str | None]], statuses: list[str]) -> ChecksState:
    if not runs and not statuses:
        return "none"
    failed = {"failure", "cancelled", "timed_out", "action_required", "startup_failure", "stale"}
    if any(c in failed for s, c in runs if s == "completed") or any(
        s in ("failure", "error") for s in statuses
    ):
        return "failure"
    if any(s != "completed" for s, _ in runs) or "pending" in statuses:
        return "pending"
    return "success"


def _commit_info(c: Commit) -> CommitInfo:
    git = c.commit
    return CommitInfo(
        c.sha,
        git.author.name,
        git.author.email,
        git.committer.name,
        git.committer.email,
        git.message,
    )
