"""Publish one change set: signed-off commit, branch, push, pull request. Safe to re-run.

Given a git worktree holding the change (the lead's workspace: detached at the base tip, files
edited), `publish` commits it as the bot, looks at the remote branch and the PR, and then:

- merged PR: done, nothing touched; closed PR: left closed unless `reopen`;
- remote branch whose tip is not the bot's commit: someone else pushed; skipped, never overwritten;
- remote branch already holding this change (same message, same tree or same patch): no push;
- otherwise: push, forcing only over the bot's own commit (`--force-with-lease` on the sha we
  inspected, so a push that lands in between is not lost), then open or update the PR.

The bot always leaves exactly one commit on top of the base, so a branch is the bot's own exactly
when its tip is a bot commit (see bot/commits.py): a person cannot put a commit under it without
rewriting it, which changes the committer.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import git

from bot import prbody
from bot.commits import commit_message, edited_by, is_bot_commit
from bot.credentials import GitHubSettings, Identity, Secret, clone_url, git_auth_env
from bot.errors import BotError, ForgeError, PushError
from bot.forge import CommitInfo, Forge, LabelColors, PrInfo, PrSpec, RepoInfo
from bot.model import ChangeSet
from bot.pr_state import find_change_pr

log = logging.getLogger(__name__)

ForkMode = Literal["auto", "always", "never"]
PublishStatus = Literal["opened", "reopened", "updated", "up-to-date", "edited", "merged", "closed"]
WALK_DEPTH = 20  # commits fetched from the remote branch to find the bot's commit under others'
FORK_WAITS = (2.0, 4.0, 8.0, 16.0, 30.0)  # a new fork can take a minute before git can reach it

# no hooks, signing or message cleanup from the user's config: the commit must be exactly the bot's
_COMMIT = ("-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "commit", "--no-verify", "--cleanup=verbatim")  # fmt: skip

# how git reports a refused credential: HTTP status, GitHub's messages, no prompt allowed
_DENIED = re.compile(
    r"\b40[13]\b|permission to .* denied|permission denied|authentication failed|could not read username"
    r"|repository not found",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Change:
    """What the apply flow passes for one change set (one branch, one PR)."""

    repo: str  # target owner/name
    branch: str  # phase-3/<service>-<change>
    base: str  # the branch the worktree was checked out from
    title: str  # PR title and commit subject, already in the repo's convention
    body: str  # PR body from the report module
    labels: tuple[str, ...]  # the tracking item's labels, as the plan lists them
    draft: bool  # open as a draft (repo policy)
    fork: ForkMode = "auto"  # auto: fork when the token cannot push; always; never
    commit_body: str = ""  # optional commit message body

    @classmethod
    def for_change_set(cls, change: ChangeSet, body: str) -> Change:
        """The change set as the campaign model describes it; `body` from report.pr_body."""
        repo = change.repo
        return cls(
            repo.full_name,
            change.branch,
            repo.base,
            change.title,
            body,
            change.item.labels,
            repo.draft,
            repo.fork,
            commit_body=change.why,
        )  # type: ignore[arg-type]


@dataclass(frozen=True)
class Publication:
    status: PublishStatus
    url: str | None  # the PR
    head: str  # owner:branch
    pushed: bool
    detail: str = ""  # why, for edited / closed / merged
    warnings: tuple[str, ...] = ()  # e.g. labels that could not be set


@dataclass(frozen=True)
class _Run:
    """One publish call: the local commit and everything needed to put it on a branch and a PR."""

    repo: git.Repo
    sha: str
    message: str
    change: Change
    forge: Forge
    settings: GitHubSettings
    colors: LabelColors
    reopen: bool


@dataclass(frozen=True)
class _Remote:
    url: str
    env: dict[str, str] = field(repr=False)
    token: Secret | None = field(repr=False)  # only to redact error messages


def publish(
    worktree: Path,
    change: Change,
    *,
    forge: Forge,
    settings: GitHubSettings,
    colors: LabelColors | None = None,
    reopen: bool = False,
) -> Publication:
    """Commit the worktree's changes and push them to a PR. Raises BotError (PushError, ForgeError)."""
    repo = git.Repo(worktree)
    message = commit_message(change.title, change.branch, settings.identity, change.commit_body)
    run = _Run(
        repo,
        _commit(repo, message, settings.identity, change.branch),
        message,
        change,
        forge,
        settings,
        colors or LabelColors(),
        reopen,
    )
    target = forge.repository(change.repo)
    found = find_change_pr(forge, change.repo, change.branch, fork=change.fork)
    if found is not None and found.state == "open" and found.head_repo not in (None, target.full_name):
        # one PR per change set: stay with the open PR's fork even if the token could push upstream now
        return _publish_to(run, forge.repository(found.head_repo), found)
    if change.fork == "always" or (change.fork == "auto" and target.can_push is False):
        return _publish_to(run, _fork(forge, change), found)
    try:
        return _publish_to(run, target, found)
    except PushError as e:
        if not e.denied:
            raise
        if change.fork == "never":
            raise PushError(
                f"cannot push {change.branch} to {change.repo}: {e} (needs Contents: write; "
                "the repository's policy is fork: never)",
                denied=True,
            ) from None
        log.info("push to %s refused (%s); trying a fork", change.repo, e)
        return _publish_to(run, _fork(forge, change, push_error=str(e)), found)


def _fork(forge: Forge, change: Change, push_error: str = "") -> RepoInfo:
    try:
        return forge.fork(change.repo)
    except ForgeError as e:
        if change.fork == "always":
            raise
        why = push_error or "the token has no push access to it"
        raise ForgeError(
            f"cannot push {change.branch} to {change.repo}: {why} (needs Contents: write, or a classic "
            f"token with repo/public_repo scope and write access), and fork mode failed: {e}"
        ) from None


def _publish_to(run: _Run, head_repo: RepoInfo, found: PrInfo | None) -> Publication:
    change, forge, identity = run.change, run.forge, run.settings.identity
    head = f"{head_repo.owner}:{change.branch}"
    # `found` searched every head this change set can have: None means no PR under this head either
    known = found is None or found.head_repo == head_repo.full_name
    existing = found if known else forge.find_pr(change.repo, head)
    if existing is not None and existing.merged:
        return Publication("merged", existing.url, head, False, "merged; nothing to do")
    if existing is not None and existing.state == "closed" and not run.reopen:
        return Publication(
            "closed", existing.url, head, False, "closed without merging; --reopen to reopen it"
        )

    url = clone_url(run.settings, head_repo.full_name)
    token = forge.push_token()
    remote = _Remote(url, git_auth_env(token, url), token)
    fresh_fork = head_repo.full_name != change.repo  # GitHub creates forks asynchronously
    old = _remote_tip(run.repo, remote, change.branch, waits=FORK_WAITS if fresh_fork else ())
    if old is not None:
        commits = _log(run.repo, old)
        if not commits or not is_bot_commit(commits[0], identity, change.branch):
            above = _above_bot_commit(commits, identity, change.branch)
            # no bot commit at all: the walk reached the base's history, whose authors did not edit
            names = edited_by(above if len(above) < len(commits) else commits[:1], identity, change.branch)
            pr_url = existing.url if existing is not None else None
            return Publication(
                "edited", pr_url, head, False, f"edited by {', '.join(names) or 'unknown'}, skipped"
            )

    pushed = old is None or not _same_change(run.repo, old, run.sha, run.message)
    if pushed:
        _push(run.repo, remote, run.sha, change.branch, expect=old)

    body = prbody.for_update(existing.body, change.body) if existing is not None else change.body
    spec = PrSpec(change.base, head, change.title, body, change.draft, change.labels)
    outcome = forge.open_or_update_pr(change.repo, spec, existing, run.colors)
    status: PublishStatus
    if outcome.action in ("opened", "reopened"):
        status = outcome.action
    else:
        status = "updated" if pushed or outcome.action == "updated" else "up-to-date"
    return Publication(status, outcome.pr.url, head, pushed, warnings=outcome.warnings)


# -- git ---------------------------------------------------------------------------------------


def _git(repo: git.Repo, *args: str, env: dict[str, str] | None = None, **kwargs) -> str:
    return repo.git.execute(["git", *args], env=env, **kwargs)


def _commit(repo: git.Repo, message: str, identity: Identity, branch: str) -> str:
    """Commit everything in the worktree as the bot; reuse HEAD when it already is this commit."""
    _git(repo, "add", "-A")
    if not _git(repo, "diff", "--cached", "--name-only"):
        head = _log(repo, "HEAD", 1)
        if (
            head
            and is_bot_commit(head[0], identity, branch)
            and head[0].message.strip() == message.strip()
        ):
            return head[0].sha
        raise BotError(f"nothing to commit in {repo.working_tree_dir}")
    env = {
        "GIT_AUTHOR_NAME": identity.name,
        "GIT_AUTHOR_EMAIL": identity.email,
        "GIT_COMMITTER_NAME": identity.name,
        "GIT_COMMITTER_EMAIL": identity.email,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".msg", delete=False) as f:
        f.write(message)
    try:
        _git(repo, *_COMMIT, "-F", f.name, env=env)
    finally:
        Path(f.name).unlink()
    return _git(repo, "rev-parse", "HEAD")


def _log(repo: git.Repo, rev: str, count: int = WALK_DEPTH) -> list[CommitInfo]:
    """Up to `count` first-parent commits from `rev`, newest first (stops at a shallow boundary)."""
    log_format = "--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e"
    out = _git(repo, "log", f"-{count}", "--first-parent", log_format, rev)
    commits = []
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x00")
        if len(fields) == 6:
            commits.append(CommitInfo(*fields))
    return commits


def _above_bot_commit(
    commits: list[CommitInfo], identity: Identity, branch: str
) -> list[CommitInfo]:
    above = []
    for c in commits:
        if is_bot_commit(c, identity, branch):
            break
        above.append(c)
    return above


def _remote_tip(
    repo: git.Repo, remote: _Remote, branch: str, *, waits: tuple[float, ...] = ()
) -> str | None:
    """Fetch the remote branch (enough history to walk past others' commits); None when it does not exist.

    `waits`: seconds to wait between further tries while the repository is not reachable yet."""
    ref = f"refs/heads/{branch}"
    for wait in (*waits, None):
        try:
            listed = _network(repo, remote, "ls-remote", "--heads", remote.url, ref)
            break
        except PushError as e:
            if wait is None or not e.denied:
                raise
            log.info("%s is not reachable yet (%s); trying again in %ss", remote.url, e, wait)
            time.sleep(wait)
    if not listed.strip():
        return None
    shallow = _git(repo, "rev-parse", "--is-shallow-repository") == "true"
    depth = [f"--depth={WALK_DEPTH}"] if shallow else []
    with _store_lock(repo):
        _network(repo, remote, "fetch", "--no-tags", *depth, remote.url, ref)
    return _git(repo, "rev-parse", "FETCH_HEAD")


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def _store_lock(repo: git.Repo) -> Iterator[None]:
    """One fetch at a time per object store: the change sets of one repository share the workspace's
    shallow cache, and a second `fetch --depth` fails on its `shallow.lock` (threads and processes)."""
    common = Path(_git(repo, "rev-parse", "--path-format=absolute", "--git-common-dir"))
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(str(common), threading.Lock())
    # the same file bot.workspace locks for its clone/fetch of this cache (<cache>.git -> <cache>.lock)
    with lock, open(common.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _same_change(repo: git.Repo, old: str, new: str, message: str) -> bool:
    """Is `new` already on the branch? Same message and the same tree, or the same patch on an older base."""
    if _log(repo, old, 1)[0].message.strip() != message.strip():
        return False
    if _git(repo, "rev-parse", f"{old}^{{tree}}") == _git(repo, "rev-parse", f"{new}^{{tree}}"):
        return True
    try:
        return _patch_id(repo, old) == _patch_id(repo, new)
    except git.GitCommandError:
        return False  # parent not fetched: treat as changed


def _patch_id(repo: git.Repo, commit: str) -> str:
    diff = _git(
        repo,
        "diff-tree",
        "-p",
        "--no-color",
        f"{commit}^",
        commit,
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    with tempfile.TemporaryFile() as f:
        f.write(diff)
        f.seek(0)
        out = _git(repo, "patch-id", "--stable", istream=f)
    return out.split()[0] if out else ""


def _push(repo: git.Repo, remote: _Remote, sha: str, branch: str, *, expect: str | None) -> None:
    # the lease makes the force conditional: the branch must still be where we saw it (or absent)
    lease = f"--force-with-lease=refs/heads/{branch}:{expect or ''}"
    _network(
        repo,
        remote,
        "push",
        "--porcelain",
        "--no-verify",
        lease,
        remote.url,
        f"{sha}:refs/heads/{branch}",
    )


def _network(repo: git.Repo, remote: _Remote, *args: str) -> str:
    try:
        return _git(repo, *args, env=remote.env)
    except git.GitCommandError as e:
        stderr = _redact(str(e.stderr or ""), remote.token).strip()
        denied = _DENIED.search(stderr) is not None
        rejected = [line for line in str(e.stdout or "").splitlines() if line.startswith("!")]
        if any("stale info" in line for line in rejected):
            reason = "someone pushed to the branch after the bot looked at it; left alone, run again"
        else:
            reason = "; ".join(line.split("\t")[-1] for line in rejected) or stderr or str(e.status)
        raise PushError(f"git {args[0]} {remote.url} failed: {_redact(reason, remote.token)}", denied=denied) from None


def _redact(text: str, token: Secret | None) -> str:
    """Belt and braces: git never sees the token on argv or in URLs, but never echo it either."""
    return text.replace(token.reveal(), "****") if token is not None else text
