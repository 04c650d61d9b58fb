"""bot.forge.commits: commit messages with trailers git can parse, and recognising the bot's commits."""

from __future__ import annotations

import subprocess

import pytest

from bot.forge.api import CommitInfo
from bot.forge.commits import commit_message, edited_by, is_bot_commit, trailers
from bot.forge.credentials import Identity

BOT = Identity("Rollout Bot", "rollout-bot@example.org")
BRANCH = "phase-3/acapy-profiling"


def test_commit_message_has_body_then_trailers_git_can_parse() -> None:
    message = commit_message("feat: add profiling", BRANCH, BOT, body="Why:\n\n# not a comment\n")

    assert message == (
        "feat: add profiling\n\nWhy:\n\n# not a comment\n\n"
        f"Rollout-Change: {BRANCH}\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"
    )
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    assert (
        parsed
        == f"Rollout-Change: {BRANCH}\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"
    )
    assert trailers(message) == [
        ("Rollout-Change", BRANCH),
        ("Signed-off-by", "Rollout Bot <rollout-bot@example.org>"),
    ]


def commit(
    author: str = BOT.email,
    committer: str = BOT.email,
    message: str | None = None,
    names: tuple[str, str] = ("Rollout Bot", "Rollout Bot"),
) -> CommitInfo:
    text = commit_message("feat: x", BRANCH, BOT) if message is None else message
    return CommitInfo("0" * 40, names[0], author, names[1], committer, text)


@pytest.mark.parametrize(
    ("c", "ours"),
    [
        (commit(), True),
        (commit(author="ROLLOUT-BOT@example.org"), True),  # emails compare case-insensitively
        (
            commit(committer="alice@example.org", names=("Rollout Bot", "Alice")),
            False,
        ),  # amended/rebased by Alice
        (
            commit(message="feat: x\n\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"),
            False,
        ),  # no marker
        (
            commit(message=commit_message("feat: x", "phase-3/other", BOT)),
            False,
        ),  # another branch's commit
        (
            commit(
                author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")
            ),
            False,
        ),
    ],
)
def test_is_bot_commit(c: CommitInfo, ours: bool) -> None:
    assert is_bot_commit(c, BOT, BRANCH) is ours


def test_edited_by_names_the_people_once() -> None:
    commits = [
        commit(),
        commit(author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")),
        commit(committer="bob@example.org", names=("Rollout Bot", "Bob")),
        commit(author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")),
    ]
    assert edited_by(commits, BOT, BRANCH) == ["Alice", "Bob"]
