"""Where each change set's PR stands (`bot status`) and taking the bot's PRs back (`bot close`).

Both read the forge only: no clone. A change set's PR is found by its head, owner:branch, under
the target's owner and, for fork mode, under the token owner.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.forge.api import ChecksState, Forge, PrInfo, PrState, ReviewDecision
from bot.forge.commits import edited_by
from bot.forge.credentials import Identity


@dataclass(frozen=True)
class ChangeStatus:
    repo: str
    branch: str
    state: PrState
    url: str | None = None
    review: ReviewDecision | None = None  # open PRs only
    checks: ChecksState | None = None  # open PRs only
    edited_by: tuple[str, ...] = ()  # people with commits on the branch
    number: int | None = None  # the PR's number in `repo`

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "edited_by": list(self.edited_by)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeStatus:
        """Back from as_dict(), e.g. as the dashboard stores it; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "edited_by": tuple(known.get("edited_by") or ())})


@dataclass(frozen=True)
class Closed:
    repo: str
    branch: str
    url: str | None  # None: no open PR
    branch_deleted: bool
    detail: str = ""


def find_change_pr(
    forge: Forge, repo: str, branch: str, *, fork: str = "auto", closed: bool = True
) -> PrInfo | None:
    """The PR for `branch`, looked up by head under the repo's owner and the token owner (first when
    fork: always). An open PR comes out of the repo's open PRs, listed once per run; closed and
    merged ones are asked for head by head, and only when `closed` and no open PR was found."""
    owners = [repo.split("/", 1)[0]]
    user = forge.token_owner() if fork != "never" else None
    if user is not None and user.lower() != owners[0].lower():
        owners.insert(0 if fork == "always" else 1, user)
    for owner in owners:
        pr = forge.find_open_pr(repo, f"{owner}:{branch}")
        if pr is not None:
            return pr  # an open PR wins; no need to look under the other owner
    if not closed:
        return None
    found = []
    for owner in owners:
        pr = forge.find_pr(repo, f"{owner}:{branch}")
        if pr is not None and pr.state == "open":
            return pr  # opened since the list was read
        found += [pr] if pr is not None else []
    return found[0] if found else None


def change_status(
    forge: Forge, repo: str, branch: str, identity: Identity, *, fork: str = "auto"
) -> ChangeStatus:
    pr = find_change_pr(forge, repo, branch, fork=fork)
    if pr is None:
        return ChangeStatus(repo, branch, "missing")
    if pr.state != "open":
        return ChangeStatus(repo, branch, pr.status, pr.url, number=pr.number)
    details = forge.pr_details(pr)
    humans = tuple(edited_by(details.commits, identity, branch))
    return ChangeStatus(
        repo, branch, pr.status, pr.url, details.review, details.checks, humans, pr.number
    )


def close_change(
    forge: Forge, repo: str, branch: str, identity: Identity, *, fork: str = "auto"
) -> Closed:
    """Close the open PR and delete its branch, unless a person has commits on it (then keep the branch)."""
    pr = find_change_pr(forge, repo, branch, fork=fork)
    if pr is None or pr.state != "open":
        return Closed(repo, branch, None, False, "no open pull request")
    humans = edited_by(forge.pr_details(pr).commits, identity, branch)
    forge.close_pr(pr)
    if humans:
        return Closed(repo, branch, pr.url, False, f"branch kept: edited by {', '.join(humans)}")
    if pr.head_repo is None:
        return Closed(repo, branch, pr.url, False, "the head repository was deleted")
    deleted = forge.delete_branch(pr.head_repo, branch)
    return Closed(repo, branch, pr.url, deleted, "" if deleted else "branch already gone")
