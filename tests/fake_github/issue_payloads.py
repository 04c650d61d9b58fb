"""JSON bodies of GitHub's issue endpoints: `issue`, `issue-comment` and `issue-search-result-item`."""

from __future__ import annotations

from typing import Any

from tests.fake_github.payloads import Urls, label, user
from tests.fake_github.state import Comment, Issue, Pull, World


def issue(u: Urls, world: World, found: Issue) -> dict[str, Any]:
    repo = world.repo(found.repo)
    assert repo is not None
    api = f"{u.api}/repos/{repo.full_name}/issues/{found.number}"
    return {
        **_common(u, world, repo.full_name, found.number, found.user),
        "id": found.id,
        "node_id": f"I_{found.id}",
        "html_url": f"{u.web}/{repo.full_name}/issues/{found.number}",
        "url": api,
        "title": found.title,
        "body": found.body,
        "state": found.state,
        "state_reason": found.state_reason,
        "labels": [label(u, repo, repo.labels[name.lower()]) for name in found.labels],
        "comments": len(found.comments),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "closed_at": found.closed_at,
    }


def pull_as_issue(u: Urls, world: World, pr: Pull) -> dict[str, Any]:
    """A pull request as the issues API lists it: an issue with a `pull_request` key."""
    repo = world.repo(pr.repo)
    assert repo is not None
    html = f"{u.web}/{repo.full_name}/pull/{pr.number}"
    return {
        **_common(u, world, repo.full_name, pr.number, pr.user),
        "id": pr.id,
        "node_id": f"PR_{pr.id}",
        "html_url": html,
        "url": f"{u.api}/repos/{repo.full_name}/issues/{pr.number}",
        "title": pr.title,
        "body": pr.body,
        "state": pr.state,
        "labels": [label(u, repo, repo.labels[name.lower()]) for name in pr.labels],
        "comments": 0,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "closed_at": pr.closed_at,
        "pull_request": {
            "url": f"{u.api}/repos/{repo.full_name}/pulls/{pr.number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": pr.merged_at,
        },
    }


def _common(u: Urls, world: World, full_name: str, number: int, author: str) -> dict[str, Any]:
    api = f"{u.api}/repos/{full_name}/issues/{number}"
    return {
        "number": number,
        "repository_url": f"{u.api}/repos/{full_name}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "user": user(u, world.users[author]),
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": False,
        "author_association": "MEMBER",
    }


def search_item(u: Urls, world: World, found: Issue) -> dict[str, Any]:
    return {**issue(u, world, found), "score": 1.0}


def comment(u: Urls, world: World, found: Issue, c: Comment) -> dict[str, Any]:
    api = f"{u.api}/repos/{found.repo}"
    return {
        "id": c.id,
        "node_id": f"IC_{c.id}",
        "url": f"{api}/issues/comments/{c.id}",
        "html_url": f"{u.web}/{found.repo}/issues/{found.number}#issuecomment-{c.id}",
        "body": c.body,
        "user": user(u, world.users[c.user]),
        "created_at": c.created_at,
        "updated_at": c.created_at,
        "issue_url": f"{api}/issues/{found.number}",
        "author_association": "MEMBER",
    }
