"""The bot's commits: the message (subject, body, trailers with the DCO sign-off) and how to recognise them.

A commit is the bot's own when its author email AND committer email are the bot identity's email,
AND its message carries the trailer `Rollout-Change: <branch>`. Each check catches a different
edit by someone else: an amend, rebase or cherry-pick by a person keeps the author and the trailer
but changes the committer; a commit written by hand under the bot's name lacks the trailer; and
another automation using the same account signs for a different branch.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.forge.api import CommitInfo
from bot.forge.credentials import Identity

TRAILER = "Rollout-Change"


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
