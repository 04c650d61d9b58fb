"""What the apply, status, close and tracking flows need from a forge, as a Protocol plus plain value types.

`bot/github.py` implements it with PyGithub; tests can implement it with a recording fake. Nothing
here imports PyGithub, so publish logic and its callers stay independent of the client library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from bot.secrets import Secret

PrState = Literal["missing", "open", "draft", "merged", "closed"]
ReviewDecision = Literal[
    "approved", "changes_requested", "none"
]  # REST cannot see required reviews
ChecksState = Literal["success", "failure", "pending", "none"]
PrAction = Literal["opened", "updated", "reopened", "unchanged"]
IssueState = Literal["open", "closed"]


@dataclass(frozen=True)
class RepoInfo:
    full_name: str  # owner/name
    default_branch: str
    can_push: bool | None  # None: the token's permissions are not reported (GitHub App tokens)
    parent: str | None = None  # full name of the repo this one is a fork of
    can_triage: bool | None = None  # may label issues and PRs; None: not reported

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]


@dataclass(frozen=True)
class PrInfo:
    repo: str  # the base repository, owner/name
    number: int
    url: str  # html_url, for people
    state: Literal["open", "closed"]
    draft: bool
    merged: bool
    title: str
    body: str
    labels: tuple[str, ...]
    head: str  # owner:branch
    head_repo: str | None  # owner/name of the head repository; None when it was deleted
    head_sha: str
    base: str

    @property
    def status(self) -> PrState:
        if self.merged:
            return "merged"
        if self.state == "closed":
            return "closed"
        return "draft" if self.draft else "open"


@dataclass(frozen=True)
class PrSpec:
    """The pull request the bot wants: `head` is owner:branch (the fork owner in fork mode)."""

    base: str
    head: str
    title: str
    body: str
    draft: bool
    labels: tuple[str, ...] = ()
    head_sha: str | None = (
        None  # the commit the head branch now holds (just pushed, or already there)
    )


@dataclass(frozen=True)
class LabelColors:
    colors: Mapping[str, str] = field(default_factory=dict)  # recipes.yaml settings.label_colors
    default: str = "ededed"  # settings.default_label_color

    def color(self, name: str) -> str:
        return self.colors.get(name, self.default).lstrip("#")


@dataclass(frozen=True)
class PrOutcome:
    pr: PrInfo
    action: PrAction
    warnings: tuple[str, ...] = ()  # e.g. labels the token may not create; the PR itself is fine


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    message: str


@dataclass(frozen=True)
class PrDetails:
    review: ReviewDecision
    checks: ChecksState
    commits: tuple[CommitInfo, ...]  # oldest first, as the API lists them


@dataclass(frozen=True)
class IssueInfo:
    repo: str  # owner/name
    number: int
    url: str  # html_url, for people
    title: str
    body: str
    state: IssueState
    labels: tuple[str, ...]
    author: str  # login of whoever opened it


@dataclass(frozen=True)
class IssueSpec:
    """An issue the bot files: the body carries a marker that finds it again."""

    title: str
    body: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueOutcome:
    issue: IssueInfo
    warnings: tuple[str, ...] = ()  # e.g. labels the token may not set; the issue itself is fine


@dataclass(frozen=True)
class CommentInfo:
    id: int
    url: str  # html_url, links to the comment itself
    body: str
    author: str


class Forge(Protocol):
    # the repository, with whether this token may push to it
    def repository(self, full_name: str) -> RepoInfo: ...

    # the token's git credential (a GitHub App's installation token is fetched and refreshed here)
    def push_token(self) -> Secret | None: ...

    # the token owner's fork of `full_name`, created when missing; ForgeError says which permission is missing
    def fork(self, full_name: str) -> RepoInfo: ...

    # the newest open PR for head owner:branch, else the newest closed or merged one, else None
    def find_pr(self, full_name: str, head: str) -> PrInfo | None: ...

    # the open PR for head owner:branch, out of the repository's open PRs (listed once per run)
    def find_open_pr(self, full_name: str, head: str) -> PrInfo | None: ...

    # create the PR (or update `existing`: title, body, reopen) and add the missing labels; never duplicates
    def open_or_update_pr(
        self, full_name: str, spec: PrSpec, existing: PrInfo | None, colors: LabelColors
    ) -> PrOutcome: ...

    # review decision, checks on the head commit, and the PR's commits (for "edited by a human")
    def pr_details(self, pr: PrInfo) -> PrDetails: ...

    # close an open PR (no comment, no label changes)
    def close_pr(self, pr: PrInfo) -> None: ...

    # delete a branch; False when it was already gone
    def delete_branch(self, full_name: str, branch: str) -> bool: ...

    # login of the token owner (fork owner), None for GitHub App installations
    def token_owner(self) -> str | None: ...

    # -- issues (tracking items and the campaign dashboard) --

    # every issue (never a PR) of the repository, open and closed; only those `creator` opened when given
    def list_issues(self, full_name: str, creator: str | None = None) -> list[IssueInfo]: ...

    # issues of full_name whose title or body has every word of `text` (GitHub search: its index lags writes)
    def search_issues(self, full_name: str, text: str) -> list[IssueInfo]: ...

    # one issue by number; None when there is none (or it is a PR)
    def get_issue(self, full_name: str, number: int) -> IssueInfo | None: ...

    # file an issue, creating its missing labels first; after a failure that may have filed it, the
    # newest issues are searched for `marker` before trying again, so it is never filed twice
    def create_issue(
        self, full_name: str, spec: IssueSpec, marker: str, colors: LabelColors
    ) -> IssueOutcome: ...

    # set title, body and/or state (absolute values: repeating is harmless) and add the labels it lacks
    def update_issue(
        self,
        issue: IssueInfo,
        *,
        title: str | None = None,
        body: str | None = None,
        state: IssueState | None = None,
        labels: tuple[str, ...] = (),
        colors: LabelColors | None = None,
    ) -> IssueOutcome: ...

    # the issue's comments, oldest first
    def issue_comments(self, issue: IssueInfo) -> list[CommentInfo]: ...

    # comment unless a comment containing `marker` is there: looked up before the POST and before a retry
    def comment_once(self, issue: IssueInfo, body: str, marker: str) -> CommentInfo: ...
