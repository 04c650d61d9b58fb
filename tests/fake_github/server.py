"""FakeGitHub: a stateful GitHub on 127.0.0.1 (REST under /api/v3, git smart HTTP at /<owner>/<repo>.git).

Real HTTP, so PyGithub, requests and urllib3 (including the retry policy) run unchanged. Every
API request is logged (to count writes) and, when GitHub's OpenAPI description is installed,
validated together with its response. Faults can be injected per method and path: answered
instead of the request (`after=False`: GitHub did nothing) or after it was carried out
(`after=True`: the write happened, the client sees an error — a failure mid-flight).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from tests.fake_github import githttp
from tests.fake_github.api import Api
from tests.fake_github.openapi import Validator, validator
from tests.fake_github.payloads import Urls
from tests.fake_github.state import (
    App,
    Issue,
    Label,
    Pull,
    Repo,
    Review,
    Token,
    User,
    World,
    git,
    install_push_log,
)

PREFIX = "/api/v3"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
GIT_PATH = re.compile(r"^/([^/]+)/([^/]+)\.git/(.*)$")
MAINTAINER = ("Maintainer", "maintainer@example.org")

SECONDARY_RATE_LIMIT = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any) -> None:  # the fake keeps its own log
        pass


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: Any
    times: int
    after: bool


@dataclass
class Logged:
    method: str
    path: str  # without the /api/v3 prefix
    query: dict[str, str]
    status: int
    fault: bool = False
    body: Any = field(default=None, repr=False)

    @property
    def write(self) -> bool:
        return self.method in WRITE_METHODS

    def __str__(self) -> str:
        query = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}{' (injected)' if self.fault else ''}"


class FakeGitHub:
    def __init__(self, root: Path, *, validate: bool = True) -> None:
        self.root = root
        (root / "repos").mkdir(parents=True, exist_ok=True)
        self.world = World(root)
        self.requests: list[Logged] = []
        self.git_requests: list[githttp.GitRequest] = []
        self.faults: list[Fault] = []
        self.validator: Validator | None = validator(PREFIX) if validate else None
        self._lock = threading.RLock()
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.server_url = f"http://127.0.0.1:{self._server.server_port}"
        self.api_url = self.server_url + PREFIX
        self.api = Api(self.world, Urls(self.api_url, self.server_url))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- what tests look at --------------------------------------------------------------------

    @property
    def writes(self) -> list[Logged]:
        return [r for r in self.requests if r.write]

    def pushes(self) -> list[str]:
        """Ref updates received by any repository (file:// or HTTP): `owner/repo ref old new`."""
        log = self.root / "pushes.log"
        return log.read_text().splitlines() if log.exists() else []

    def pulls(self, full_name: str) -> list[Pull]:
        return self.world.pulls.get(full_name.lower(), [])

    def issues(self, full_name: str) -> list[Issue]:
        return self.world.issues.get(full_name.lower(), [])

    def issue(self, full_name: str, number: int) -> Issue:
        return next(i for i in self.issues(full_name) if i.number == number)

    def reindex(self) -> None:
        """Let the search API see every issue (GitHub's index catching up)."""
        for issues in self.world.issues.values():
            for found in issues:
                found.indexed = True

    def repo(self, full_name: str) -> Repo:
        found = self.world.repo(full_name)
        assert found is not None, full_name
        return found

    def clone_url_template(self, *, http: bool = False) -> str:
        if http:
            return self.server_url + "/{owner}/{repo}.git"
        return f"file://{self.root}/repos/{{owner}}/{{repo}}.git"

    def log_lines(self) -> list[str]:
        return [str(r) for r in self.requests]

    # -- setting up the world ------------------------------------------------------------------

    def add_user(
        self,
        login: str,
        token: str | None = None,
        *,
        permissions: dict[str, str] | None = None,
        name: str | None = None,
        email: str | None = None,
    ) -> User:
        user = User(
            login, self.world.next_id(), name or login.title(), email or f"{login}@example.org"
        )
        self.world.users[login] = user
        if token is not None:
            self.add_token(login, token, permissions=permissions)
        return user

    def add_token(
        self,
        login: str,
        value: str,
        *,
        permissions: dict[str, str] | None = None,
        only: list[str] | None = None,
    ) -> None:
        self.world.tokens[value] = Token(value, login, permissions, only=only)

    def add_repo(
        self,
        full_name: str,
        files: dict[str, str | bytes] | None = None,
        *,
        private: bool = False,
        default_branch: str = "main",
        roles: dict[str, str] | None = None,
    ) -> Repo:
        owner, name = full_name.split("/")
        if owner not in self.world.users:
            self.add_user(owner)
        repo = Repo(
            full_name,
            self.world.next_id(),
            self.root / "repos" / owner / f"{name}.git",
            private=private,
            default_branch=default_branch,
            roles=dict(roles or {}),
        )
        repo.path.parent.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", "--bare", "-b", default_branch, str(repo.path))
        self.world.repos[full_name.lower()] = repo
        self.commit(
            full_name,
            default_branch,
            files or {"README.md": f"# {name}\n"},
            message="Initial commit",
        )
        install_push_log(repo.path, self.root / "pushes.log")
        return repo

    def add_label(
        self, full_name: str, name: str, color: str = "ededed", description: str | None = None
    ) -> None:
        self.repo(full_name).labels[name.lower()] = Label(
            self.world.next_id(), name, color, description
        )

    def add_app(
        self,
        app_id: int,
        slug: str,
        public_key_pem: str,
        installation_id: int,
        repos: list[str],
        permissions: dict[str, str],
    ) -> None:
        app = self.world.apps.setdefault(app_id, App(app_id, slug, public_key_pem))
        app.installations[installation_id] = (repos, permissions)
        self.add_user(
            f"{slug}[bot]", email=f"{app_id}+{slug}[bot]@users.noreply.github.com"
        ).type = "Bot"

    def commit(
        self,
        full_name: str,
        branch: str,
        files: dict[str, str | bytes],
        *,
        message: str = "Change",
        author: tuple[str, str] = MAINTAINER,
        committer: tuple[str, str] | None = None,
    ) -> str:
        """Commit `files` on top of `branch` (created from the default branch if missing), as a person pushing."""
        repo = self.repo(full_name)
        committer = committer or author
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            git("init", "--quiet", "-b", branch, str(work))
            start = repo.ref_sha(branch) or repo.ref_sha(repo.default_branch)
            if start:
                git("fetch", "--quiet", str(repo.path), start, cwd=work)
                git("reset", "--quiet", "--hard", "FETCH_HEAD", cwd=work)
            for path, content in files.items():
                (work / path).parent.mkdir(parents=True, exist_ok=True)
                target = work / path
                target.write_bytes(content) if isinstance(content, bytes) else target.write_text(
                    content
                )
            git("add", "-A", cwd=work)
            env = {
                "GIT_AUTHOR_NAME": author[0],
                "GIT_AUTHOR_EMAIL": author[1],
                "GIT_COMMITTER_NAME": committer[0],
                "GIT_COMMITTER_EMAIL": committer[1],
            }
            git("-c", "commit.gpgSign=false", "commit", "--quiet", "-m", message, cwd=work, env=env)
            git("push", "--quiet", str(repo.path), f"HEAD:refs/heads/{branch}", cwd=work)
            return git("rev-parse", "HEAD", cwd=work)

    def merge(self, full_name: str, number: int) -> None:
        pr = next(pr for pr in self.pulls(full_name) if pr.number == number)
        pr.state, pr.merged_at = "closed", "2026-02-01T00:00:00Z"
        pr.closed_at = pr.merged_at

    def close(self, full_name: str, number: int) -> None:
        pr = next(pr for pr in self.pulls(full_name) if pr.number == number)
        pr.state, pr.closed_at = "closed", "2026-02-01T00:00:00Z"

    def review(self, full_name: str, number: int, user: str, state: str) -> None:
        pr = next(pr for pr in self.pulls(full_name) if pr.number == number)
        if user not in self.world.users:
            self.add_user(user)
        pr.reviews.append(Review(self.world.next_id(), user, state, pr.head_sha))

    def check_run(self, sha: str, name: str, status: str, conclusion: str | None = None) -> None:
        self.world.check_runs.setdefault(sha, []).append((name, status, conclusion))

    def status(self, sha: str, context: str, state: str) -> None:
        self.world.statuses.setdefault(sha, []).append((context, state))

    def inject(
        self,
        method: str,
        path: str,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
        after: bool = False,
    ) -> None:
        """Answer the next `times` requests matching `method` and the `path` regex (without /api/v3) with `status`."""
        default = {"message": "Server Error"} if status >= 500 else {"message": "injected"}
        self.faults.append(
            Fault(
                method.upper(),
                re.compile(path),
                status,
                headers or {},
                default if body is None else body,
                times,
                after,
            )
        )

    # -- serving -------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        match = GIT_PATH.match(request.path)
        if match:
            response = githttp.serve(self.world, request, *match.groups(), self.git_requests)
        elif request.path.startswith(PREFIX + "/"):
            with self._lock:
                response = self._api(request)
        else:
            response = Response("Not Found", 404)
        return response(environ, start_response)

    def _api(self, request: Request) -> Response:
        local = request.path[len(PREFIX) :]
        if self.validator is not None:
            self.validator.check_request(request)
        fault = self._take_fault(request.method, local)
        if fault is not None and not fault.after:
            status, body, headers = fault.status, fault.body, fault.headers
        else:
            try:
                status, body, headers = self.api.handle(request, local)
            except subprocess.CalledProcessError as e:  # a bug in the fake, not GitHub behaviour
                status, body, headers = 500, {"message": f"fake: {e.stderr!r}"}, {}
            if fault is not None:
                status, body, headers = fault.status, fault.body, fault.headers
        response = Response(
            b"" if body is None else json.dumps(body),
            status,
            headers,
            content_type="application/json; charset=utf-8",
        )
        if self.validator is not None and fault is None:
            self.validator.check_response(request, response)
        self.requests.append(
            Logged(
                request.method,
                local,
                request.args.to_dict(),
                status,
                fault is not None,
                request.get_json(silent=True),
            )
        )
        return response

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and fault.path.search(path):
                fault.times -= 1
                return fault
        return None
