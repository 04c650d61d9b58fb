"""Per-repository PR policy (recipes.yaml `repos`), titles, commit messages, and the bot's own commits.

How the bot recognises a commit as its own: author email AND committer email are the bot identity's
email, AND the message carries the trailer `Rollout-Change: <branch>`. Each check catches a
different human edit: an amend, rebase or cherry-pick by a person keeps the author and the trailer
but changes the committer; a commit written by hand under the bot's name lacks the trailer; and
another automation using the same account signs for a different branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from bot.credentials import Identity
from bot.errors import ConfigError
from bot.forge import CommitInfo

TRAILER = "Rollout-Change"
DEFAULT_TITLE = "{Subject}"  # sentence case where the repo has no convention


@dataclass(frozen=True)
class RepoPolicy:
    repo: str  # owner/name
    base: str = "main"
    title: str = DEFAULT_TITLE  # placeholders {type}, {scope}, {subject}, {Subject} (first letter upper-cased)
    lowercase: bool = False  # commitlint `subject-case: lower-case`: the whole subject in lower case
    draft: bool = False  # open new PRs as drafts (non-draft PRs deploy preview environments)
    fork: bool = False  # always push to the token owner's fork, even with push access

    @classmethod
    def from_mapping(cls, key: str, data: Mapping[str, Any]) -> "RepoPolicy":
        """A `repos.<key>` entry of recipes.yaml; unknown keys are an error, named with their path."""
        unknown = sorted(set(data) - {"repo", "base", "title", "lowercase", "draft", "fork"})
        if unknown:
            raise ConfigError(f"recipes.yaml: repos.{key}: unexpected key {unknown[0]!r}")
        if not isinstance(data.get("repo"), str) or data["repo"].count("/") != 1:
            raise ConfigError(f"recipes.yaml: repos.{key}.repo: expected owner/name")
        for flag in ("lowercase", "draft", "fork"):
            if not isinstance(data.get(flag, False), bool):
                raise ConfigError(f"recipes.yaml: repos.{key}.{flag}: expected true or false")
        policy = cls(**data)
        format_title(policy, type="feat", scope="x", subject="x")  # placeholders checked at load time
        return policy


def branch_name(prefix: str, service: str, change: str) -> str:
    return f"{prefix}/{service}-{change}"


def format_title(policy: RepoPolicy, *, type: str, subject: str, scope: str | None = None) -> str:
    """PR title and commit subject, e.g. `feat(acapy): add pyroscope profiling`."""
    if policy.lowercase:
        subject = subject.lower()
    if "{scope}" in policy.title and not scope:
        raise ConfigError(f"{policy.repo}: the title template {policy.title!r} needs a scope; set `scope:`")
    try:
        return policy.title.format(type=type, scope=scope or "", subject=subject, Subject=subject[:1].upper() + subject[1:])
    except (KeyError, IndexError, ValueError) as e:
        raise ConfigError(f"{policy.repo}: bad title template {policy.title!r}: unknown placeholder {e}") from None


def commit_message(title: str, branch: str, identity: Identity, body: str = "") -> str:
    """Subject, optional body, then the trailers: the bot's marker and the DCO sign-off."""
    parts = [title.strip()]
    if body.strip():
        parts.append(body.strip())
    parts.append(f"{TRAILER}: {branch}\nSigned-off-by: {identity.name} <{identity.email}>")
    return "\n\n".join(parts) + "\n"


def trailers(message: str) -> list[tuple[str, str]]:
    """`Key: value` lines of the message's last paragraph (git's trailer block)."""
    paragraphs = message.strip().split("\n\n")
    if len(paragraphs) < 2:
        return []
    found = []
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(": ")
        if not sep or " " in key:
            return []  # not a trailer block
        found.append((key, value.strip()))
    return found


def is_bot_commit(commit: CommitInfo, identity: Identity, branch: str) -> bool:
    email = identity.email.lower()
    return (
        commit.author_email.lower() == email
        and commit.committer_email.lower() == email
        and (TRAILER, branch) in trailers(commit.message)
    )


def edited_by(commits: Iterable[CommitInfo], identity: Identity, branch: str) -> list[str]:
    """Who made the commits that are not the bot's: the committer when a person rewrote a bot commit."""
    names: dict[str, None] = {}
    for c in commits:
        if not is_bot_commit(c, identity, branch):
            rewritten = c.author_email.lower() == identity.email.lower()
            names[(c.committer_name if rewritten else c.author_name) or "unknown"] = None
    return list(names)
