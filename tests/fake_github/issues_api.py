"""The fake's issue endpoints: list, create, get, update, comments and search, with GitHub's rules.

- Issues and pull requests share one number sequence; the issues list includes pull requests
  (with a `pull_request` key), as GitHub's does.
- Labels on a new issue need push access; without it GitHub drops them silently.
- An issue may be edited by its author or by anyone with triage access.
- Search sees an issue only once it is indexed: with `world.index_new_issues = False` new issues
  stay invisible until `reindex()`, like GitHub's index lagging behind writes.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request

from tests.fake_github import issue_payloads as ip
from tests.fake_github.errors import HttpError, invalid
from tests.fake_github.state import Comment, Issue, Label, Repo, Token, now

Result = tuple[int, Any, dict[str, str]]
SEARCH_TOKEN = re.compile(r'"[^"]*"|\S+')


class IssueApi:
    """Mixed into tests.fake_github.api.Api (which provides _repo, _page, _pulls, world, urls)."""

    world: Any
    urls: Any

    def _repo(self, *args: Any, **kwargs: Any) -> tuple[Repo, Token | None]:
        raise NotImplementedError

    def _page(self, request: Request, items: list[Any]) -> Result:
        raise NotImplementedError

    def _pulls(self, repo: Repo) -> list[Any]:
        raise NotImplementedError

    def _issues(self, repo: Repo) -> list[Issue]:
        return self.world.issues.setdefault(repo.full_name.lower(), [])

    def _issue(self, repo: Repo, number: int) -> Issue:
        found = next((i for i in self._issues(repo) if i.number == number), None)
        if found is None:
            raise HttpError(404, "Not Found")
        return found

    def list_issues(self, request: Request, owner: str, repo: str) -> Result:
        found, _ = self._repo(request, owner, repo)
        args = request.args
        state = args.get("state", "open")
        entries: list[tuple[Any, dict[str, Any]]] = [
            (i, ip.issue(self.urls, self.world, i)) for i in self._issues(found)
        ] + [(pr, ip.pull_as_issue(self.urls, self.world, pr)) for pr in self._pulls(found)]
        wanted_labels = {n.strip().lower() for n in args.get("labels", "").split(",") if n.strip()}
        kept = [
            (entry, body)
            for entry, body in entries
            if (state == "all" or entry.state == state)
            and (not args.get("creator") or entry.user.lower() == args["creator"].lower())
            and wanted_labels <= {n.lower() for n in entry.labels}
        ]
        key = "updated_at" if args.get("sort") == "updated" else "created_at"
        kept.sort(
            key=lambda pair: (getattr(pair[0], key), pair[0].number),
            reverse=args.get("direction", "desc") == "desc",
        )
        return self._page(request, [body for _, body in kept])

    def get_issue(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, _ = self._repo(request, owner, repo)
        pr = next((p for p in self._pulls(found) if p.number == number), None)
        if pr is not None:
            return 200, ip.pull_as_issue(self.urls, self.world, pr), {}
        return 200, ip.issue(self.urls, self.world, self._issue(found, number)), {}

    def create_issue(self, request: Request, owner: str, repo: str) -> Result:
        found, token = self._repo(request, owner, repo, "read", ("issues", "write"))
        data = request.get_json()
        if not str(data.get("title", "")).strip():
            raise invalid("Issue", "missing_field", field="title")
        may_label = self.world.allowed(token, found, "write", ("issues", "write"))
        created = Issue(
            number=self.world.next_number(found),
            id=self.world.next_id(),
            repo=found.full_name,
            title=str(data["title"]),
            body=data.get("body"),
            user=token.login if token else "ghost",
            labels=self._label_names(found, data.get("labels") or []) if may_label else [],
            indexed=self.world.index_new_issues,
        )
        self._issues(found).append(created)
        location = f"{self.urls.api}/repos/{found.full_name}/issues/{created.number}"
        return 201, ip.issue(self.urls, self.world, created), {"Location": location}

    def update_issue(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, token = self._repo(request, owner, repo)
        issue = self._issue(found, number)
        is_author = token is not None and token.login == issue.user
        triage = self.world.allowed(token, found, "triage", ("issues", "write"))
        if not (is_author or triage) or (token is not None and not _may_write_issues(token)):
            raise HttpError(403, "Resource not accessible by personal access token")
        data = request.get_json() or {}
        if data.get("state") not in (None, "open", "closed"):
            raise invalid("Issue", "invalid", field="state")
        for key in ("title", "body"):
            if data.get(key) is not None:
                setattr(issue, key, str(data[key]))
        if "labels" in data and triage:
            issue.labels = self._label_names(found, data["labels"] or [])
        if data.get("state") == "closed" and issue.state == "open":
            issue.state, issue.closed_at = "closed", now()
            issue.state_reason = data.get("state_reason") or "completed"
        elif data.get("state") == "open" and issue.state == "closed":
            issue.state, issue.closed_at, issue.state_reason = "open", None, "reopened"
        issue.updated_at = now()
        return 200, ip.issue(self.urls, self.world, issue), {}

    def list_comments(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, _ = self._repo(request, owner, repo)
        issue = self._issue(found, number)
        return self._page(
            request, [ip.comment(self.urls, self.world, issue, c) for c in issue.comments]
        )

    def create_comment(self, request: Request, owner: str, repo: str, number: int) -> Result:
        found, token = self._repo(request, owner, repo, "read", ("issues", "write"))
        issue = self._issue(found, number)
        made = Comment(
            self.world.next_id(), token.login if token else "ghost", request.get_json()["body"]
        )
        issue.comments.append(made)
        issue.updated_at = now()
        return 201, ip.comment(self.urls, self.world, issue, made), {}

    def search_issues(self, request: Request) -> Result:
        query = request.args.get("q", "")
        matches = [i for i in self._all_issues() if _matches(i, query)]
        matches.sort(key=lambda i: (i.repo, i.number))
        status, page, headers = self._page(
            request, [ip.search_item(self.urls, self.world, i) for i in matches]
        )
        body = {
            "total_count": len(matches),
            "incomplete_results": False,
            "items": page,
            "search_type": "lexical",
        }
        return status, body, headers

    def _all_issues(self) -> list[Issue]:
        return [i for issues in self.world.issues.values() for i in issues if i.indexed]

    def _label_names(self, repo: Repo, names: list[Any]) -> list[str]:
        """Names as stored; unknown labels are created grey, as GitHub does."""
        kept: list[str] = []
        for value in names:
            name = value if isinstance(value, str) else str(value.get("name", ""))
            if name.lower() not in repo.labels:
                repo.labels[name.lower()] = Label(self.world.next_id(), name, "ededed")
            stored = repo.labels[name.lower()].name
            if stored not in kept:
                kept.append(stored)
        return kept


def _may_write_issues(token: Token) -> bool:
    return token.permissions is None or token.permissions.get("issues") in ("write", "admin")


def _matches(issue: Issue, query: str) -> bool:
    """GitHub's issue search, as far as the bot uses it: repo:, is:, state:, in: and words/phrases."""
    words, where = [], ("title", "body")
    for token in SEARCH_TOKEN.findall(query):
        qualifier, _, value = token.partition(":")
        if token.startswith('"'):
            words.append(token.strip('"').lower())
        elif qualifier == "repo" and value:
            if issue.repo.lower() != value.lower():
                return False
        elif qualifier == "is" and value in ("issue", "pr", "open", "closed"):
            if value == "pr" or (value in ("open", "closed") and issue.state != value):
                return False
        elif qualifier == "state" and value:
            if issue.state != value:
                return False
        elif qualifier == "in" and value:
            where = tuple(value.split(","))
        else:
            words.append(token.lower())
    text = " ".join(str(getattr(issue, part) or "") for part in where if part in ("title", "body"))
    return all(word in text.lower() for word in words)
