"""Labels on PRs and issues: missing labels are created with the campaign's colours, never removed.
A refusal (no triage or write access) is a warning: the PR or issue itself is fine without them."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from github import GithubException, UnknownObjectException
from github.Issue import Issue
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.errors import ForgeError
from bot.forge.api import LabelColors
from bot.forge.github_base import ForgeBase, message

CREATE_NEEDS = "creating labels needs write access; fine-grained: Issues: write"
SET_NEEDS = "labelling needs triage access; fine-grained: Issues or Pull requests: write"


class LabelMethods(ForgeBase):
    def _add_labels(
        self,
        full_name: str,
        target: PullRequest | Issue,
        wanted: Iterable[str],
        colors: LabelColors,
    ) -> list[str]:
        """Add the labels `target` lacks, creating missing ones first. Refusals become warnings."""
        have = {label.name.lower() for label in target.labels}
        missing = [name for name in dict.fromkeys(wanted) if name.lower() not in have]
        if not missing:
            return []
        addable, warnings = self._ensure_labels(full_name, missing, colors, target.html_url)
        if addable:  # in the plan's order
            try:
                self._write(
                    f"add labels {', '.join(addable)} to {target.html_url}",
                    lambda: target.add_to_labels(*addable),
                    lambda: _labels_present(target, addable),
                )
            except ForgeError as e:
                warnings.append(f"{e} ({SET_NEEDS})")
        return warnings

    def _ensure_labels(
        self, full_name: str, names: list[str], colors: LabelColors, where: str
    ) -> tuple[list[str], list[str]]:
        """The labels of `names` that exist (or were created) in full_name, and warnings for the rest."""
        known = self._repos.get(full_name)
        if known is not None and known.can_triage is False:  # e.g. fork mode: ask nothing, warn
            why = f"the token has no triage access to {full_name}"
            needs = "labelling needs triage; fine-grained: Issues or Pull requests: write"
            return [], [f"labels {', '.join(names)} not set on {where}: {why} ({needs})"]
        repo = self._gh.get_repo(full_name)
        try:
            existing = self._existing_labels(full_name, repo)
        except GithubException as e:
            return [], [
                f"labels {', '.join(names)} not set on {where}: cannot list labels: {message(e)}"
            ]
        warnings = []
        to_create = [name for name in names if name.lower() not in existing]
        if to_create and known is not None and known.can_push is False:
            warnings.append(
                f"labels {', '.join(to_create)} not created: the token has no write access to "
                f"{full_name} ({CREATE_NEEDS})"
            )
            return [n for n in names if n not in to_create], warnings
        for i, name in enumerate(to_create):
            try:
                self._write(
                    f"create label {name!r} in {full_name}",
                    functools.partial(_create_label, repo, name, colors.color(name)),
                    functools.partial(_existing_label, repo, name),
                )
                existing.add(name.lower())
            except ForgeError as e:
                # one refusal means all: the token lacks write access here
                warnings.append(
                    f"labels {', '.join(to_create[i:])} not created: {e} ({CREATE_NEEDS})"
                )
                return [n for n in names if n not in to_create[i:]], warnings
        return list(names), warnings

    def _existing_labels(self, full_name: str, repo: Repository) -> set[str]:
        """The repository's label names (lower case), listed once per run: filing 29 issues asks once."""
        if full_name not in self._labels:
            self._labels[full_name] = {label.name.lower() for label in repo.get_labels()}
        return self._labels[full_name]


def _create_label(repo: Repository, name: str, color: str) -> object:
    try:
        return repo.create_label(name, color)
    except GithubException as e:
        # a parallel job (the matrix runs services at once) created it between our look and this POST
        if e.status == 422 and "already_exists" in str(e.data):
            return True
        raise


def _existing_label(repo: Repository, name: str) -> bool | None:
    try:
        _ = repo.get_label(name).name  # a lazy object: reading an attribute sends the GET
    except UnknownObjectException:
        return None
    return True


def _labels_present(target: PullRequest | Issue, names: list[str]) -> bool | None:
    current = {label.name.lower() for label in target.get_labels()}
    return True if all(n.lower() in current for n in names) else None
