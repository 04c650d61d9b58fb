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

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.campaign.model import ChangeSet, ForkMode
from bot.errors import BotError, ForgeError, PushError
from bot.forge import prbody
from bot.forge.api import CommitInfo, Forge, LabelColors, PrInfo, PrSpec, RepoInfo
from bot.forge.commits import commit_message, edited_by, is_bot_commit
from bot.forge.credentials import GitHubSettings, Identity, clone_url, git_auth_env
from bot.forge.pr_state import find_change_pr
from bot.workspace.branch import Remote, Worktree

log = logging.getLogger(__name__)

PublishStatus = Literal["opened", "reopened", "updated", "up-to-date", "edited", "merged", "closed"]
FORK_WAITS = (2.0, 4.0, 8.0, 16.0, 30.0)  # a new fork can take a minute before git can reach it


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
        )


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

    worktree: Worktree
    sha: str
    message: str
    change: Change
    forge: Forge
    settings: GitHubSettings
    colors: LabelColors
    reopen: bool


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
    tree = Worktree(worktree)
    message = commit_message(change.title, change.branch, settings.identity, change.commit_body)
    run = _Run(
        tree,
        _commit(tree, message, settings.identity, change.branch),
        message,
        change,
        forge,
        settings,
        colors or LabelColors(),
        reopen,
    )
    target = forge.repository(change.repo)
    # open PRs only: a closed one matters only under the head this run pushes to (_publish_to)
    found = find_change_pr(forge, change.repo, change.branch, fork=change.fork, closed=False)
    if found is not None and found.head_repo not in (None, target.full_name):
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
    # `found` is the open PR under any head this change set can have; else look for a closed or
    # merged one under this head only (one request: a new PR's only lookup)
    known = found is not None and found.head_repo == head_repo.full_name
    existing = found if known else forge.find_pr(change.repo, head)
    if existing is not None and existing.merged:
        return Publication("merged", existing.url, head, False, "merged; nothing to do")
    if existing is not None and existing.state == "closed" and not run.reopen:
        return Publication(
            "closed", existing.url, head, False, "closed without merging; --reopen to reopen it"
        )

    url = clone_url(run.settings, head_repo.full_name)
    token = forge.push_token()
    remote = Remote(url, git_auth_env(token, url), token)
    fresh_fork = head_repo.full_name != change.repo  # GitHub creates forks asynchronously
    old = run.worktree.remote_tip(remote, change.branch, waits=FORK_WAITS if fresh_fork else ())
    if old is not None:
        commits = run.worktree.log(old)
        if not commits or not is_bot_commit(commits[0], identity, change.branch):
            above = _above_bot_commit(commits, identity, change.branch)
            # no bot commit at all: the walk reached the base's history, whose authors did not edit
            names = edited_by(
                above if len(above) < len(commits) else commits[:1], identity, change.branch
            )
            pr_url = existing.url if existing is not None else None
            return Publication(
                "edited", pr_url, head, False, f"edited by {', '.join(names) or 'unknown'}, skipped"
            )

    pushed = old is None or not run.worktree.same_change(old, run.sha, run.message)
    if pushed:
        run.worktree.push(remote, run.sha, change.branch, expect=old)

    body = prbody.for_update(existing.body, change.body) if existing is not None else change.body
    tip = run.sha if pushed else old  # the branch kept its commit when it held the change already
    spec = PrSpec(change.base, head, change.title, body, change.draft, change.labels, tip)
    outcome = forge.open_or_update_pr(change.repo, spec, existing, run.colors)
    status: PublishStatus
    if outcome.action in ("opened", "reopened"):
        status = outcome.action
    else:
        status = "updated" if pushed or outcome.action == "updated" else "up-to-date"
    return Publication(status, outcome.pr.url, head, pushed, warnings=outcome.warnings)


def _commit(worktree: Worktree, message: str, identity: Identity, branch: str) -> str:
    """Commit everything in the worktree as the bot; reuse HEAD when it already is this commit."""
    sha = worktree.commit_all(message, identity)
    if sha is not None:
        return sha
    head = worktree.log("HEAD", 1)
    if (
        head
        and is_bot_commit(head[0], identity, branch)
        and head[0].message.strip() == message.strip()
    ):
        return head[0].sha
    raise BotError("nothing to commit in the change set's worktree")


def _above_bot_commit(
    commits: list[CommitInfo], identity: Identity, branch: str
) -> list[CommitInfo]:
    above = []
    for c in commits:
        if is_bot_commit(c, identity, branch):
            break
        above.append(c)
    return above
