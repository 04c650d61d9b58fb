"""Finding the bot's pull requests with few requests: a repository's open PRs are listed once per
run (one page holds 100) and kept up to date with the run's own writes; a head's closed and merged
PRs are asked for only when no open PR was found (GET /pulls?head=owner:branch&state=all)."""

from __future__ import annotations

import threading
from dataclasses import replace

import requests
from github import GithubException
from github.PullRequest import PullRequest

from bot.errors import ForgeError
from bot.forge.api import PrInfo
from bot.forge.github_base import ForgeBase, describe

# publishing threads share the lists: one listing per repository, and no update lost to a listing
_open_lists = threading.Lock()


class PullMethods(ForgeBase):
    def find_open_pr(self, full_name: str, head: str) -> PrInfo | None:
        return self._open_pulls(full_name).get(_key(head))

    def find_pr(self, full_name: str, head: str) -> PrInfo | None:
        repo = self._gh.get_repo(full_name)
        try:
            pulls = list(repo.get_pulls(state="all", head=head, sort="created", direction="desc"))
        except (GithubException, requests.RequestException) as e:
            raise ForgeError(
                f"{full_name}: cannot list pull requests for {head}: {describe(e)}"
            ) from None
        for pr in pulls:
            self._pulls[(full_name, pr.number)] = pr
        infos = [pr_info(full_name, pr) for pr in pulls]
        open_ = [p for p in infos if p.state == "open"]
        found = next(iter(open_ or infos), None)
        if found is not None:
            self._remember(found)
        return found

    def _open_pulls(self, full_name: str) -> dict[str, PrInfo]:
        """owner:branch (owner in lower case) -> the open PR from that head; listed once per run."""
        with _open_lists:
            return self._listed(full_name)

    def _listed(self, full_name: str) -> dict[str, PrInfo]:
        if full_name not in self._open:
            repo = self._gh.get_repo(full_name)
            try:
                pulls = list(repo.get_pulls(state="open", sort="created", direction="desc"))
            except (GithubException, requests.RequestException) as e:
                raise ForgeError(
                    f"{full_name}: cannot list open pull requests: {describe(e)}"
                ) from None
            listed: dict[str, PrInfo] = {}
            for pr in reversed(pulls):  # oldest first, so the newest PR of a head wins
                self._pulls[(full_name, pr.number)] = pr
                info = pr_info(full_name, pr)
                listed[_key(info.head)] = info
            self._open[full_name] = listed
        return self._open[full_name]

    def _remember(self, info: PrInfo, head_sha: str | None = None) -> PrInfo:
        """What the run now knows of a PR (after reading or writing it): later lookups ask nothing.
        `head_sha`: the commit just pushed, which the PR object read before the push does not show."""
        if head_sha:
            info = replace(info, head_sha=head_sha)
        with _open_lists:
            listed = self._open.get(info.repo)
            if listed is not None:
                if info.state == "open":
                    listed[_key(info.head)] = info
                elif listed.get(_key(info.head), info).number == info.number:
                    listed.pop(_key(info.head), None)
        return info


def _key(head: str) -> str:
    owner, _, branch = head.partition(":")
    return f"{owner.lower()}:{branch}"


def pr_info(full_name: str, pr: PullRequest) -> PrInfo:
    return PrInfo(
        repo=full_name,
        number=pr.number,
        url=pr.html_url,
        state="open" if pr.state == "open" else "closed",
        draft=bool(pr.draft),
        merged=pr.merged_at is not None,
        title=pr.title,
        body=pr.body or "",
        labels=tuple(label.name for label in pr.labels),
        head=pr.head.label,
        head_repo=pr.head.repo.full_name if pr.head.repo is not None else None,
        head_sha=pr.head.sha,
        base=pr.base.ref,
    )
