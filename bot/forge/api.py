"""What the apply, status and close flows need from a forge, as a Protocol plus plain value types.

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


class Forge(Protocol):
    # the repository, with whether this token may push to it
    def repository(self, full_name: str) -> RepoInfo: ...

    # the token's git credential (a GitHub App's installation token is fetched and refreshed here)
    def push_token(self) -> Secret | None: ...

    # the token owner's fork of `full_name`, created when missing; ForgeError says which permission is missing
    def fork(self, full_name: str) -> RepoInfo: ...

    # the newest open PR for head owner:branch, else the newest closed or merged one, else None
    def find_pr(self, full_name: str, head: str) -> PrInfo | None: ...

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
