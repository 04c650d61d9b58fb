"""The fake's world: users, tokens, repositories backed by bare git repos, pull requests, labels.

Permissions follow GitHub's model closely enough for the bot's decisions: a role per user and
repository (owner = admin, public = read for everyone), and for fine-grained and installation
tokens a permission map that can be narrower than the role (`contents: read` with a write role
is the "permissions say push, git push says 403" case).
"""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROLES = ("none", "read", "triage", "write", "maintain", "admin")
LEVELS = ("none", "read", "write", "admin")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


PRE_RECEIVE = """#!/bin/sh
# the fake's push log: one line per updated ref (pushes made by the fake's own setup are not logged)
[ -n "$FAKE_SETUP_PUSH" ] && exit 0
while read old new ref; do echo "$(basename "$(dirname "$PWD")")/$(basename "$PWD" .git) $ref $old $new" >> "$1"; done
"""


def install_push_log(repo_path: Path, log: Path) -> None:
    hook = repo_path / "hooks" / "pre-receive"
    hook.write_text(PRE_RECEIVE.replace('"$1"', f"'{log}'"))
    hook.chmod(0o755)


def git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """git for the fake's own bookkeeping: no user config, and pushes marked as setup (not logged)."""
    base = {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "FAKE_SETUP_PUSH": "1",
    }
    out = subprocess.run(
        ["git", *args], cwd=cwd, env={**base, **(env or {})}, capture_output=True, check=True
    )
    return out.stdout.decode().strip()


@dataclass
class User:
    login: str
    id: int
    name: str
    email: str
    type: str = "User"  # or "Bot" for an app's installation identity


@dataclass
class Token:
    value: str
    login: str
    # None: a classic token, limited by the user's role only; otherwise fine-grained/installation
    # permissions, e.g. {"contents": "write", "pull_requests": "write", "issues": "write"}
    permissions: dict[str, str] | None = None
    installation: int | None = None  # GitHub App installation tokens
    # fine-grained "only select repositories": full names or `owner/*`; elsewhere the token acts
    # like anonymous access (public repos readable; PRs may still be opened on public repos)
    only: list[str] | None = None

    def selects(self, repo: Repo) -> bool:
        if self.only is None:
            return True
        names = {n.lower() for n in self.only}
        return repo.full_name.lower() in names or f"{repo.owner.lower()}/*" in names


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None


@dataclass
class Review:
    id: int
    user: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
    commit_id: str


@dataclass
class Pull:
    number: int
    id: int
    repo: str  # base repository
    title: str
    body: str | None
    head_repo: str | None
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    user: str
    draft: bool
    state: str = "open"
    labels: list[str] = field(default_factory=list)  # label names as stored in the repo
    merged_at: str | None = None
    closed_at: str | None = None
    created_at: str = field(default_factory=now)
    updated_at: str = field(default_factory=now)
    reviews: list[Review] = field(default_factory=list)

    @property
    def head_owner(self) -> str:
        return (self.head_repo or "ghost/none").split("/")[0]


@dataclass
class Comment:
    id: int
    user: str
    body: str
    created_at: str = field(default_factory=now)


@dataclass
class Issue:
    number: int  # shared with the repository's pull requests, as on GitHub
    id: int
    repo: str
    title: str
    body: str | None
    user: str
    labels: list[str] = field(default_factory=list)  # label names as stored in the repo
    state: str = "open"
    state_reason: str | None = None
    comments: list[Comment] = field(default_factory=list)
    created_at: str = field(default_factory=now)
    updated_at: str = field(default_factory=now)
    closed_at: str | None = None
    indexed: bool = True  # visible to the search API (GitHub's index lags behind writes)


@dataclass
class Repo:
    full_name: str
    id: int
    path: Path  # bare git repository
    private: bool = False
    default_branch: str = "main"
    roles: dict[str, str] = field(default_factory=dict)  # login -> role
    labels: dict[str, Label] = field(default_factory=dict)  # lower-case name -> label
    parent: str | None = None
    allow_forking: bool = True
    created_at: str = field(default_factory=now)

    @property
    def owner(self) -> str:
        return self.full_name.split("/")[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/")[1]

    def role(self, login: str) -> str:
        if login.lower() == self.owner.lower():
            return "admin"
        role = self.roles.get(login, "none")
        if role == "none" and not self.private:
            return "read"
        return role

    def ref_sha(self, branch: str) -> str | None:
        try:
            return git("rev-parse", "--verify", "-q", f"refs/heads/{branch}", cwd=self.path) or None
        except subprocess.CalledProcessError:
            return None


@dataclass
class App:
    id: int
    slug: str
    public_key_pem: str
    installations: dict[int, tuple[list[str], dict[str, str]]] = field(
        default_factory=dict
    )  # id -> repos, perms


class World:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, Repo] = {}  # lower-case full name -> repo
        self.pulls: dict[str, list[Pull]] = {}  # lower-case base full name -> PRs
        self.issues: dict[str, list[Issue]] = {}  # lower-case full name -> issues (not PRs)
        self.index_new_issues = True  # False: new issues stay out of search until reindex()
        self.check_runs: dict[
            str, list[tuple[str, str, str | None]]
        ] = {}  # sha -> (name, status, conclusion)
        self.statuses: dict[str, list[tuple[str, str]]] = {}  # sha -> (context, state)
        self.apps: dict[int, App] = {}
        self._ids = itertools.count(1000)

    def next_id(self) -> int:
        return next(self._ids)

    def next_number(self, repo: Repo) -> int:
        """Issues and pull requests share one number sequence per repository."""
        key = repo.full_name.lower()
        return len(self.pulls.get(key, [])) + len(self.issues.get(key, [])) + 1

    def user(self, login: str) -> User:
        return self.users[login]

    def repo(self, full_name: str) -> Repo | None:
        return self.repos.get(full_name.lower())

    def allowed(
        self, token: Token | None, repo: Repo, role: str, permission: tuple[str, str] | None
    ) -> bool:
        """May `token` act on `repo` with at least `role`, and (fine-grained) `permission` = (kind, level)?"""
        if token is None or not token.selects(repo):
            return role == "read" and not repo.private
        if token.installation is not None:
            app_repos = next(
                (
                    r
                    for app in self.apps.values()
                    for i, (r, _) in app.installations.items()
                    if i == token.installation
                ),
                [],
            )
            if repo.full_name not in app_repos and not (role == "read" and not repo.private):
                return False
        elif ROLES.index(repo.role(token.login)) < ROLES.index(role):
            return False
        if token.permissions is None or permission is None:
            return True
        kind, level = permission
        return LEVELS.index(token.permissions.get(kind, "none")) >= LEVELS.index(level)
