"""Issues and their comments on PyGithub: the tracking items and the campaign dashboard.

Nothing is posted twice: an issue is filed only after a failed attempt has been looked for among the
newest issues (by the marker its body carries), and a comment only when no comment with its marker
is there. PATCHes set absolute values, so repeating one is harmless.
"""

from __future__ import annotations

from dataclasses import replace

import requests
from github import GithubException, UnknownObjectException
from github.GithubObject import NotSet
from github.Issue import Issue
from github.IssueComment import IssueComment

from bot.errors import ForgeError
from bot.forge.api import CommentInfo, IssueInfo, IssueOutcome, IssueSpec, IssueState, LabelColors
from bot.forge.github_base import describe
from bot.forge.github_labels import LabelMethods

DROPPED = "GitHub drops the labels of a new issue unless the token has push access"


class IssueMethods(LabelMethods):
    def list_issues(self, full_name: str, creator: str | None = None) -> list[IssueInfo]:
        repo = self._gh.get_repo(full_name)
        who = f" opened by {creator}" if creator else ""
        found = self._read(
            f"list the issues of {full_name}{who}",
            lambda: list(repo.get_issues(state="all", creator=creator or NotSet)),  # type: ignore[arg-type]
        )
        return [_issue_info(full_name, i) for i in found if not _is_pull(i)]

    def search_issues(self, full_name: str, text: str) -> list[IssueInfo]:
        query = f"repo:{full_name} is:issue {text}"
        found = self._read(
            f"search the issues of {full_name}", lambda: list(self._gh.search_issues(query))
        )
        return [_issue_info(full_name, i) for i in found if not _is_pull(i)]

    def get_issue(self, full_name: str, number: int) -> IssueInfo | None:
        issue = self._gh.get_repo(full_name).get_issue(number)
        try:
            if _is_pull(issue):  # a lazy object: this first read sends the GET
                return None
        except UnknownObjectException:
            return None
        except (GithubException, requests.RequestException) as e:
            raise ForgeError(f"cannot read {full_name}#{number}: {describe(e)}") from None
        return _issue_info(full_name, issue)

    def create_issue(
        self, full_name: str, spec: IssueSpec, marker: str, colors: LabelColors
    ) -> IssueOutcome:
        wanted = list(dict.fromkeys(spec.labels))
        labels, warnings = (
            self._ensure_labels(full_name, wanted, colors, f"the issue {spec.title!r}")
            if wanted
            else ([], [])
        )
        repo = self._gh.get_repo(full_name)
        created = self._write(
            f"file the issue {spec.title!r} in {full_name}",
            lambda: repo.create_issue(title=spec.title, body=spec.body, labels=labels),
            lambda: self._newest_with(full_name, marker),
        )
        info = _issue_info(full_name, created)
        have = {name.lower() for name in info.labels}
        dropped = [name for name in labels if name.lower() not in have]
        if dropped:
            warnings.append(f"labels {', '.join(dropped)} not set on {info.url}: {DROPPED}")
        return IssueOutcome(info, tuple(warnings))

    def _newest_with(self, full_name: str, marker: str) -> Issue | None:
        """The newest issue whose body has `marker`: where a failed create would have left it."""
        page = self._gh.get_repo(full_name).get_issues(
            state="all", sort="created", direction="desc"
        )
        return next((i for i in page.get_page(0) if marker in (i.body or "")), None)

    def update_issue(
        self,
        issue: IssueInfo,
        *,
        title: str | None = None,
        body: str | None = None,
        state: IssueState | None = None,
        labels: tuple[str, ...] = (),
        colors: LabelColors | None = None,
    ) -> IssueOutcome:
        target = self._issue(issue)
        edits: dict[str, str] = {
            k: v for k, v in (("title", title), ("body", body), ("state", state)) if v is not None
        }
        if state == "closed":
            edits["state_reason"] = "completed"
        if edits:
            self._write(f"update {issue.url}", lambda: target.edit(**edits), lambda: None)  # type: ignore[arg-type]
        have = {name.lower() for name in issue.labels}
        missing = tuple(name for name in dict.fromkeys(labels) if name.lower() not in have)
        warnings = (
            self._add_labels(issue.repo, target, missing, colors or LabelColors())
            if missing
            else []
        )
        updated = replace(
            issue,
            title=title if title is not None else issue.title,
            body=body if body is not None else issue.body,
            state=state or issue.state,
            labels=issue.labels if warnings else issue.labels + missing,
        )
        return IssueOutcome(updated, tuple(warnings))

    def issue_comments(self, issue: IssueInfo) -> list[CommentInfo]:
        target = self._issue(issue)
        found = self._read(f"read the comments of {issue.url}", lambda: list(target.get_comments()))
        return [_comment_info(c) for c in found]

    def comment_once(self, issue: IssueInfo, body: str, marker: str) -> CommentInfo:
        target = self._issue(issue)

        def lookup() -> IssueComment | None:
            return next((c for c in target.get_comments() if marker in (c.body or "")), None)

        found = self._read(f"read the comments of {issue.url}", lookup)
        if found is None:
            found = self._write(
                f"comment on {issue.url}", lambda: target.create_comment(body), lookup
            )
        return _comment_info(found)

    def _issue(self, issue: IssueInfo) -> Issue:
        return self._gh.get_repo(issue.repo).get_issue(issue.number)  # lazy: no GET


def _is_pull(issue: Issue) -> bool:
    """The issues API lists pull requests too. Not `issue.pull_request`: reading a field a response
    left out makes PyGithub fetch the whole issue again, one GET per issue."""
    return "/pull/" in issue.html_url


def _issue_info(full_name: str, issue: Issue) -> IssueInfo:
    return IssueInfo(
        repo=full_name,
        number=issue.number,
        url=issue.html_url,
        title=issue.title,
        body=issue.body or "",
        state="closed" if issue.state == "closed" else "open",
        labels=tuple(label.name for label in issue.labels),
        author=issue.user.login if issue.user is not None else "ghost",
    )


def _comment_info(comment: IssueComment) -> CommentInfo:
    author = comment.user.login if comment.user is not None else "ghost"
    return CommentInfo(comment.id, comment.html_url, comment.body or "", author)
