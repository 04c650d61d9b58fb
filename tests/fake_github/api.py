"""REST handlers of the fake: the operations in openapi.OPERATIONS, with GitHub's permission rules and errors."""

from __future__ import annotations

import secrets
import subprocess
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from tests.fake_github import payloads as p
from tests.fake_github.errors import HttpError, invalid
from tests.fake_github.issues_api import IssueApi
from tests.fake_github.state import (
    Issue,
    Label,
    Pull,
    Repo,
    Token,
    World,
    git,
    install_push_log,
    now,
)

Result = tuple[int, Any, dict[str, str]]


def _rules() -> Map:
    r = "/repos/<owner>/<repo>"
    return Map(
        [
            Rule("/user", methods=["GET"], endpoint="get_user"),
            Rule("/rate_limit", methods=["GET"], endpoint="rate_limit"),
            Rule(r, methods=["GET"], endpoint="get_repo"),
            Rule(f"{r}/forks", methods=["GET"], endpoint="list_forks"),
            Rule(f"{r}/forks", methods=["POST"], endpoint="create_fork"),
            Rule(f"{r}/pulls", methods=["GET"], endpoint="list_pulls"),
            Rule(f"{r}/pulls", methods=["POST"], endpoint="create_pull"),
            Rule(f"{r}/pulls/<int:number>", methods=["GET"], endpoint="get_pull"),
            Rule(f"{r}/pulls/<int:number>", methods=["PATCH"], endpoint="update_pull"),
            Rule(f"{r}/pulls/<int:number>/reviews", methods=["GET"], endpoint="list_reviews"),
            Rule(f"{r}/pulls/<int:number>/commits", methods=["GET"], endpoint="list_commits"),
            Rule(f"{r}/labels", methods=["GET"], endpoint="list_labels"),
            Rule(f"{r}/labels", methods=["POST"], endpoint="create_label"),
            Rule(f"{r}/labels/<name>", methods=["GET"], endpoint="get_label"),
            Rule(f"{r}/issues", methods=["GET"], endpoint="list_issues"),
            Rule(f"{r}/issues", methods=["POST"], endpoint="create_issue"),
            Rule(f"{r}/issues/<int:number>", methods=["GET"], endpoint="get_issue"),
            Rule(f"{r}/issues/<int:number>", methods=["PATCH"], endpoint="update_issue"),
            Rule(f"{r}/issues/<int:number>/comments", methods=["GET"], endpoint="list_comments"),
            Rule(f"{r}/issues/<int:number>/comments", methods=["POST"], endpoint="create_comment"),
            Rule("/search/issues", methods=["GET"], endpoint="search_issues"),
            Rule(f"{r}/issues/<int:number>/labels", methods=["GET"], endpoint="list_issue_labels"),
            Rule(f"{r}/issues/<int:number>/labels", methods=["POST"], endpoint="add_issue_labels"),
            Rule(f"{r}/commits/<ref>/check-runs", methods=["GET"], endpoint="check_runs"),
            Rule(f"{r}/commits/<ref>/status", methods=["GET"], endpoint="combined_status"),
            Rule(f"{r}/git/refs/<path:ref>", methods=["DELETE"], endpoint="delete_ref"),
            Rule(
                "/app/installations/<int:installation>/access_tokens",
                methods=["POST"],
                endpoint="installation_token",
            ),
        ],
        strict_slashes=False,
    )


RULES = _rules()
ROLE_PERMISSIONS = {"admin": 5, "maintain": 4, "write": 3, "triage": 2, "read": 1, "none": 0}


class Api(IssueApi):
    def __init__(self, world: World, urls: p.Urls) -> None:
        self.world = world
        self.urls = urls

    def handle(self, request: Request, path: str) -> Result:
        adapter = RULES.bind("127.0.0.1", path_info=path, url_scheme="http")
        try:
            endpoint, args = adapter.match(method=request.method)
        except HTTPException:
            return 404, p.error("Not Found"), {}
        try:
            return getattr(self, endpoint)(request, **args)
        except HttpError as e:
            return e.status, e.body, {}

    # -- auth ----------------------------------------------------------------------------------

    def _token(self, request: Request) -> Token | None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if not header:
            return None
        if scheme.lower() not in ("token", "bearer"):
            raise HttpError(401, "Bad credentials")
        token = self.world.tokens.get(value.strip())
        if token is None:
            raise HttpError(401, "Bad credentials")
        return token

    def _repo(
        self,
        request: Request,
        owner: str,
        repo: str,
        role: str = "read",
        permission: tuple[str, str] | None = None,
    ) -> tuple[Repo, Token | None]:
        token = self._token(request)
        found = self.world.repo(f"{owner}/{repo}")
        if found is None or not self.world.allowed(
            token, found, "read", ("contents", "read") if found.private else None
        ):
            raise HttpError(404, "Not Found")
        if not self.world.allowed(token, found, role, permission):
            kind = (
                "integration"
                if token is not None and token.installation is not None
                else "personal access token"
                if token is not None and token.permissions is not None
                else "user"
            )
            raise HttpError(403, f"Resource not accessible by {kind}")
        return found, token

    # -- users and repositories ----------------------------------------------------------------

    def get_user(self, request: Request) -> Result:
        token = self._token(request)
        if token is None:
            raise HttpError(401, "Requires authentication")
        if token.installation is not None:
            raise HttpError(403, "Resource not accessible by integration")
        return 200, p.private_user(self.urls, self.world.user(token.login)), {}

    def rate_limit(self, request: Request) -> Result:
        token = self._token(request)  # a wrong token is refused here as everywhere: 401
        limit = 60 if token is None else 5000
        reset = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
        return 200, p.rate_limit_overview(limit, reset), {}

    def get_repo(self, request: Request, owner: str, repo: str) -> Result:
        found, token = self._repo(request, owner, repo)
        return (
            200,
            p.full_repository(self.urls, self.world, found, self._permissions(found, token)),
            {},
        )

    def _permissions(self, repo: Repo, token: Token | None) -> dict[str, bool] | None:
        if token is None or token.installation is not None:
            return None
        level = ROLE_PERMISSIONS[
            repo.role(token.login)
        ]  # GitHub reports the role, not the token's narrower grant
        return {
            "admin": level >= 5,
            "maintain": level >= 4,
            "push": level >= 3,
            "triage": level >= 2,
            "pull": level >= 1,
        }

    def list_forks(self, request: Request, owner: str, repo: str) -> Result:
        parent, _ = self._repo(request, owner, repo)
        forks = [r for r in self.world.repos.values() if r.parent == parent.full_name]
        forks.sort(key=lambda r: r.id, reverse=True)  # GitHub's default sort: newest first
        return self._page(request, [p.repository(self.urls, self.world, fork) for fork in forks])

    def create_fork(self, request: Request, owner: str, repo: str) -> Result:
        parent, token = self._repo(request, owner, repo)
        if token is None or token.installation is not None:
            raise HttpError(403, "Resource not accessible by integration")
        if token.permissions is not None and token.permissions.get("administration") != "write":
            raise HttpError(403, "Resource not accessible by personal access token")
        if not parent.allow_forking:
            raise HttpError(403, "Forking is disabled for this repository")
        login = token.login
        existing = next(
            (
                r
                for r in self.world.repos.values()
                if r.parent == parent.full_name and r.owner == login
            ),
            None,
        )
        fork = existing or self._new_fork(parent, login)
        return (
            202,
            p.full_repository(self.urls, self.world, fork, self._permissions(fork, token)),
            {},
        )

    def _new_fork(self, parent: Repo, login: str) -> Repo:
        name = parent.name
        while self.world.repo(f"{login}/{name}") is not None:
            name += "-1"
        fork = Repo(
            f"{login}/{name}",
            self.world.next_id(),
            self.world.root / "repos" / login / f"{name}.git",
            private=parent.private,
            default_branch=parent.default_branch,
            parent=parent.full_name,
        )
        fork.path.parent.mkdir(parents=True, exist_ok=True)
        # --shared: the fork reads the parent's objects (GitHub's fork network), so commits made on the
        # parent after forking can be pushed to the fork from a shallow clone
        git("clone", "--bare", "--shared", "--quiet", str(parent.path), str(fork.path))
        install_push_log(fork.path, self.world.root / "pushes.log")
        self.world.repos[fork.full_name.lower()] = fork
        return fork

    # -- pull requests -------------------------------------------------------------------------

    def _pulls(self, repo: Repo) -> list[Pull]:
        pulls = self.world.pulls.setdefault(repo.full_name.lower(), [])
        for pr in pulls:  # GitHub moves an open PR's head when its branch is pushed
            head = self.world.repo(pr.head_repo) if pr.head_repo else None
            sha = head.ref_sha(pr.head_ref) if head else None
            if pr.state == "open" and sha:
                pr.head_sha = sha
        return pulls

    def _pull(self, repo: Repo, number: int) -> Pull:
        found = next((pr for pr in self._pulls(repo) if pr.number == number), None)
        if found is None:
            raise HttpError(404, "Not Found")
        return found

    def list_pulls(self, request: Request, owner: str, repo: str) -> Result:
        base, _ = self._repo(request, owner, repo)
        state = request.args.get("state", "open")
        head = request.args.get("head")
        pulls = [pr for pr in self._pulls(base) if state == "all" or pr.state == state]
        if head:
            if ":" not in head:
                pulls = []  # GitHub ignores a head filter without `user:`; the bot must always send one
            else:
                owner_, ref = head.split(":", 1)
                pulls = [
                    pr
                    for pr in pulls
                    if pr.head_owner.lower() == owner_.lower() and pr.head_ref == ref
                ]
        if request.args.get("base"):
            pulls = [pr for pr in pulls if pr.base_ref == request.args["base"]]
        pulls.sort(
            key=lambda pr: pr.number, reverse=request.args.get("direction", "desc") == "desc"
        )
        return self._page(request, [p.pull(self.urls, self.world, pr, full=False) for pr in pulls])

    def get_pull(self, request: Request, owner: str, repo: str, number: int) -> Result:
        base, _ = self._repo(request, owner, repo)
        return 200, p.pull(self.urls, self.world, self._pull(base, number), full=True), {}

    def create_pull(self, request: Request, owner: str, repo: str) -> Result:
        base, token = self._repo(request, owner, repo, "read", ("pull_requests", "write"))
        data = request.get_json()
        head_owner, _, head_ref = data["head"].rpartition(":")
        head_repo = self._head_repo(base, head_owner or base.owner)
        head_sha = head_repo.ref_sha(head_ref) if head_repo else None
        base_sha = base.ref_sha(data["base"])
        if head_repo is None or head_sha is None:
            raise invalid("PullRequest", "invalid", field="head")
        if base_sha is None:
            raise invalid("PullRequest", "invalid", field="base")
        label = f"{head_repo.owner}:{head_ref}"
        if any(
            pr.state == "open"
            and pr.head_repo == head_repo.full_name
            and pr.head_ref == head_ref
            and pr.base_ref == data["base"]
            for pr in self._pulls(base)
        ):
            raise invalid("PullRequest", message=f"A pull request already exists for {label}.")
        if not git("rev-list", f"{base_sha}..{head_sha}", cwd=head_repo.path):
            raise invalid(
                "PullRequest", message=f"No commits between {data['base']} and {head_ref}"
            )
        pr = Pull(
            number=self.world.next_number(base),
            id=self.world.next_id(),
            repo=base.full_name,
            title=data.get("title", ""),
            body=data.get("body"),
            head_repo=head_repo.full_name,
            head_ref=head_ref,
            head_sha=head_sha,
            base_ref=data["base"],
            base_sha=base_sha,
            user=token.login if token else "ghost",
            draft=bool(data.get("draft", False)),
        )
        self._pulls(base).append(pr)
        location = f"{self.urls.api}/repos/{base.full_name}/pulls/{pr.number}"
        return 201, p.pull(self.urls, self.world, pr, full=True), {"Location": location}

    def _head_repo(self, base: Repo, owner: str) -> Repo | None:
        if owner.lower() == base.owner.lower():
            return base
        return next(
            (
                r
                for r in self.world.repos.values()
                if r.owner.lower() == owner.lower() and r.parent == base.full_name
            ),
            None,
        )

    def update_pull(self, request: Request, owner: str, repo: str, number: int) -> Result:
        base, token = self._repo(request, owner, repo)
        pr = self._pull(base, number)
        is_author = token is not None and token.login == pr.user
        if not is_author and not self.world.allowed(
            token, base, "triage", ("pull_requests", "write")
        ):
            raise HttpError(403, "Resource not accessible by personal access token")
        data = request.get_json()
        if data.get("state") == "open" and pr.state == "closed":
            head = self.world.repo(pr.head_repo) if pr.head_repo else None
            tip = head.ref_sha(pr.head_ref) if head else None
            # GitHub refuses when the head branch is gone, or was force-pushed or recreated since closing
            if pr.merged_at or head is None or tip is None or not _descends(head, pr.head_sha, tip):
                raise invalid("PullRequest", message="state cannot be changed.")
            pr.state, pr.closed_at = "open", None
        elif data.get("state") == "closed" and pr.state == "open":
            pr.state, pr.closed_at = "closed", now()
        for key in ("title", "body"):
            if key in data:
                setattr(pr, key, data[key])
        pr.updated_at = now()
        return 200, p.pull(self.urls, self.world, pr, full=True), {}

    def list_reviews(self, request: Request, owner: str, repo: str, number: int) -> Result:
        base, _ = self._repo(request, owner, repo)
        pr = self._pull(base, number)
        return self._page(request, [p.review(self.urls, self.world, pr, r) for r in pr.reviews])

    def list_commits(self, request: Request, owner: str, repo: str, number: int) -> Result:
        base, _ = self._repo(request, owner, repo)
        pr = self._pull(base, number)
        head = self.world.repo(pr.head_repo) if pr.head_repo else base
        assert head is not None
        base_sha = base.ref_sha(pr.base_ref) or pr.base_sha
        fmt = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e"
        out = git(
            "log", "--reverse", f"--format={fmt}", f"{base_sha}..{pr.head_sha}", cwd=head.path
        )
        keys = (
            "sha",
            "tree",
            "parents",
            "author_name",
            "author_email",
            "author_date",
            "committer_name",
            "committer_email",
            "committer_date",
            "message",
        )
        commits = [
            dict(zip(keys, rec.strip("\n").split("\x00"), strict=True))
            for rec in out.split("\x1e")
            if rec.strip()
        ]
        return self._page(request, [p.commit(self.urls, base.full_name, c) for c in commits])

    # -- labels --------------------------------------------------------------------------------

    def list_labels(self, request: Request, owner: str, repo: str) -> Result:
        found, _ = self._repo(request, owner, repo)
        return self._page(request, [p.label(self.urls, found, lb) for lb in found.labels.values()])

    def get_label(self, request: Request, owner: str, repo: str, name: str) -> Result:
        found, _ = self._repo(request, owner, repo)
        lb = found.labels.get(name.lower())
        if lb is None:
            raise HttpError(404, "Not Found")
        return 200, p.label(self.urls, found, lb), {}

    def create_label(self, request: Request, owner: str, repo: str) -> Result:
        found, _ = self._repo(request, owner, repo, "write", ("issues", "write"))
        data = request.get_json()
        if data["name"].lower() in found.labels:
            raise invalid("Label", "already_exists", field="name")
        lb = Label(
            self.world.next_id(),
            data["name"],
            data.get("color", "ededed").lstrip("#"),
            data.get("description"),
        )
        found.labels[lb.name.lower()] = lb
        return 201, p.label(self.urls, found, lb), {}

    def _labelled(self, repo: Repo, number: int) -> Pull | Issue:
        """The pull request or issue `number`: the labels endpoints serve both."""
        pr = next((pr for pr in self._pulls(repo) if pr.number == number), None)
        return pr if pr is not None else self._issue(repo, number)

    def list_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, _ = self._repo(request, owner, repo)
        pr = self._labelled(found, number)
        return self._page(
            request, [p.label(self.urls, found, found.labels[n.lower()]) for n in pr.labels]
        )

    def add_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, _ = self._repo(request, owner, repo, "triage", ("issues", "write"))
        pr = self._labelled(found, number)
        data = request.get_json()
        names = data if isinstance(data, list) else data.get("labels", [])
        if not all(isinstance(name, str) for name in names):
            raise invalid("Label", "invalid", field="labels")
        for name in names:
            if name.lower() not in found.labels:  # GitHub creates unknown labels, grey
                found.labels[name.lower()] = Label(self.world.next_id(), name, "ededed")
            stored = found.labels[name.lower()].name
            if stored.lower() not in (n.lower() for n in pr.labels):
                pr.labels.append(stored)
        return 200, [p.label(self.urls, found, found.labels[n.lower()]) for n in pr.labels], {}

    # -- commits and refs ----------------------------------------------------------------------

    def check_runs(self, request: Request, owner: str, repo: str, ref: str) -> Result:
        found, _ = self._repo(request, owner, repo)
        return (
            200,
            p.check_runs(self.urls, found.full_name, ref, self.world.check_runs.get(ref, [])),
            {},
        )

    def combined_status(self, request: Request, owner: str, repo: str, ref: str) -> Result:
        found, _ = self._repo(request, owner, repo)
        return (
            200,
            p.combined_status(self.urls, self.world, found, ref, self.world.statuses.get(ref, [])),
            {},
        )

    def delete_ref(self, request: Request, owner: str, repo: str, ref: str) -> Result:
        found, _ = self._repo(request, owner, repo, "write", ("contents", "write"))
        if not ref.startswith("heads/") or found.ref_sha(ref[len("heads/") :]) is None:
            raise HttpError(422, "Reference does not exist")
        branch = ref[len("heads/") :]
        git("update-ref", "-d", f"refs/heads/{branch}", cwd=found.path)
        for pulls in self.world.pulls.values():  # GitHub closes PRs whose head branch is deleted
            for pr in pulls:
                if pr.head_repo == found.full_name and pr.head_ref == branch and pr.state == "open":
                    pr.state, pr.closed_at = "closed", now()
        return 204, None, {}

    # -- GitHub Apps ---------------------------------------------------------------------------

    def installation_token(self, request: Request, installation: int) -> Result:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        app = next((a for a in self.world.apps.values() if installation in a.installations), None)
        if scheme.lower() != "bearer" or app is None:
            raise HttpError(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(value, app.public_key_pem, algorithms=["RS256"])
        except jwt.PyJWTError:
            raise HttpError(401, "A JSON web token could not be decoded") from None
        if str(claims.get("iss")) != str(app.id):
            raise HttpError(401, "'Issuer' claim ('iss') must be an Integer")
        _, permissions = app.installations[installation]
        value = "ghs_" + secrets.token_hex(18)
        self.world.tokens[value] = Token(value, f"{app.slug}[bot]", dict(permissions), installation)
        expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            201,
            {
                "token": value,
                "expires_at": expires,
                "permissions": permissions,
                "repository_selection": "selected",
            },
            {},
        )

    # -- helpers -------------------------------------------------------------------------------

    def _page(self, request: Request, items: list[Any]) -> Result:
        per_page = min(int(request.args.get("per_page", 30)), 100)
        page = int(request.args.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            query = {**request.args.to_dict(), "page": page + 1, "per_page": per_page}
            url = f"{self.urls.web}{request.path}?{urlencode(query)}"
            headers["Link"] = f'<{url}>; rel="next"'
        return 200, chunk, headers


def _descends(repo: Repo, old: str, new: str) -> bool:
    try:
        git("merge-base", "--is-ancestor", old, new, cwd=repo.path)
    except subprocess.CalledProcessError:
        return False
    return True
