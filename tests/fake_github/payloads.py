"""JSON bodies in the shapes GitHub's REST API returns (every field the schemas require).

URLs point at the fake itself: PyGithub follows `url` fields and asserts they start with its
base_url, so GitHub's own example URLs would break it (tooling.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.fake_github.state import Label, Pull, Repo, Review, User, World, now

EPOCH = "2026-01-01T00:00:00Z"


@dataclass(frozen=True)
class Urls:
    api: str  # http://127.0.0.1:PORT/api/v3
    web: str  # http://127.0.0.1:PORT


def user(u: Urls, user: User) -> dict[str, Any]:
    api = f"{u.api}/users/{user.login}"
    return {
        "login": user.login,
        "id": user.id,
        "node_id": f"U_{user.id}",
        "avatar_url": f"{u.web}/avatars/{user.login}",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{u.web}/{user.login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": user.type,
        "site_admin": False,
    }


def private_user(u: Urls, user_: User) -> dict[str, Any]:
    return {
        **user(u, user_),
        "name": user_.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": user_.email,
        "hireable": None,
        "bio": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": EPOCH,
        "updated_at": EPOCH,
        "private_gists": 0,
        "total_private_repos": 0,
        "owned_private_repos": 0,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
        "user_view_type": "private",  # the discriminator between private-user and public-user
    }


_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def repository(u: Urls, world: World, repo: Repo) -> dict[str, Any]:
    """The `repository` schema (as nested in PR heads and bases)."""
    api = f"{u.api}/repos/{repo.full_name}"
    owner = world.users[repo.owner]
    return {
        "id": repo.id,
        "node_id": f"R_{repo.id}",
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": user(u, owner),
        "private": repo.private,
        "html_url": f"{u.web}/{repo.full_name}",
        "description": None,
        "fork": repo.parent is not None,
        "url": api,
        **{k: api + v for k, v in _REPO_URLS.items()},
        "clone_url": f"{u.web}/{repo.full_name}.git",
        "git_url": f"git://127.0.0.1/{repo.full_name}.git",
        "ssh_url": f"git@127.0.0.1:{repo.full_name}.git",
        "svn_url": f"{u.web}/{repo.full_name}",
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 0,
        "default_branch": repo.default_branch,
        "open_issues": 0,
        "open_issues_count": 0,
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "archived": False,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "license": None,
        "pushed_at": repo.created_at,
        "created_at": repo.created_at,
        "updated_at": repo.created_at,
        "allow_forking": repo.allow_forking,
    }


def full_repository(
    u: Urls, world: World, repo: Repo, permissions: dict[str, bool] | None
) -> dict[str, Any]:
    body = {
        **repository(u, world, repo),
        "has_discussions": False,
        "network_count": 0,
        "subscribers_count": 0,
    }
    if permissions is not None:  # user tokens only; installation tokens get none
        body["permissions"] = permissions
    if repo.parent is not None:
        parent = world.repo(repo.parent)
        assert parent is not None
        body["parent"] = body["source"] = repository(u, world, parent)
    return body


def label(u: Urls, repo: Repo, label_: Label) -> dict[str, Any]:
    return {
        "id": label_.id,
        "node_id": f"LA_{label_.id}",
        "url": f"{u.api}/repos/{repo.full_name}/labels/{label_.name}",
        "name": label_.name,
        "description": label_.description,
        "color": label_.color,
        "default": False,
    }


def _part(u: Urls, world: World, repo_name: str | None, ref: str, sha: str) -> dict[str, Any]:
    repo = world.repo(repo_name) if repo_name else None
    owner = repo.owner if repo else "ghost"
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(u, world.users[owner]) if repo else None,
        "repo": repository(u, world, repo) if repo else None,
    }


def pull(u: Urls, world: World, pr: Pull, *, full: bool) -> dict[str, Any]:
    """`pull-request` (full) or `pull-request-simple`."""
    base = world.repo(pr.repo)
    assert base is not None
    api = f"{u.api}/repos/{base.full_name}"
    html = f"{u.web}/{base.full_name}/pull/{pr.number}"
    labels = [label(u, base, base.labels[name.lower()]) for name in pr.labels]
    links = {
        "self": f"{api}/pulls/{pr.number}",
        "html": html,
        "issue": f"{api}/issues/{pr.number}",
        "comments": f"{api}/issues/{pr.number}/comments",
        "review_comments": f"{api}/pulls/{pr.number}/comments",
        "review_comment": f"{api}/pulls/comments{{/number}}",
        "commits": f"{api}/pulls/{pr.number}/commits",
        "statuses": f"{api}/statuses/{pr.head_sha}",
    }
    body: dict[str, Any] = {
        "url": links["self"],
        "id": pr.id,
        "node_id": f"PR_{pr.id}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": links["issue"],
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": links["comments"],
        "statuses_url": links["statuses"],
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": user(u, world.users[pr.user]),
        "body": pr.body,
        "labels": labels,
        "milestone": None,
        "active_lock_reason": None,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "closed_at": pr.closed_at,
        "merged_at": pr.merged_at,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _part(u, world, pr.head_repo, pr.head_ref, pr.head_sha),
        "base": _part(u, world, pr.repo, pr.base_ref, pr.base_sha),
        "_links": {k: {"href": v} for k, v in links.items()},
        "author_association": "CONTRIBUTOR",
        "auto_merge": None,
        "draft": pr.draft,
    }
    if full:
        body.update(
            {
                "merged": pr.merged_at is not None,
                "mergeable": None,
                "rebaseable": None,
                "mergeable_state": "unknown",
                "merged_by": None,
                "comments": 0,
                "review_comments": 0,
                "maintainer_can_modify": True,
                "commits": 1,
                "additions": 0,
                "deletions": 0,
                "changed_files": 0,
            }
        )
    return body


def review(u: Urls, world: World, pr: Pull, r: Review) -> dict[str, Any]:
    html = f"{u.web}/{pr.repo}/pull/{pr.number}"
    return {
        "id": r.id,
        "node_id": f"PRR_{r.id}",
        "user": user(u, world.users[r.user]),
        "body": "",
        "state": r.state,
        "commit_id": r.commit_id,
        "html_url": f"{html}#pullrequestreview-{r.id}",
        "pull_request_url": f"{u.api}/repos/{pr.repo}/pulls/{pr.number}",
        "_links": {
            "html": {"href": html},
            "pull_request": {"href": f"{u.api}/repos/{pr.repo}/pulls/{pr.number}"},
        },
        "submitted_at": now(),
        "author_association": "MEMBER",
    }


def commit(u: Urls, repo: str, c: dict[str, str]) -> dict[str, Any]:
    """One item of GET /pulls/{n}/commits; `c` has sha, tree, parents and author/committer name/email/date."""
    api = f"{u.api}/repos/{repo}"

    def person(who: str) -> dict[str, str]:
        return {"name": c[f"{who}_name"], "email": c[f"{who}_email"], "date": c[f"{who}_date"]}

    return {
        "url": f"{api}/commits/{c['sha']}",
        "sha": c["sha"],
        "node_id": f"C_{c['sha'][:12]}",
        "html_url": f"{u.web}/{repo}/commit/{c['sha']}",
        "comments_url": f"{api}/commits/{c['sha']}/comments",
        "commit": {
            "url": f"{api}/git/commits/{c['sha']}",
            "author": person("author"),
            "committer": person("committer"),
            "message": c["message"],
            "comment_count": 0,
            "tree": {"sha": c["tree"], "url": f"{api}/git/trees/{c['tree']}"},
        },
        "author": None,
        "committer": None,
        "parents": [{"sha": p, "url": f"{api}/commits/{p}"} for p in c["parents"].split()],
    }


def check_runs(
    u: Urls, repo: str, sha: str, runs: list[tuple[str, str, str | None]]
) -> dict[str, Any]:
    items = []
    for i, (name, status, conclusion) in enumerate(runs, start=1):
        items.append(
            {
                "id": i,
                "node_id": f"CR_{i}",
                "head_sha": sha,
                "name": name,
                "external_id": None,
                "url": f"{u.api}/repos/{repo}/check-runs/{i}",
                "html_url": None,
                "details_url": None,
                "status": status,
                "conclusion": conclusion,
                "started_at": EPOCH,
                "completed_at": EPOCH if status == "completed" else None,
                "output": {
                    "title": None,
                    "summary": None,
                    "text": None,
                    "annotations_count": 0,
                    "annotations_url": f"{u.api}/repos/{repo}/check-runs/{i}/annotations",
                },
                "check_suite": {"id": 1},
                "app": None,
                "pull_requests": [],
            }
        )
    return {"total_count": len(items), "check_runs": items}


def combined_status(
    u: Urls, world: World, repo: Repo, sha: str, statuses: list[tuple[str, str]]
) -> dict[str, Any]:
    states = [s for _, s in statuses]
    state = (
        "failure"
        if {"failure", "error"} & set(states)
        else "pending"
        if "pending" in states or not states
        else "success"
    )
    minimal = {k: v for k, v in repository(u, world, repo).items() if k not in ("visibility",)}
    items = [
        {
            "id": i,
            "node_id": f"S_{i}",
            "state": s,
            "context": ctx,
            "description": None,
            "target_url": None,
            "avatar_url": None,
            "url": f"{u.api}/repos/{repo.full_name}/statuses/{sha}",
            "created_at": EPOCH,
            "updated_at": EPOCH,
        }
        for i, (ctx, s) in enumerate(statuses, start=1)
    ]
    return {
        "state": state,
        "sha": sha,
        "total_count": len(items),
        "statuses": items,
        "repository": minimal,
        "commit_url": f"{u.api}/repos/{repo.full_name}/commits/{sha}",
        "url": f"{u.api}/repos/{repo.full_name}/commits/{sha}/status",
    }


def error(message: str, *, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "documentation_url": "https://docs.github.com/rest"}
    if errors is not None:
        body["errors"] = errors
    return body
